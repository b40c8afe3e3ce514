// One user-assigned identity per app: each gets only the data roles its app needs (granted where the resources are).
@description('Azure region of the identities.')
param location string

@description('The silos\' identity.')
param siloIdentityName string

@description('The Api\'s identity.')
param apiIdentityName string

resource silo 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: siloIdentityName
  location: location
}

resource api 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: apiIdentityName
  location: location
}

output siloIdentityId string = silo.id
output siloClientId string = silo.properties.clientId
output apiIdentityId string = api.id
output apiClientId string = api.properties.clientId
