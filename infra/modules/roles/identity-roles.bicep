// Grants built-in roles (infra/roles.json) to the app's managed identity, each on one resource of this
// resource group and nowhere else. An assignment is named guid(resource, identity, role), from values
// known before the deployment starts, so that What-If and redeployments see the same name.
@description('Name of the user-assigned identity that receives the roles.')
param identityName string

@description('Role definition ids (GUIDs) to grant on the storage account.')
param storageRoleIds string[]

@description('Storage account the storage roles apply to.')
param storageAccountName string

@description('Role definition ids (GUIDs) to grant on the key vault.')
param keyVaultRoleIds string[]

@description('Key vault the Key Vault roles apply to.')
param keyVaultName string

@description('Role definition ids (GUIDs) to grant on the Relay namespace.')
param relayRoleIds string[]

@description('Relay namespace the Relay roles apply to.')
param relayNamespaceName string

@description('Role definition ids (GUIDs) to grant on the Application Insights component.')
param applicationInsightsRoleIds string[]

@description('Application Insights component the monitoring roles apply to.')
param applicationInsightsName string

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' existing = {
  name: identityName
}

resource storage 'Microsoft.Storage/storageAccounts@2026-09-01' existing = {
  name: storageAccountName
}

resource vault 'Microsoft.KeyVault/vaults@2026-05-15' existing = {
  name: keyVaultName
}

resource relayNamespace 'Microsoft.Relay/namespaces@2026-01-01' existing = {
  name: relayNamespaceName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource storageAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for roleId in storageRoleIds: {
    name: guid(storage.id, identity.id, roleId)
    scope: storage
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
      principalId: identity.properties.principalId
      principalType: 'ServicePrincipal'
    }
  }
]

resource keyVaultAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for roleId in keyVaultRoleIds: {
    name: guid(vault.id, identity.id, roleId)
    scope: vault
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
      principalId: identity.properties.principalId
      principalType: 'ServicePrincipal'
    }
  }
]

resource relayAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for roleId in relayRoleIds: {
    name: guid(relayNamespace.id, identity.id, roleId)
    scope: relayNamespace
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
      principalId: identity.properties.principalId
      principalType: 'ServicePrincipal'
    }
  }
]

resource applicationInsightsAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for roleId in applicationInsightsRoleIds: {
    name: guid(applicationInsights.id, identity.id, roleId)
    scope: applicationInsights
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
      principalId: identity.properties.principalId
      principalType: 'ServicePrincipal'
    }
  }
]
