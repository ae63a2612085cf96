// Custom roles for enrolling organizations at run time (main.bicep, enrollOrganizations), each with
// exactly the operations the app performs and nothing else. The built-in roles that would cover them
// also let the holder listen on every hybrid connection (Azure Relay Owner, Azure Relay Listener) or
// read, back up and restore every secret (Key Vault Secrets Officer). test/infra pins both lists.
// A role definition lives in the subscription (so this module targets it); it is assignable in this
// deployment's resource group only. AssignableScopes take management groups, subscriptions or
// resource groups: https://learn.microsoft.com/azure/role-based-access-control/role-definitions#assignablescopes
// Creating it needs Microsoft.Authorization/roleDefinitions/write (Owner or User Access Administrator).
targetScope = 'subscription'

@description('GUID naming the relay enrollment role (unique per deployment).')
param relayRoleId string

@description('GUID naming the agent secret writer role (unique per deployment).')
param vaultRoleId string

@description('Resource group the roles can be assigned in, and nowhere else.')
param assignableScope string

@description('Appended to the role names, which must be unique in the directory.')
param nameSuffix string

// Microsoft.Relay operations (Get-AzRelayOperation; "Azure permissions for Integration",
// https://learn.microsoft.com/azure/role-based-access-control/permissions/integration#microsoftrelay),
// one per call of lib/relay/relay-management.ts (control plane 2024-01-01,
// https://learn.microsoft.com/rest/api/relay/controlplane-stable/hybrid-connections):
//  GET    hybridConnections/{name}                                  read
//  PUT    hybridConnections/{name}                                  write
//  DELETE hybridConnections/{name} (its rules go with it)           Delete
//  PUT    hybridConnections/{name}/authorizationRules/{rule}        authorizationRules/write
//  POST   .../authorizationRules/{rule}/listKeys (handed out once)  authorizationRules/listkeys/action
// No data action: the app sends with Azure Relay Sender and never listens.
resource relayEnrollment 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  name: relayRoleId
  properties: {
    roleName: 'Push proxy organization enrollment (${nameSuffix})'
    description: 'Creates and deletes the hybrid connections of the push proxy relay namespace and their Listen rules, and reads a new rule\'s key once.'
    type: 'CustomRole'
    assignableScopes: [
      assignableScope
    ]
    permissions: [
      {
        actions: [
          'Microsoft.Relay/namespaces/HybridConnections/read'
          'Microsoft.Relay/namespaces/HybridConnections/write'
          'Microsoft.Relay/namespaces/HybridConnections/Delete'
          'Microsoft.Relay/namespaces/HybridConnections/authorizationRules/write'
          'Microsoft.Relay/namespaces/HybridConnections/authorizationRules/listkeys/action'
        ]
        notActions: []
        dataActions: []
        notDataActions: []
      }
    ]
  }
}

// Key Vault data actions ("Azure permissions for Security",
// https://learn.microsoft.com/azure/role-based-access-control/permissions/security#microsoftkeyvault;
// access policy "Set" and "Delete" mapped in https://learn.microsoft.com/azure/key-vault/general/rbac-migration):
// SecretClient.setSecret (PUT secrets/{name}) and beginDeleteSecret (DELETE secrets/{name}; its poller
// then reads the deleted secret and takes 403 as done). Reading stays with Key Vault Secrets User.
resource agentSecretWriter 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  name: vaultRoleId
  properties: {
    roleName: 'Push proxy agent secret writer (${nameSuffix})'
    description: 'Writes, deletes and recovers the push proxy agents\' shared secrets in its key vault; reads nothing.'
    type: 'CustomRole'
    assignableScopes: [
      assignableScope
    ]
    permissions: [
      {
        actions: []
        notActions: []
        dataActions: [
          'Microsoft.KeyVault/vaults/secrets/setSecret/action'
          'Microsoft.KeyVault/vaults/secrets/delete'
          // An organization enrolled again after its removal: its soft-deleted secret is recovered, then overwritten.
          'Microsoft.KeyVault/vaults/secrets/recover/action'
        ]
        notDataActions: []
      }
    ]
  }
}
