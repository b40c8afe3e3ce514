// Orleans.AdClicks on Azure: Event Hubs as the click log, Azure Storage for the cluster and the raw clicks, Azure Data
// Explorer for the aggregates, the Silo and the Api on Container Apps. Every connection is an endpoint the apps reach
// with their own user-assigned identity; the only secrets are the Api's keys, kept in Key Vault. Outputs are endpoints.
targetScope = 'resourceGroup'

@description('Azure region of every resource.')
param location string = resourceGroup().location

@description('Prefix of every resource name: 1–6 lower-case letters or digits.')
@minLength(1)
@maxLength(6)
param prefix string

@description('The Silo image.')
param siloImage string

@description('The Api image.')
param apiImage string

@description('Login server of the registry the images are pulled from with each app\'s identity (grant it AcrPull there); empty for public images.')
param registryServer string = ''

@description('Event Hubs tier: Standard or Premium (Basic has no Kafka endpoint).')
@allowed([
  'Standard'
  'Premium'
])
param eventHubsSku string = 'Standard'

@description('Event Hubs throughput units (Standard: 1 MB/s or 1,000 events/s in each) or processing units (Premium).')
@minValue(1)
param eventHubsCapacity int = 1

@description('Partitions of the clicks hub (fixed after creation on Standard).')
@minValue(1)
@maxValue(1024)
param partitionCount int = 32

@description('Days the clicks hub keeps events.')
@minValue(1)
@maxValue(7)
param eventRetentionDays int = 1

@description('How many raw click storage accounts the raw store shards across.')
@minValue(1)
@maxValue(99)
param rawClickAccounts int = 1

@description('Replication of the storage accounts.')
param storageSku string = 'Standard_ZRS'

@description('Azure Data Explorer cluster SKU.')
param kustoSku string = 'Dev(No SLA)_Standard_E2a_v4'

@description('Basic for the Dev SKU, Standard otherwise.')
@allowed([
  'Basic'
  'Standard'
])
param kustoTier string = 'Basic'

@description('Azure Data Explorer instances.')
@minValue(1)
param kustoCapacity int = 1

@description('Fewest and most silo replicas.')
@minValue(1)
param siloMinReplicas int = 1

@minValue(1)
param siloMaxReplicas int = 2

@description('Silo replica size.')
param siloCpu string = '1.0'
param siloMemory string = '2Gi'

@description('Fewest and most Api replicas.')
@minValue(1)
param apiMinReplicas int = 1

@minValue(1)
param apiMaxReplicas int = 2

@description('Api replica size.')
param apiCpu string = '1.0'
param apiMemory string = '2Gi'

@description('Concurrent requests per Api replica before another is added.')
param apiConcurrentRequests int = 200

@description('Days Log Analytics keeps logs.')
param logRetentionDays int = 30

@description('AdClicks:Tokens:SigningKeys:0, keyId:base64secret (≥ 32 bytes): the same for every Api replica.')
@secure()
@minLength(45)
param signingKey string

@description('AdClicks:Auth:ApiKeyMacKey, base64 of ≥ 32 random bytes.')
@secure()
@minLength(44)
param apiKeyMacKey string

@description('AdClicks:Auth:AdminKey.')
@secure()
@minLength(32)
param adminKey string

// The names the apps are configured with (each an option's default except the consumer group, which no other reader
// may share).
var hubName = 'clicks'
var consumerGroupName = 'silos'
var checkpointTable = 'ClickCheckpoints'
var kustoDatabase = 'adclicks'
var siloPort = 11111
var gatewayPort = 30000
var healthPort = 5100
var apiPort = 8080

// Names known before deployment: role assignments are named by guid(scope, identity, role) from them.
var siloIdentityName = '${prefix}-silo-id'
var apiIdentityName = '${prefix}-api-id'
var insightsName = '${prefix}-insights'
var vaultName = '${prefix}-kv-${uniqueString(resourceGroup().id)}'

// Key Vault secret names by the Api setting that references them.
var secretNames = {
  AdClicks__Tokens__SigningKeys__0: 'signing-key-0'
  AdClicks__Auth__ApiKeyMacKey: 'api-key-mac-key'
  AdClicks__Auth__AdminKey: 'admin-key'
}

module identities 'modules/identities.bicep' = {
  name: 'identities'
  params: {
    location: location
    siloIdentityName: siloIdentityName
    apiIdentityName: apiIdentityName
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    location: location
    prefix: prefix
    insightsName: insightsName
    retentionInDays: logRetentionDays
  }
}

module eventHubs 'modules/eventhubs.bicep' = {
  name: 'eventhubs'
  params: {
    location: location
    prefix: prefix
    sku: eventHubsSku
    capacity: eventHubsCapacity
    hubName: hubName
    partitionCount: partitionCount
    retentionInDays: eventRetentionDays
    consumerGroupName: consumerGroupName
    siloIdentityName: siloIdentityName
    apiIdentityName: apiIdentityName
  }
  dependsOn: [
    identities
  ]
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    location: location
    prefix: prefix
    rawClickAccounts: rawClickAccounts
    skuName: storageSku
    checkpointTable: checkpointTable
    siloIdentityName: siloIdentityName
    apiIdentityName: apiIdentityName
  }
  dependsOn: [
    identities
  ]
}

module kusto 'modules/kusto.bicep' = {
  name: 'kusto'
  params: {
    location: location
    prefix: prefix
    skuName: kustoSku
    skuTier: kustoTier
    capacity: kustoCapacity
    databaseName: kustoDatabase
    siloIdentityName: siloIdentityName
    apiIdentityName: apiIdentityName
  }
  dependsOn: [
    identities
  ]
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  params: {
    location: location
    vaultName: vaultName
    secrets: {
      '${secretNames.AdClicks__Tokens__SigningKeys__0}': signingKey
      '${secretNames.AdClicks__Auth__ApiKeyMacKey}': apiKeyMacKey
      '${secretNames.AdClicks__Auth__AdminKey}': adminKey
    }
    apiIdentityName: apiIdentityName
  }
  dependsOn: [
    identities
  ]
}

module environment 'modules/environment.bicep' = {
  name: 'environment'
  params: {
    location: location
    prefix: prefix
    workspaceId: monitoring.outputs.workspaceId
    insightsName: insightsName
  }
}

// What both apps read: the three connections in their endpoint forms and the hub.
var sharedSettings = [
  {
    name: 'ConnectionStrings__AzureStorage'
    value: storage.outputs.clusterTableEndpoint
  }
  {
    name: 'ConnectionStrings__EventHubs'
    value: eventHubs.outputs.host
  }
  {
    name: 'ConnectionStrings__Kusto'
    value: kusto.outputs.connection
  }
  {
    name: 'AdClicks__EventHubs__Hub'
    value: hubName
  }
]

module silo 'modules/silo.bicep' = {
  name: 'silo'
  params: {
    location: location
    prefix: prefix
    environmentId: environment.outputs.environmentId
    image: siloImage
    registryServer: registryServer
    identityId: identities.outputs.siloIdentityId
    identityClientId: identities.outputs.siloClientId
    siloPort: siloPort
    gatewayPort: gatewayPort
    healthPort: healthPort
    minReplicas: siloMinReplicas
    maxReplicas: siloMaxReplicas
    cpu: siloCpu
    memory: siloMemory
    env: concat(
      sharedSettings,
      [
        {
          name: 'AdClicks__EventHubs__ConsumerGroup'
          value: consumerGroupName
        }
        {
          name: 'AdClicks__EventHubs__CheckpointTable'
          value: checkpointTable
        }
        {
          name: 'AdClicks__Cluster__SiloPort'
          value: string(siloPort)
        }
        {
          name: 'AdClicks__Cluster__GatewayPort'
          value: string(gatewayPort)
        }
        {
          name: 'AdClicks__Cluster__HealthPort'
          value: string(healthPort)
        }
      ],
      map(range(0, rawClickAccounts), i => {
        name: 'AdClicks__RawClicks__ConnectionStrings__${i}'
        value: storage.outputs.rawClickTableEndpoints[i]
      })
    )
  }
}

module api 'modules/api.bicep' = {
  name: 'api'
  params: {
    location: location
    prefix: prefix
    environmentId: environment.outputs.environmentId
    image: apiImage
    registryServer: registryServer
    identityId: identities.outputs.apiIdentityId
    identityClientId: identities.outputs.apiClientId
    port: apiPort
    minReplicas: apiMinReplicas
    maxReplicas: apiMaxReplicas
    concurrentRequests: apiConcurrentRequests
    cpu: apiCpu
    memory: apiMemory
    env: concat(sharedSettings, [
      {
        name: 'AdClicks__Cluster__Mode'
        value: 'Client'
      }
      {
        // What the Api image sets too: the port ingress and probes use.
        name: 'ASPNETCORE_HTTP_PORTS'
        value: string(apiPort)
      }
    ])
    vaultName: vaultName
    secretNames: secretNames
  }
  dependsOn: [
    keyVault
  ]
}

@description('The Api\'s public HTTPS address.')
output apiUrl string = api.outputs.url

@description('The Event Hubs namespace host (Kafka endpoint on port 9093).')
output eventHubsHost string = eventHubs.outputs.host

@description('The Azure Data Explorer query endpoint.')
output kustoUri string = kusto.outputs.uri
