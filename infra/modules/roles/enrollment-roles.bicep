// Grants the app's identity the two custom roles of enrollment-role-definitions.bicep, each on the one
// resource it is for: the relay namespace and the key vault. Named guid(resource, identity, role) from
// values known before the deployment starts, as identity-roles.bicep does.
@description('Name of the user-assigned identity that receives the roles.')
param identityName string

@description('Relay namespace the enrollment role applies to.')
param relayNamespaceName string

@description('GUID of the relay enrollment role.')
param relayRoleId string

@description('Key vault the secret writer role applies to.')
param keyVaultName string

@description('GUID of the agent vault writer role.')
param vaultRoleId string

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' existing = {
  name: identityName
}

resource relayNamespace 'Microsoft.Relay/namespaces@2026-01-01' existing = {
  name: relayNamespaceName
}

resource vault 'Microsoft.KeyVault/vaults@2026-05-15' existing = {
  name: keyVaultName
}

resource relayAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(relayNamespace.id, identity.id, relayRoleId)
  scope: relayNamespace
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', relayRoleId)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource secretAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, identity.id, vaultRoleId)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', vaultRoleId)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}
