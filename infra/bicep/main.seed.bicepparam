// The seed's peak of 50,000 events/s over 2 million ads; the arithmetic behind each number is in the README
// ("Deployment with Bicep", sizing). The Api's keys come from the environment of the shell that deploys.
using 'main.bicep'

param prefix = 'adcsd'
param siloImage = readEnvironmentVariable('ADCLICKS_SILO_IMAGE', 'orleans-adclicks-silo:latest')
param apiImage = readEnvironmentVariable('ADCLICKS_API_IMAGE', 'orleans-adclicks-api:latest')
param registryServer = readEnvironmentVariable('ADCLICKS_REGISTRY', '')
param eventHubsSku = 'Premium'
param eventHubsCapacity = 4
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
