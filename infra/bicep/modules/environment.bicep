// The Container Apps environment: its logs go to Log Analytics through a diagnostic setting (no workspace key), and
// its OpenTelemetry agent forwards the apps' OTLP export (it sets OTEL_EXPORTER_OTLP_ENDPOINT in every app) to
// Application Insights.
@description('Azure region of the environment.')
param location string

@description('Prefix of every resource name.')
param prefix string

@description('The Log Analytics workspace of the environment\'s logs.')
param workspaceId string

@description('The Application Insights component the apps\' telemetry goes to.')
param insightsName string

resource insights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: insightsName
}

resource environment 'Microsoft.App/managedEnvironments@2024-10-02-preview' = {
  name: '${prefix}-env'
  location: location
  properties: {
    appLogsConfiguration: {
      destination: 'azure-monitor'
    }
    appInsightsConfiguration: {
      connectionString: insights.properties.ConnectionString
    }
    openTelemetryConfiguration: {
      tracesConfiguration: {
        destinations: [
          'appInsights'
        ]
      }
      logsConfiguration: {
        destinations: [
          'appInsights'
        ]
      }
    }
    workloadProfiles: [
      {
        name: 'Consumption'
        workloadProfileType: 'Consumption'
      }
    ]
  }
}

resource logs 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  scope: environment
  name: 'logs'
  properties: {
    workspaceId: workspaceId
    logs: [
      {
        categoryGroup: 'allLogs'
        enabled: true
      }
    ]
  }
}

output environmentId string = environment.id
output defaultDomain string = environment.properties.defaultDomain
