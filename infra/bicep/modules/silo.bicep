// The silos: a headless Orleans host (Silo project) reachable only inside the environment on its silo and gateway
// ports; its probes are the host's /health endpoints on the health port. It scales on CPU between the bounds.
@description('Azure region of the app.')
param location string

@description('Prefix of every resource name.')
param prefix string

@description('The Container Apps environment.')
param environmentId string

@description('The Silo image, e.g. myregistry.azurecr.io/adclicks-silo:1.0.0.')
param image string

@description('Login server of the registry the image is pulled from with the silos\' identity (AcrPull); empty for a public image.')
param registryServer string

@description('The silos\' user-assigned identity.')
param identityId string

@description('Its client id, for DefaultAzureCredential (AZURE_CLIENT_ID).')
param identityClientId string

@description('The app settings (Container Apps env entries).')
param env array

@description('AdClicks:Cluster:SiloPort.')
param siloPort int

@description('AdClicks:Cluster:GatewayPort.')
param gatewayPort int

@description('AdClicks:Cluster:HealthPort.')
param healthPort int

@description('Fewest silo replicas.')
@minValue(1)
param minReplicas int

@description('Most silo replicas.')
@minValue(1)
param maxReplicas int

@description('CPU cores per replica.')
param cpu string

@description('Memory per replica, e.g. 4Gi.')
param memory string

resource silo 'Microsoft.App/containerApps@2024-03-01' = {
  name: '${prefix}-silo'
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
        external: false
        transport: 'tcp'
        targetPort: siloPort
        exposedPort: siloPort
        additionalPortMappings: [
          {
            external: false
            targetPort: gatewayPort
            exposedPort: gatewayPort
          }
        ]
      }
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
      // Orleans stops in HostOptions:ShutdownTimeout (25 s), inside the 30 s Container Apps gives.
      terminationGracePeriodSeconds: 30
      containers: [
        {
          name: 'silo'
          image: image
          resources: {
            cpu: json(cpu)
            memory: memory
          }
          env: concat(env, [
            {
              name: 'AZURE_CLIENT_ID'
              value: identityClientId
            }
          ])
          probes: [
            {
              type: 'Liveness'
              httpGet: {
                path: '/health/live'
                port: healthPort
              }
              periodSeconds: 10
            }
            {
              type: 'Readiness'
              httpGet: {
                path: '/health/ready'
                port: healthPort
              }
              periodSeconds: 5
            }
            {
              type: 'Startup'
              httpGet: {
                path: '/health/live'
                port: healthPort
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
            name: 'cpu'
            custom: {
              type: 'cpu'
              metadata: {
                type: 'Utilization'
                value: '70'
              }
            }
          }
        ]
      }
    }
  }
}

output name string = silo.name
