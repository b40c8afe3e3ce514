// Log Analytics for the Container Apps environment's logs, Application Insights for the apps' OpenTelemetry.
@description('Azure region of the workspace and the component.')
param location string

@description('Prefix of every resource name.')
param prefix string

@description('The Application Insights component.')
param insightsName string

@description('Days Log Analytics keeps logs.')
param retentionInDays int

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: '${prefix}-logs'
  location: location
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: retentionInDays
  }
}

resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: insightsName
  location: location
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    DisableLocalAuth: true
  }
}

output workspaceId string = workspace.id
