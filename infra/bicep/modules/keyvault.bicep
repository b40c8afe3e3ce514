// The Api's secrets: the token signing key, the advertiser API key MAC key and the admin key. The values come in as
// secure parameters at deployment; the Api reads them as Container Apps Key Vault references with its identity.
@description('Azure region of the vault.')
param location string

@description('The vault (a name known before deployment, so the Api can reference its secrets).')
param vaultName string

@description('Secret values by secret name.')
@secure()
param secrets object

@description('The Api\'s identity: reads the secrets.')
param apiIdentityName string

var secretsUser = '4633458b-17de-408a-b874-0445c86b69e6'

resource apiIdentity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' existing = {
  name: apiIdentityName
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: vaultName
  location: location
  properties: {
    tenantId: tenant().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    enablePurgeProtection: true
    publicNetworkAccess: 'Enabled'
  }
}

resource secret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = [
  for item in items(secrets): {
    parent: vault
    name: item.key
    properties: {
      value: item.value
    }
  }
]

resource apiReadsSecrets 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: vault
  name: guid(vault.id, apiIdentity.id, secretsUser)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', secretsUser)
    principalId: apiIdentity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}
