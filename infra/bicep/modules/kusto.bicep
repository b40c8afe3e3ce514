// The aggregate store: an Azure Data Explorer cluster with streaming ingestion (the silos ingest minute rows by
// streaming), its database, and a database script that applies infra/kusto/schema.kql, run again whenever the file
// changes (its hash is the script's forceUpdateTag). The silos ingest and read (reconciliation, the schema check);
// the Api reads analytics.
@description('Azure region of the cluster.')
param location string

@description('Prefix of every resource name.')
param prefix string

@description('The cluster SKU, e.g. Dev(No SLA)_Standard_E2a_v4 for a small deployment.')
param skuName string

@description('Basic for Dev SKUs, Standard otherwise.')
@allowed([
  'Basic'
  'Standard'
])
param skuTier string

@description('Instances of the cluster.')
@minValue(1)
param capacity int

@description('The database (Initial Catalog of ConnectionStrings:Kusto).')
param databaseName string

@description('The silos\' identity: ingestor and viewer.')
param siloIdentityName string

@description('The Api\'s identity: viewer.')
param apiIdentityName string

var schema = loadTextContent('../../kusto/schema.kql')

resource siloIdentity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' existing = {
  name: siloIdentityName
}

resource apiIdentity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' existing = {
  name: apiIdentityName
}

resource cluster 'Microsoft.Kusto/clusters@2024-04-13' = {
  name: '${prefix}adx${uniqueString(resourceGroup().id)}'
  location: location
  sku: {
    name: skuName
    tier: skuTier
    capacity: capacity
  }
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    enableStreamingIngest: true
    enableAutoStop: false
  }
}

resource database 'Microsoft.Kusto/clusters/databases@2024-04-13' = {
  parent: cluster
  name: databaseName
  location: location
  kind: 'ReadWrite'
  properties: {
    softDeletePeriod: 'P365D'
    hotCachePeriod: 'P31D'
  }
}

resource schemaScript 'Microsoft.Kusto/clusters/databases/scripts@2024-04-13' = {
  parent: database
  name: 'schema'
  properties: {
    // The schema is no secret: the property is secure only because scripts may carry credentials.
    #disable-next-line use-secure-value-for-secure-inputs
    scriptContent: schema
    forceUpdateTag: uniqueString(schema)
    continueOnErrors: false
  }
}

resource siloIngestor 'Microsoft.Kusto/clusters/databases/principalAssignments@2024-04-13' = {
  parent: database
  name: guid(database.id, siloIdentity.id, 'Ingestor')
  properties: {
    principalId: siloIdentity.properties.clientId
    principalType: 'App'
    role: 'Ingestor'
    tenantId: tenant().tenantId
  }
}

resource siloViewer 'Microsoft.Kusto/clusters/databases/principalAssignments@2024-04-13' = {
  parent: database
  name: guid(database.id, siloIdentity.id, 'Viewer')
  properties: {
    principalId: siloIdentity.properties.clientId
    principalType: 'App'
    role: 'Viewer'
    tenantId: tenant().tenantId
  }
}

resource apiViewer 'Microsoft.Kusto/clusters/databases/principalAssignments@2024-04-13' = {
  parent: database
  name: guid(database.id, apiIdentity.id, 'Viewer')
  properties: {
    principalId: apiIdentity.properties.clientId
    principalType: 'App'
    role: 'Viewer'
    tenantId: tenant().tenantId
  }
}

@description('ConnectionStrings:Kusto in its managed identity form.')
output connection string = 'Data Source=${cluster.properties.uri};Initial Catalog=${databaseName}'

@description('The cluster\'s query endpoint.')
output uri string = cluster.properties.uri
