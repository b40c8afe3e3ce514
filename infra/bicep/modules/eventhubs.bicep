// The click log: an Event Hubs namespace with the Kafka endpoint the Api produces to, the clicks hub, and the
// consumer group the silos read it with. Local (SAS key) auth is off: both apps use their managed identities.
@description('Azure region of the namespace.')
param location string

@description('Prefix of every resource name.')
param prefix string

@description('Standard or Premium: Basic has no Kafka endpoint.')
@allowed([
  'Standard'
  'Premium'
])
param sku string

@description('Throughput units (Standard) or processing units (Premium).')
@minValue(1)
param capacity int

@description('The hub that is the click log (AdClicks:EventHubs:Hub).')
param hubName string

@description('Partitions of the clicks hub: fixed after creation on Standard, so sized for the peak.')
@minValue(1)
@maxValue(1024)
param partitionCount int

@description('Days the hub keeps events: the replay window after an outage.')
@minValue(1)
@maxValue(7)
param retentionInDays int

@description('The silos\' consumer group (AdClicks:EventHubs:ConsumerGroup), read by nothing else.')
param consumerGroupName string

@description('The silos\' identity (a name known before deployment, so role assignment names are too).')
param siloIdentityName string

@description('The Api\'s identity.')
param apiIdentityName string

var dataReceiver = 'a638d3c7-ab3a-418d-83e6-5f17a39d4fde'
var dataSender = '2b629674-e913-4c01-ae53-ef4638d8f975'

resource siloIdentity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' existing = {
  name: siloIdentityName
}

resource apiIdentity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' existing = {
  name: apiIdentityName
}

resource namespace 'Microsoft.EventHub/namespaces@2024-01-01' = {
  name: '${prefix}-clicks-${uniqueString(resourceGroup().id)}'
  location: location
  sku: {
    name: sku
    tier: sku
    capacity: capacity
  }
  properties: {
    kafkaEnabled: true
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
  }
}

resource hub 'Microsoft.EventHub/namespaces/eventhubs@2024-01-01' = {
  parent: namespace
  name: hubName
  properties: {
    partitionCount: partitionCount
    messageRetentionInDays: retentionInDays
  }
}

resource consumerGroup 'Microsoft.EventHub/namespaces/eventhubs/consumergroups@2024-01-01' = {
  parent: hub
  name: consumerGroupName
}

resource siloReceives 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: hub
  name: guid(hub.id, siloIdentity.id, dataReceiver)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', dataReceiver)
    principalId: siloIdentity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource apiSends 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: hub
  name: guid(hub.id, apiIdentity.id, dataSender)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', dataSender)
    principalId: apiIdentity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

@description('ConnectionStrings:EventHubs in its managed identity form: the namespace host.')
output host string = '${namespace.name}.servicebus.windows.net'
