// The one identity the Function App runs as: storage, Key Vault, Relay, telemetry and Graph.
import { tagSet } from '../types.bicep'

@description('Name of the user-assigned managed identity.')
param name string

@description('Region of the identity.')
param location string

@description('Tags applied to the identity.')
param tags tagSet

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: name
  location: location
  tags: tags
}

@description('Object id of the identity\'s service principal.')
output principalId string = identity.properties.principalId

@description('Client (application) id of the identity, which the app names to pick it.')
output clientId string = identity.properties.clientId
