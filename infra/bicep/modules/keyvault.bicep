// The Api's secrets: the token signing key, the advertiser API key MAC key and the admin key. The values come in as
// secure parameters at deployment; the Api reads them as Container Apps Key Vault references with its identity.
@description('Azure region of the vault.')
param location string

@description('Prefix of every resource name.')
param prefix string

@description('AdClicks:Tokens:SigningKeys:0, keyId:base64secret (≥ 32 bytes).')
@secure()
param signingKey string

@description('AdClicks:Auth:ApiKeyMacKey, base64 of ≥ 32 random bytes.')
@secure()
param apiKeyMacKey string

@description('AdClicks:Auth:AdminKey.')
@secure()
param adminKey string

@description('The Api\'s identity: reads the secrets.')
param apiIdentityName string

var secretsUser = '4633458b-17de-408a-b874-0445c86b69e6'

resource apiIdentity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' existing = {
  name: apiIdentityName
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: '${prefix}-kv-${uniqueString(resourceGroup().id)}'
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

resource signingKeySecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'signing-key-0'
  properties: {
    value: signingKey
  }
}

resource apiKeyMacKeySecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'api-key-mac-key'
  properties: {
    value: apiKeyMacKey
  }
}

resource adminKeySecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'admin-key'
  properties: {
    value: adminKey
  }
}

resource apiReadsSecrets 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: vault
  name: guid(vault.id, apiIdentity.id, secretsUser)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', secretsUser)
    principalId: apiIdentity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// Secret URIs without a version: a new secret version reaches the app at its next revision or restart.
@description('Key Vault reference of AdClicks:Tokens:SigningKeys:0.')
output signingKeyUri string = '${vault.properties.vaultUri}secrets/${signingKeySecret.name}'

@description('Key Vault reference of AdClicks:Auth:ApiKeyMacKey.')
output apiKeyMacKeyUri string = '${vault.properties.vaultUri}secrets/${apiKeyMacKeySecret.name}'

@description('Key Vault reference of AdClicks:Auth:AdminKey.')
output adminKeyUri string = '${vault.properties.vaultUri}secrets/${adminKeySecret.name}'
