// Grants the deploying user or service principal (azd's AZURE_PRINCIPAL_ID) built-in roles on the key
// vault only, so that the post-provision hook can create the agents' shared secrets.
@description('Object id of the deploying principal: a deployment parameter, known before the deployment starts.')
param principalId string

@description('Kind of the deploying principal.')
@allowed([
  'User'
  'ServicePrincipal'
  'Group'
])
param principalType string

@description('Role definition ids (GUIDs) to grant on the key vault.')
param keyVaultRoleIds string[]

@description('Key vault the roles apply to.')
param keyVaultName string

resource vault 'Microsoft.KeyVault/vaults@2026-05-15' existing = {
  name: keyVaultName
}

resource keyVaultAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for roleId in keyVaultRoleIds: {
    name: guid(vault.id, principalId, roleId)
    scope: vault
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
      principalId: principalId
      principalType: principalType
    }
  }
]
