import { describe, expect, it } from 'vitest';
import { type BicepFiles } from './infra-sources';
import { type RoleCatalog, checkGuidLiterals, checkRoleAssignments, checkRoleCatalog } from './role-checks';
import { checkSecretsStayInKeyVault } from './secret-checks';
import { checkHardening, checkModules, checkParametersFile } from './structure-checks';

const OWNER = '8e3af657-a8ff-443c-a75c-2fe8c4bcb635';
const BLOB_OWNER = 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b';
const catalog: RoleCatalog = { storageBlobDataOwner: { id: BLOB_OWNER, name: 'Storage Blob Data Owner' } };

function roleModule(name: string, role = 'roleId'): string {
    return `
param principalId string
param roleDefinitionIds array
resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: 'st'
}
resource other 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: 'st2'
}
resource assignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for roleId in roleDefinitionIds: {
  name: ${name}
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', ${role})
    principalId: principalId
  }
}]
`;
}

function withMain(main: string, roles: string = roleModule('guid(storage.id, principalId, roleId)')): BicepFiles {
    return new Map([
        ['main.bicep', main],
        ['modules/roles.bicep', roles],
    ]);
}

const goodCall = `
var roles = loadJsonContent('roles.json')
module r 'modules/roles.bicep' = {
  name: 'r'
  params: {
    principalId: 'p'
    roleDefinitionIds: [
      roles.storageBlobDataOwner.id
    ]
  }
}
`;

describe('the infra checks catch what they are for', () => {
    it('pass on a good role module call (the baseline for the failures below)', () => {
        // Act
        const problems = [...checkModules(withMain(goodCall)), ...checkRoleAssignments(withMain(goodCall), catalog)];

        // Assess
        expect(problems).toEqual([]);
    });

    it.each([
        ['a missing module file', () => checkModules(withMain(goodCall.replace('modules/roles.bicep', 'modules/gone.bicep'))), /modules\/gone\.bicep does not exist/],
        ['a param the module does not declare', () => checkModules(withMain(goodCall.replace("principalId: 'p'", "principalId: 'p'\n    extra: 1"))), /passes extra/],
        ['a required module param not passed', () => checkModules(withMain(goodCall.replace("principalId: 'p'", ''))), /does not pass principalId/],
        ['a role assignment name without the role', () => checkRoleAssignments(withMain(goodCall, roleModule('guid(storage.id, principalId)')), catalog), /name must be guid\(scope, principal, role\)/],
        ['a role assignment named after another resource', () => checkRoleAssignments(withMain(goodCall, roleModule('guid(other.id, principalId, roleId)')), catalog), /must be scoped to a resource/],
        ['a name whose role is not the one assigned', () => checkRoleAssignments(withMain(goodCall, roleModule('guid(storage.id, principalId, roleId)', `'${BLOB_OWNER}'`)), catalog), /roleDefinitionId must be/],
        ['Owner passed to a role module', () => checkRoleAssignments(withMain(goodCall.replace('roles.storageBlobDataOwner.id', `'${OWNER}'`)), catalog), /Owner .* is never assigned/],
        ['a role that is not in roles.json', () => checkRoleAssignments(withMain(goodCall.replace('storageBlobDataOwner', 'contributor')), catalog), /roles\.contributor is not in roles\.json/],
        ['a role computed from something else', () => checkRoleAssignments(withMain(goodCall.replace('roles.storageBlobDataOwner.id', 'someVar')), catalog), /neither roles\.<key>\.id nor a role GUID/],
        ['a role module that no call feeds', () => checkRoleAssignments(new Map([['modules/roles.bicep', roleModule('guid(storage.id, principalId, roleId)')]]), catalog), /no module call passes it roles/],
        ['Contributor listed in roles.json', () => checkRoleCatalog({ c: { id: 'b24988ac-6180-42a0-ab88-20f7382dd24c', name: 'Contributor' } }), /Contributor .* is never assigned/],
        ['a documented role under a wrong name', () => checkRoleCatalog({ c: { id: BLOB_OWNER, name: 'Reader' } }), /is Storage Blob Data Owner, not Reader/],
        ['User Access Administrator written anywhere', () => checkGuidLiterals(new Map([['x.bicep', "var r = '18d7d88d-d35e-4fb5-a5c3-7773c20c72c9'"]])), /User Access Administrator/],
    ])('flags %s', (_label, check, expected) => {
        // Act
        const problems = check();

        // Assess
        expect(problems.join('\n')).toMatch(expected);
    });

    it.each([
        ['an output of listKeys()', "resource ns 'Microsoft.Relay/namespaces@2021-11-01' existing = {\n  name: 'n'\n}\noutput key string = ns.listKeys().primaryKey", /output key exposes a list\*\(\) call/],
        ['a storage connection string with AccountKey in an app setting', "resource cfg 'Microsoft.Web/sites/config@2024-04-01' = {\n  name: 'appsettings'\n  properties: {\n    X: 'DefaultEndpointsProtocol=https;AccountName=a;AccountKey=${k}'\n  }\n}", /app settings of cfg hold a storage account key/],
        ['a Key Vault reference in an app setting', "resource cfg 'Microsoft.Web/sites/config@2024-04-01' = {\n  name: 'appsettings'\n  properties: {\n    X: '@Microsoft.KeyVault(SecretUri=https://v/secrets/s)'\n  }\n}", /Key Vault reference/],
        ['a @secure() parameter in an output', "@secure()\nparam pfxPassword string\noutput p string = pfxPassword", /the @secure\(\) parameter pfxPassword/],
        ['listKeys() passed anywhere but a Key Vault secret', "var keys = ns.listKeys()", /may only be the value of a Key Vault secret/],
    ])('flags %s', (_label, source, expected) => {
        // Act
        const problems = checkSecretsStayInKeyVault(new Map([['bad.bicep', source]]));

        // Assess
        expect(problems.join('\n')).toMatch(expected);
    });

    it.each([
        ['storage with shared keys', "resource s 'Microsoft.Storage/storageAccounts@2023-05-01' = {\n  name: 's'\n  properties: {\n    allowSharedKeyAccess: true\n  }\n}", /allowSharedKeyAccess: false/],
        ['a key vault with access policies', "resource v 'Microsoft.KeyVault/vaults@2023-07-01' = {\n  name: 'v'\n  properties: {\n    enableRbacAuthorization: false\n    accessPolicies: []\n  }\n}", /enableRbacAuthorization: true[\s\S]*must not have access policies/],
        ['Application Insights with local auth', "resource a 'Microsoft.Insights/components@2020-02-02' = {\n  name: 'a'\n  properties: {}\n}", /DisableLocalAuth: true/],
        ['a Relay rule with Manage', "resource r 'Microsoft.Relay/namespaces/authorizationRules@2021-11-01' = {\n  name: 'r'\n  properties: {\n    rights: [\n      'Listen'\n      'Manage'\n    ]\n  }\n}", /exactly one right/],
        ['a nested resource the reader would not follow', "resource s 'Microsoft.Storage/storageAccounts@2023-05-01' = {\n  name: 's'\n  properties: {\n    allowSharedKeyAccess: false\n  }\n  resource b 'blobServices' = {\n    name: 'default'\n  }\n}", /nested declaration/],
    ])('flags %s', (_label, source, expected) => {
        // Act
        const problems = checkHardening(new Map([['bad.bicep', source]]));

        // Assess
        expect(problems.join('\n')).toMatch(expected);
    });

    it.each([
        ['a parameter main.bicep does not declare', '{"$schema":"https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#","contentVersion":"1.0.0.0","parameters":{"name":{"value":"x"},"typo":{"value":"y"}}}', /typo is not declared/],
        ['a required parameter left out', '{"$schema":"https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#","contentVersion":"1.0.0.0","parameters":{}}', /required parameter name/],
        ['a file that is not azd\'s parameters form', '{"parameters":{"name":"x"}}', /\$schema[\s\S]*contentVersion[\s\S]*name has no value/],
    ])('flags %s', (_label, parametersJson, expected) => {
        // Prepare
        const main = "param name string\nparam optional string = 'o'";

        // Act
        const problems = checkParametersFile(main, parametersJson);

        // Assess
        expect(problems.join('\n')).toMatch(expected);
    });
});
