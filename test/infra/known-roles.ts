/**
 * Built-in Azure role definitions, by GUID, as published in "Azure built-in roles"
 * (learn.microsoft.com/azure/role-based-access-control/built-in-roles). Kept here, apart from
 * infra/roles.json, so that a role added to the infrastructure must also be added to this list
 * on purpose.
 */
export const ALLOWED_ROLES: ReadonlyMap<string, string> = new Map([
    ['b7e6dc6d-f1e8-4753-8033-0f276bb0955b', 'Storage Blob Data Owner'],
    ['974c5e8b-45b9-4653-ba55-5f855dd0fb88', 'Storage Queue Data Contributor'],
    ['0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3', 'Storage Table Data Contributor'],
    ['a4417e6f-fecd-4de8-b567-7b0420556985', 'Key Vault Certificates Officer'],
    ['4633458b-17de-408a-b874-0445c86b69e6', 'Key Vault Secrets User'],
    ['b86a8fe4-44ce-4948-aee5-eccb2c155cd7', 'Key Vault Secrets Officer'],
    ['3913510d-42f4-4e42-8a64-420c390055eb', 'Monitoring Metrics Publisher'],
    // Send through hybrid connections with an Entra ID token:
    // https://learn.microsoft.com/azure/azure-relay/authenticate-application ("Azure Relay Sender").
    ['26baccc8-eea7-41f1-98f4-1762cc7f685d', 'Azure Relay Sender'],
]);

/** Roles that grant control of the resource or of access to it: never assigned by this product. */
export const FORBIDDEN_ROLES: ReadonlyMap<string, string> = new Map([
    ['8e3af657-a8ff-443c-a75c-2fe8c4bcb635', 'Owner'],
    ['b24988ac-6180-42a0-ab88-20f7382dd24c', 'Contributor'],
    ['18d7d88d-d35e-4fb5-a5c3-7773c20c72c9', 'User Access Administrator'],
    ['f58310d9-a9f6-439a-9e8d-f62e7b41a168', 'Role Based Access Control Administrator'],
    ['00482a5a-887f-4fb3-b363-3b7fe8e74483', 'Key Vault Administrator'],
    ['2787bf04-f1f5-4bfe-8383-c8a24483ee38', 'Azure Relay Owner'],
    // The cloud never listens: a listener on an organization's connection would take its agent's requests.
    ['26e0b698-aa6d-4085-9386-aadae190014d', 'Azure Relay Listener'],
]);

/**
 * Custom roles the deployment may define and grant, with the exact operations each may hold (the
 * definitions are in infra/modules/roles/enrollment-role-definitions.bicep; a change there must be
 * made here too, on purpose). Names as in the definition, without the deployment's suffix.
 */
export const ALLOWED_CUSTOM_ROLES: ReadonlyMap<string, { readonly actions: readonly string[]; readonly dataActions: readonly string[] }> = new Map([
    [
        'Push proxy organization enrollment',
        {
            // One per Azure Resource Manager call of lib/relay/relay-management.ts.
            actions: [
                'Microsoft.Relay/namespaces/HybridConnections/read',
                'Microsoft.Relay/namespaces/HybridConnections/write',
                'Microsoft.Relay/namespaces/HybridConnections/Delete',
                'Microsoft.Relay/namespaces/HybridConnections/authorizationRules/write',
                'Microsoft.Relay/namespaces/HybridConnections/authorizationRules/listkeys/action',
            ],
            dataActions: [],
        },
    ],
    [
        'Push proxy agent secret writer',
        {
            // SecretClient.setSecret and beginDeleteSecret (lib/app-services/vault-secrets.ts).
            actions: [],
            dataActions: ['Microsoft.KeyVault/vaults/secrets/setSecret/action', 'Microsoft.KeyVault/vaults/secrets/delete', 'Microsoft.KeyVault/vaults/secrets/recover/action'],
        },
    ],
]);
