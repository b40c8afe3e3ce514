// Storage: one account for cluster membership, grain state, reminders and the Event Hubs checkpoints, and the raw
// click accounts the raw store shards across. Every account takes tokens only (shared key off) over TLS 1.2; the
// app uses tables alone (the click log is Event Hubs, so no queues or blobs), so the roles are table roles.
@description('Azure region of the accounts.')
param location string

@description('Prefix of every resource name: at most 6 lower-case letters or digits (account names are 24 at most).')
@maxLength(6)
param prefix string

@description('How many raw click accounts (AdClicks:RawClicks:ConnectionStrings:0…); an account takes ~20,000 entities/s. Never lower it while stored days can still receive a countable duplicate.')
@minValue(1)
@maxValue(99)
param rawClickAccounts int

@description('Replication of every account.')
param skuName string

@description('The silos\' checkpoint table (AdClicks:EventHubs:CheckpointTable).')
param checkpointTable string

@description('The silos\' identity: reads and writes every account\'s tables.')
param siloIdentityName string

@description('The Api\'s identity: reads cluster membership to find the gateways.')
param apiIdentityName string

var tableDataContributor = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
var suffix = uniqueString(resourceGroup().id)

resource siloIdentity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' existing = {
  name: siloIdentityName
}

resource apiIdentity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' existing = {
  name: apiIdentityName
}

// Orleans' own table names (membership, grain state, reminders) and the checkpoints, made here so nothing
// has to create a table at startup.
var clusterTables = [
  'OrleansSiloInstances'
  'OrleansGrainState'
  'OrleansReminders'
  checkpointTable
]

var accountProperties = {
  allowSharedKeyAccess: false
  allowBlobPublicAccess: false
  minimumTlsVersion: 'TLS1_2'
  supportsHttpsTrafficOnly: true
  defaultToOAuthAuthentication: true
}

resource cluster 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: '${prefix}st${suffix}'
  location: location
  kind: 'StorageV2'
  sku: {
    name: skuName
  }
  properties: accountProperties
}

resource clusterTableService 'Microsoft.Storage/storageAccounts/tableServices@2023-05-01' = {
  parent: cluster
  name: 'default'
}

resource tables 'Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01' = [
  for table in clusterTables: {
    parent: clusterTableService
    name: table
  }
]

resource raw 'Microsoft.Storage/storageAccounts@2023-05-01' = [
  for i in range(0, rawClickAccounts): {
    name: '${prefix}rc${i}${suffix}'
    location: location
    kind: 'StorageV2'
    sku: {
      name: skuName
    }
    properties: accountProperties
  }
]

resource siloCluster 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: cluster
  name: guid(cluster.id, siloIdentity.id, tableDataContributor)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', tableDataContributor)
    principalId: siloIdentity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// The Api as an Orleans client reads the membership table (and, as Orleans does, creates it if missing).
resource apiCluster 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: cluster
  name: guid(cluster.id, apiIdentity.id, tableDataContributor)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', tableDataContributor)
    principalId: apiIdentity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource siloRaw 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for i in range(0, rawClickAccounts): {
    scope: raw[i]
    name: guid(raw[i].id, siloIdentity.id, tableDataContributor)
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', tableDataContributor)
      principalId: siloIdentity.properties.principalId
      principalType: 'ServicePrincipal'
    }
  }
]

@description('ConnectionStrings:AzureStorage in its managed identity form: the cluster account\'s table endpoint.')
output clusterTableEndpoint string = cluster.properties.primaryEndpoints.table

@description('AdClicks:RawClicks:ConnectionStrings:0… in the same form, in shard order.')
output rawClickTableEndpoints array = [for i in range(0, rawClickAccounts): raw[i].properties.primaryEndpoints.table]
