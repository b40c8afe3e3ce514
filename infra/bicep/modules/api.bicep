// The Api: external HTTPS ingress (Container Apps terminates TLS and redirects HTTP), an Orleans client of the silos,
// its secrets as Key Vault references read with its identity, probes on its /health endpoints, scaled on concurrent
// requests.
@description('Azure region of the app.')
param location string

@description('Prefix of every resource name.')
param prefix string

@description('The Container Apps environment.')
param environmentId string

@description('The Api image, e.g. myregistry.azurecr.io/adclicks-api:1.0.0.')
param image string

@description('Login server of the registry the image is pulled from with the Api\'s identity (AcrPull); empty for a public image.')
param registryServer string

@description('The Api\'s user-assigned identity.')
param identityId string

@description('Its client id, for DefaultAzureCredential (AZURE_CLIENT_ID).')
param identityClientId string

@description('The app settings (Container Apps env entries) that are not secrets.')
param env array

@description('The Key Vault holding the Api\'s secrets.')
param vaultName string

@description('Key Vault secret names by app setting: each becomes a Container Apps secret read with the identity and an env entry referencing it.')
param secretNames object

@description('The port the Api listens on in its container (Urls).')
param port int

@description('Fewest Api replicas.')
@minValue(1)
param minReplicas int

@description('Most Api replicas.')
@minValue(1)
param maxReplicas int

@description('Concurrent requests per replica before another one is added.')
param concurrentRequests int

@description('CPU cores per replica.')
param cpu string

@description('Memory per replica, e.g. 2Gi.')
param memory string

// Container Apps secret names: lower case letters, digits and dashes.
resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: vaultName
}

resource api 'Microsoft.App/containerApps@2024-03-01' = {
  name: '${prefix}-api'
  location: location
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    environmentId: environmentId
    workloadProfileName: 'Consumption'
    configuration: {
      activeRevisionsMode: 'Single'
      ingress: {
        external: true
        transport: 'http'
        targetPort: port
        allowInsecure: false
      }
      // URIs without a version: a new secret version reaches the app at its next revision or restart.
      secrets: [
        for item in items(secretNames): {
          name: item.value
          keyVaultUrl: '${vault.properties.vaultUri}secrets/${item.value}'
          identity: identityId
        }
      ]
      registries: empty(registryServer)
        ? []
        : [
            {
              server: registryServer
              identity: identityId
            }
          ]
    }
    template: {
      terminationGracePeriodSeconds: 30
      containers: [
        {
          name: 'api'
          image: image
          resources: {
            cpu: json(cpu)
            memory: memory
          }
          env: concat(
            env,
            [
              {
                name: 'AZURE_CLIENT_ID'
                value: identityClientId
              }
            ],
            map(items(secretNames), item => {
              name: item.key
              secretRef: item.value
            })
          )
          probes: [
            {
              type: 'Liveness'
              httpGet: {
                path: '/health/live'
                port: port
              }
              periodSeconds: 10
            }
            {
              type: 'Readiness'
              httpGet: {
                path: '/health/ready'
                port: port
              }
              periodSeconds: 5
            }
            {
              type: 'Startup'
              httpGet: {
                path: '/health/live'
                port: port
              }
              periodSeconds: 2
              failureThreshold: 30
            }
          ]
        }
      ]
      scale: {
        minReplicas: minReplicas
        maxReplicas: maxReplicas
        rules: [
          {
            name: 'http'
            http: {
              metadata: {
                concurrentRequests: string(concurrentRequests)
              }
            }
          }
        ]
      }
    }
  }
}

@description('The Api\'s public HTTPS address.')
output url string = 'https://${api.properties.configuration.ingress.fqdn}'
