import { statSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { objectEntries, readResources, readStatements } from './bicep-reader';
import { REPO_ROOT, readBicepFiles, readInfraText } from './infra-sources';
import { type RoleCatalog, checkGuidLiterals, checkRoleAssignments, checkRoleCatalog, grantedRoles } from './role-checks';
import { checkSecretsStayInKeyVault } from './secret-checks';
import { checkHardening, checkModules, checkParametersFile } from './structure-checks';

const files = readBicepFiles();
const catalog = JSON.parse(readInfraText('roles.json')) as RoleCatalog;

describe('infra/ (checked without the Bicep compiler)', () => {
    it('reads a main.bicep and its modules', () => {
        // Act
        const paths = [...files.keys()];

        // Assess
        expect(paths).toEqual(expect.arrayContaining(['main.bicep', 'modules/relay.bicep', 'modules/roles/storage-roles.bicep']));
    });

    it('sees the resources the checks below are about, so that passing means something', () => {
        // Act
        const types = [...files.values()].flatMap((source) => readResources(readStatements(source)).filter((r) => !r.existing).map((r) => r.type));
        const count = (type: string): number => types.filter((t) => t === type).length;

        // Assess
        expect({
            storage: count('Microsoft.Storage/storageAccounts'),
            vault: count('Microsoft.KeyVault/vaults'),
            vaultSecret: count('Microsoft.KeyVault/vaults/secrets'),
            appInsights: count('Microsoft.Insights/components'),
            roleAssignments: count('Microsoft.Authorization/roleAssignments'),
            relaySendRule: count('Microsoft.Relay/namespaces/authorizationRules'),
            relayListenRule: count('Microsoft.Relay/namespaces/hybridConnections/authorizationRules'),
            appSettings: count('Microsoft.Web/sites/config'),
        }).toEqual({ storage: 1, vault: 1, vaultSecret: 1, appInsights: 1, roleAssignments: 3, relaySendRule: 1, relayListenRule: 1, appSettings: 1 });
    });

    it.each([
        ['every module path exists and gets exactly the params it declares', () => checkModules(files)],
        ['main.parameters.json declares only main.bicep params and gives every required one', () => checkParametersFile(files.get('main.bicep')!, readInfraText('main.parameters.json'))],
        ['roles.json lists only documented roles', () => checkRoleCatalog(catalog)],
        ['every role assignment is guid(scope, principal, role), scoped to its resource, with a documented role', () => checkRoleAssignments(files, catalog)],
        ['every GUID in the Bicep files is a documented role', () => checkGuidLiterals(files)],
        ['no output or app setting holds a secret; list*() feeds only Key Vault secrets', () => checkSecretsStayInKeyVault(files)],
        ['storage without shared keys, Key Vault in RBAC mode, no local auth, single-right Relay rules', () => checkHardening(files)],
    ])('%s', (_label, check) => {
        // Act
        const problems = check();

        // Assess
        expect(problems).toEqual([]);
    });

    it('grants exactly these roles, each on one resource', () => {
        // Act
        const grants = grantedRoles(files, catalog).map((g) => `${g.module} | ${g.principal} | ${g.role}`);

        // Assess
        expect(grants.sort()).toEqual([
            'modules/roles/appinsights-roles.bicep | identity.outputs.principalId | Monitoring Metrics Publisher',
            'modules/roles/keyvault-roles.bicep | identity.outputs.principalId | Key Vault Certificates Officer',
            'modules/roles/keyvault-roles.bicep | identity.outputs.principalId | Key Vault Secrets User',
            'modules/roles/keyvault-roles.bicep | principalId | Key Vault Secrets Officer',
            'modules/roles/storage-roles.bicep | identity.outputs.principalId | Storage Blob Data Owner',
            'modules/roles/storage-roles.bicep | identity.outputs.principalId | Storage Queue Data Contributor',
            'modules/roles/storage-roles.bicep | identity.outputs.principalId | Storage Table Data Contributor',
        ]);
    });

    it('sets every app setting the app reads, with identity-based storage and Entra telemetry', () => {
        // Prepare
        const resources = readResources(readStatements(files.get('modules/function-app.bicep')!));
        const appSettings = resources.find((r) => r.type === 'Microsoft.Web/sites/config' && r.properties.get('name') === "'appsettings'");

        // Act
        const settings = objectEntries(appSettings?.properties.get('properties') ?? '{}');

        // Assess
        expect([...settings.keys()]).toEqual(
            expect.arrayContaining([
                'AzureWebJobsStorage__accountName', 'AzureWebJobsStorage__credential', 'AzureWebJobsStorage__clientId',
                'PPO_AZURE_CLIENT_ID', 'PPO_CLOUD', 'PPO_KEY_VAULT_URL',
                'PPO_RELAY_NAMESPACE', 'PPO_RELAY_SEND_RULE', 'PPO_RELAY_SEND_KEY_SECRET', 'PPO_AGENT_SECRET_PREFIX',
                'PPO_REGISTRY_TABLE_ENDPOINT', 'PPO_REGISTRY_TABLE', 'PPO_REVERIFY_SCHEDULE', 'PPO_RENEWAL_WINDOW_DAYS',
                'APPLICATIONINSIGHTS_CONNECTION_STRING', 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING',
            ]),
        );
        expect(settings.get('AzureWebJobsStorage__credential')).toBe("'managedidentity'");
        expect(settings.get('APPLICATIONINSIGHTS_AUTHENTICATION_STRING')).toMatch(/^'Authorization=AAD;ClientId=\$\{/);
    });

    it('points azure.yaml at hooks that exist, the POSIX one executable (azd runs it directly)', () => {
        // Prepare
        const azureYaml = readFileSync(join(REPO_ROOT, 'azure.yaml'), 'utf8');

        // Act
        const hooks = [...azureYaml.matchAll(/^\s*run:\s*(\S+)\s*$/gm)].map((m) => join(REPO_ROOT, m[1]!));

        // Assess
        expect(hooks.map((h) => h.slice(REPO_ROOT.length))).toEqual(['/infra/hooks/postprovision.sh', '/infra/hooks/postprovision.ps1']);
        expect(hooks.every((h) => existsSync(h))).toBe(true);
        expect(statSync(hooks[0]!).mode & 0o111).not.toBe(0);
    });
});
