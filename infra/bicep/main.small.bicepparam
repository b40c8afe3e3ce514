// A small deployment: one silo and one Api replica, a Dev ADX cluster, one raw click account, 1 throughput unit.
// The Api's keys come from the environment of the shell that deploys (never from a file).
using 'main.bicep'

param prefix = 'adcsm'
param siloImage = readEnvironmentVariable('ADCLICKS_SILO_IMAGE', 'orleans-adclicks-silo:latest')
param apiImage = readEnvironmentVariable('ADCLICKS_API_IMAGE', 'orleans-adclicks-api:latest')
param registryServer = readEnvironmentVariable('ADCLICKS_REGISTRY', '')
param eventHubsCapacity = 1
param partitionCount = 4
param rawClickAccounts = 1
param storageSku = 'Standard_LRS'
param kustoSku = 'Dev(No SLA)_Standard_E2a_v4'
param kustoTier = 'Basic'
param kustoCapacity = 1
param siloMinReplicas = 1
param siloMaxReplicas = 1
param apiMinReplicas = 1
param apiMaxReplicas = 2
param signingKey = readEnvironmentVariable('ADCLICKS_SIGNING_KEY')
param apiKeyMacKey = readEnvironmentVariable('ADCLICKS_API_KEY_MAC_KEY')
param adminKey = readEnvironmentVariable('ADCLICKS_ADMIN_KEY')
