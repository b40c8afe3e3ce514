// The seed's load, 50,000 click and impression events/s at peak (README "Sizing"): 32 partitions and 64 throughput
// units... see the README for the arithmetic behind each number.
using 'main.bicep'

param prefix = 'adcsd'
param siloImage = readEnvironmentVariable('ADCLICKS_SILO_IMAGE', 'adclicks-silo:latest')
param apiImage = readEnvironmentVariable('ADCLICKS_API_IMAGE', 'adclicks-api:latest')
param registryServer = readEnvironmentVariable('ADCLICKS_REGISTRY', '')
param eventHubsSku = 'Premium'
param eventHubsCapacity = 2
param partitionCount = 32
param eventRetentionDays = 7
param rawClickAccounts = 4
param storageSku = 'Standard_ZRS'
param kustoSku = 'Standard_E8ads_v5'
param kustoTier = 'Standard'
param kustoCapacity = 2
param siloMinReplicas = 4
param siloMaxReplicas = 8
param siloCpu = '4.0'
param siloMemory = '8Gi'
param apiMinReplicas = 4
param apiMaxReplicas = 12
param apiCpu = '2.0'
param apiMemory = '4Gi'
param apiConcurrentRequests = 400
param signingKey = readEnvironmentVariable('ADCLICKS_SIGNING_KEY')
param apiKeyMacKey = readEnvironmentVariable('ADCLICKS_API_KEY_MAC_KEY')
param adminKey = readEnvironmentVariable('ADCLICKS_ADMIN_KEY')
