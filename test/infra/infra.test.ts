import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { allRoutes, unauthenticatedPaths } from '../../functions/http/api-routes';
import { settingsSchema } from '../../lib/config';
import { infraTokenStoreEnabled } from '../../local/host/http/app-service-auth';
import { INFRA_DIR, REPO_ROOT } from './infra-sources';
import { ALLOWED_CUSTOM_ROLES } from './known-roles';
import { type RoleGrant, appSettings, checkDeploymentFindings, checkIdentityBasedConnections, checkNoSecrets, customRoleDefinitions, roleGrants } from './support/arm-checks';
import { type ArmResource, type ArmTemplate, expressionOf, resolveVariablePath } from './support/arm-template';
import { type Compilation, bicepExecutable, compileInfrastructure } from './support/bicep-compiler';

let compiled: Compilation;

beforeAll(() => {
    compiled = compileInfrastructure();
}, 300_000);

/** A copy of the compiled template to plant a fault in. */
function mutable(): { template: ArmTemplate; resource: (type: string) => Record<string, unknown> } {
    const template = structuredClone(compiled.template);
    const find = (t: ArmTemplate, type: string): ArmResource | undefined => {
        for (const r of Object.values(t.resources)) {
            if (r.type === type && !r.existing) return r;
            const inner = r.type === 'Microsoft.Resources/deployments' ? find(r.properties?.template as ArmTemplate, type) : undefined;
            if (inner) return inner;
        }
        return undefined;
    };
    return {
        template,
        resource: (type) => {
            const found = find(template, type);
            if (!found) throw new Error(`no ${type} in the compiled template`);
            return found;
        },
    };
}

describe('infra/main.bicep, compiled by the real Bicep compiler', () => {
    it('builds with no diagnostic', () => {
        // Assess
        expect(compiled.build).toEqual({ status: 0, diagnostics: '' });
    });

    it('lints with no diagnostic under bicepconfig.json, where every core rule is an error', () => {
        // Prepare
        const config = JSON.parse(readFileSync(join(INFRA_DIR, 'bicepconfig.json'), 'utf8')) as { analyzers: { core: { enabled: boolean; rules: Record<string, { level: string }> } } };
        const levels = new Set(Object.values(config.analyzers.core.rules).map((r) => r.level));

        // Assess
        expect(config.analyzers.core.enabled).toBe(true);
        expect(levels).toEqual(new Set(['error']));
        expect(compiled.lint).toEqual({ status: 0, diagnostics: '' });
    });

    it('fails the lint of a file that breaks a rule which is off by default (use-description-params), so the configuration is the one in force', () => {
        // Prepare
        const dir = mkdtempSync(join(tmpdir(), 'ppo-bicep-lint-'));
        copyFileSync(join(INFRA_DIR, 'bicepconfig.json'), join(dir, 'bicepconfig.json'));
        writeFileSync(join(dir, 'main.bicep'), "param undocumented string\n\n@description('Echo.')\noutput echoed string = undocumented\n");

        // Act
        const result = spawnSync(bicepExecutable(), ['lint', join(dir, 'main.bicep')], { encoding: 'utf8', timeout: 300_000 });
        rmSync(dir, { recursive: true, force: true });

        // Assess
        expect(result.status).not.toBe(0);
        expect(result.stderr).toMatch(/Error use-description-params/);
    }, 300_000);
});

describe('role assignments in the compiled template', () => {
    const expected: RoleGrant[] = [
        { scopeType: 'Microsoft.Storage/storageAccounts', principal: 'app identity', role: 'Storage Blob Data Owner' },
        { scopeType: 'Microsoft.Storage/storageAccounts', principal: 'app identity', role: 'Storage Queue Data Contributor' },
        { scopeType: 'Microsoft.Storage/storageAccounts', principal: 'app identity', role: 'Storage Table Data Contributor' },
        { scopeType: 'Microsoft.KeyVault/vaults', principal: 'app identity', role: 'Key Vault Certificates Officer' },
        { scopeType: 'Microsoft.KeyVault/vaults', principal: 'app identity', role: 'Key Vault Secrets User' },
        { scopeType: 'Microsoft.Relay/namespaces', principal: 'app identity', role: 'Azure Relay Sender' },
        { scopeType: 'Microsoft.Insights/components', principal: 'app identity', role: 'Monitoring Metrics Publisher' },
        { scopeType: 'Microsoft.KeyVault/vaults', principal: 'deployer', role: 'Key Vault Secrets Officer' },
        // Custom roles, with enrollOrganizations only.
        { scopeType: 'Microsoft.Relay/namespaces', principal: 'app identity', role: 'Push proxy organization enrollment' },
        { scopeType: 'Microsoft.KeyVault/vaults', principal: 'app identity', role: 'Push proxy agent secret writer' },
    ];

    it('has no assignment that is scoped wider than one resource, given to another principal or with a role not allowed', () => {
        // Act
        const { problems } = roleGrants(compiled.template);

        // Assess
        expect(problems).toEqual([]);
    });

    it.each(expected)('grants $role to the $principal on one $scopeType', (grant) => {
        // Act
        const { grants } = roleGrants(compiled.template);

        // Assess
        expect(grants).toContainEqual(grant);
    });

    it('grants nothing beyond the rows above', () => {
        // Act
        const { grants } = roleGrants(compiled.template);

        // Assess
        expect(grants).toHaveLength(expected.length);
    });

    it('lists in infra/roles.json exactly the roles it grants, each with its reason', () => {
        // Prepare
        const catalog = JSON.parse(readFileSync(join(INFRA_DIR, 'roles.json'), 'utf8')) as Record<string, { name: string; why: string }>;

        // Assess
        expect(Object.values(catalog).map((r) => r.name).sort()).toEqual([...new Set(expected.map((g) => g.role))].sort());
        expect(Object.values(catalog).every((r) => r.why.length > 20)).toBe(true);
    });
});

describe('the custom roles of run-time enrollment in the compiled template', () => {
    /** A role definition of the compiled template, by the start of its role name. */
    function definition(m: ReturnType<typeof mutable>, name: string): Record<string, unknown> {
        const found = (function collect(t: ArmTemplate): ArmResource[] {
            return Object.values(t.resources).flatMap((r) => (r.type === 'Microsoft.Resources/deployments' ? collect(r.properties?.template as ArmTemplate) : [r]));
        })(m.template).find((r) => r.type === 'Microsoft.Authorization/roleDefinitions' && String(r.properties?.roleName).includes(name));
        if (!found) throw new Error(`no role definition ${name}`);
        return found.properties as Record<string, unknown>;
    }
    const permissionsOf = (m: ReturnType<typeof mutable>, name: string): { actions: string[]; dataActions: string[] } => (definition(m, name).permissions as { actions: string[]; dataActions: string[] }[])[0]!;

    it('defines exactly the custom roles test/infra/known-roles.ts pins, with their actions, assignable in the resource group only', () => {
        // Act
        const { roles, problems } = customRoleDefinitions(compiled.template);

        // Assess
        expect(problems).toEqual([]);
        expect([...roles.values()].map((r) => ({ label: r.label, actions: r.actions, dataActions: r.dataActions }))).toEqual(
            [...ALLOWED_CUSTOM_ROLES.entries()].map(([label, pinned]) => ({ label, actions: pinned.actions, dataActions: pinned.dataActions })),
        );
    });

    it('pins no wildcard, nothing of Microsoft.Authorization and no Relay data action', () => {
        // Act
        const all = [...ALLOWED_CUSTOM_ROLES.values()].flatMap((r) => [...r.actions, ...r.dataActions]);

        // Assess
        expect(all.filter((a) => a.includes('*') || /^Microsoft\.Authorization\//i.test(a))).toEqual([]);
        expect([...ALLOWED_CUSTOM_ROLES.values()].flatMap((r) => r.dataActions).filter((a) => a.startsWith('Microsoft.Relay/'))).toEqual([]);
    });

    it('defines and grants them only when enrollOrganizations is true', () => {
        // Act
        const conditions = Object.entries(compiled.template.resources)
            .filter(([symbol]) => symbol.startsWith('enrollment'))
            .map(([symbol, r]) => [symbol, r.condition]);

        // Assess
        expect(conditions).toEqual([
            ['enrollmentRoleDefinitions', "[parameters('enrollOrganizations')]"],
            ['enrollmentRoles', "[parameters('enrollOrganizations')]"],
        ]);
    });

    it.each([
        { fault: 'a wildcard action', plant: (m: ReturnType<typeof mutable>) => permissionsOf(m, 'organization enrollment').actions.push('Microsoft.Relay/namespaces/*'), expected: /is a wildcard/ },
        { fault: 'an action that grants roles', plant: (m: ReturnType<typeof mutable>) => permissionsOf(m, 'organization enrollment').actions.push('Microsoft.Authorization/roleAssignments/write'), expected: /controls access itself/ },
        { fault: 'the Relay Listen data action', plant: (m: ReturnType<typeof mutable>) => permissionsOf(m, 'organization enrollment').dataActions.push('Microsoft.Relay/namespaces/messages/listen/action'), expected: /sends or listens on the relay/ },
        { fault: 'an action the pin does not list', plant: (m: ReturnType<typeof mutable>) => permissionsOf(m, 'organization enrollment').actions.push('Microsoft.Relay/namespaces/authorizationRules/listkeys/action'), expected: /not the ones test\/infra\/known-roles.ts pins/ },
        { fault: 'a secret read added to the writer', plant: (m: ReturnType<typeof mutable>) => permissionsOf(m, 'agent secret writer').dataActions.push('Microsoft.KeyVault/vaults/secrets/getSecret/action'), expected: /agent secret writer\): its actions/ },
        {
            fault: 'notActions',
            plant: (m: ReturnType<typeof mutable>) => Object.assign(permissionsOf(m, 'agent secret writer'), { actions: ['Microsoft.KeyVault/vaults/read'], notActions: ['Microsoft.KeyVault/vaults/delete'] }),
            expected: /uses notActions/,
        },
        { fault: 'a role assignable in the whole subscription', plant: (m: ReturnType<typeof mutable>) => (definition(m, 'organization enrollment').assignableScopes = ['[subscription().id]']), expected: /not the deployment's resource group only/ },
        {
            fault: 'an assignment of a custom role the deployment does not define',
            plant: (m: ReturnType<typeof mutable>) => {
                const enrollment = (m.template.resources as Record<string, ArmResource>).enrollmentRoles!;
                (enrollment.properties!.parameters as Record<string, { value: string }>).relayRoleId!.value = "[variables('someOtherRoleId')]";
            },
            expected: /neither a built-in role nor a valid custom role/,
        },
    ])('finds $fault planted in a custom role', ({ plant, expected }) => {
        // Prepare
        const m = mutable();
        plant(m);

        // Act
        const { problems } = roleGrants(m.template);

        // Assess
        expect(problems.join('\n')).toMatch(expected);
    });
});

describe('connections, secrets and the deployment findings in the compiled template', () => {
    it.each([
        { check: 'identity-based connections everywhere (storage, telemetry, Key Vault, package, Relay)', run: checkIdentityBasedConnections },
        { check: 'no secret in outputs or app settings, no list*() call, no secret written', run: checkNoSecrets },
        { check: 'Node.js 22, a Key Vault name that survives azd down, the TenantVerified alert and its action group', run: checkDeploymentFindings },
    ])('$check', ({ run }) => {
        // Act
        const problems = run(compiled.template);

        // Assess
        expect(problems).toEqual([]);
    });

    it.each([
        {
            fault: 'a role assignment scoped to the resource group',
            check: (t: ArmTemplate) => roleGrants(t).problems,
            plant: (m: ReturnType<typeof mutable>) => delete m.resource('Microsoft.Authorization/roleAssignments').scope,
            expected: /is not one resource of the resource group/,
        },
        {
            fault: 'Owner granted',
            check: (t: ArmTemplate) => roleGrants(t).problems,
            plant: (m: ReturnType<typeof mutable>) => {
                const roles = m.template.variables!['$fxv#0'] as Record<string, { id: string }>;
                roles.storageBlobDataOwner!.id = '8e3af657-a8ff-443c-a75c-2fe8c4bcb635';
            },
            expected: /grants Owner/,
        },
        {
            fault: 'a role assignment named without its role',
            check: (t: ArmTemplate) => roleGrants(t).problems,
            plant: (m: ReturnType<typeof mutable>) => {
                const r = m.resource('Microsoft.Authorization/roleAssignments');
                r.name = String(r.name).replace(/, parameters\('storageRoleIds'\)\[copyIndex\(\)\]\)\]$/, ')]');
            },
            expected: /is not guid\(scope, principal, role\)/,
        },
        {
            fault: 'the Relay Send key read with listKeys into an app setting',
            check: checkNoSecrets,
            plant: (m: ReturnType<typeof mutable>) => {
                (m.resource('Microsoft.Web/sites/config').properties as Record<string, unknown>).PPO_RELAY_SEND_KEY = "[listKeys(resourceId('Microsoft.Relay/namespaces/authorizationRules', 'ns', 'send'), '2021-11-01').primaryKey]";
            },
            expected: /list\*\(\)|app setting PPO_RELAY_SEND_KEY carries a secret/,
        },
        {
            fault: 'a storage connection string as an output',
            check: checkNoSecrets,
            plant: (m: ReturnType<typeof mutable>) => {
                (m.template.outputs as Record<string, unknown>).STORAGE = { type: 'string', value: "[format('DefaultEndpointsProtocol=https;AccountKey={0}', parameters('x'))]" };
            },
            expected: /output STORAGE carries a secret/,
        },
        {
            fault: 'a namespace-wide Send rule',
            check: checkIdentityBasedConnections,
            plant: (m: ReturnType<typeof mutable>) => {
                (m.template.resources as Record<string, unknown>).sendRule = { type: 'Microsoft.Relay/namespaces/authorizationRules', name: 'ns/send', properties: { rights: ['Send'] } };
            },
            expected: /a namespace-wide SAS rule/,
        },
        {
            fault: 'the relay sender back on SAS',
            check: checkIdentityBasedConnections,
            plant: (m: ReturnType<typeof mutable>) => {
                (m.resource('Microsoft.Web/sites/config').properties as Record<string, unknown>).PPO_RELAY_AUTH = 'sas';
            },
            expected: /PPO_RELAY_AUTH/,
        },
        {
            fault: 'storage with shared keys',
            check: checkIdentityBasedConnections,
            plant: (m: ReturnType<typeof mutable>) => {
                (m.resource('Microsoft.Storage/storageAccounts').properties as Record<string, unknown>).allowSharedKeyAccess = true;
            },
            expected: /storage accepts shared keys/,
        },
        {
            fault: 'Node.js 20 allowed',
            check: checkDeploymentFindings,
            plant: (m: ReturnType<typeof mutable>) => {
                (m.template.parameters!.nodeVersion as unknown as { allowedValues: string[] }).allowedValues = ['20', '22'];
            },
            expected: /nodeVersion allows/,
        },
        {
            fault: 'a Key Vault name without the generation',
            check: checkDeploymentFindings,
            plant: (m: ReturnType<typeof mutable>) => {
                m.template.variables!.keyVaultName = "[format('kv-ppo-{0}', variables('resourceToken'))]";
            },
            expected: /does not change with keyVaultGeneration/,
        },
        {
            fault: 'an alert rule without its action group',
            check: checkDeploymentFindings,
            plant: (m: ReturnType<typeof mutable>) => {
                (m.resource('Microsoft.Insights/scheduledQueryRules').properties as Record<string, unknown>).actions = {};
            },
            expected: /notifies no action group/,
        },
    ])('finds $fault planted in the compiled template', ({ check, plant, expected }) => {
        // Prepare
        const m = mutable();
        plant(m);

        // Act
        const problems = check(m.template);

        // Assess
        expect(problems.join('\n')).toMatch(expected);
    });

    it('sets every app setting the app requires (lib/config), only settings the app knows, and none for a Relay key', () => {
        // Prepare
        const known = Object.keys(settingsSchema.shape);
        const required = Object.entries(settingsSchema.shape)
            .filter(([, schema]) => !schema.safeParse(undefined).success)
            .map(([name]) => name);

        // Act
        const names = Object.keys(appSettings(compiled.template));

        // Assess
        expect(required).toEqual(expect.arrayContaining(['PPO_KEY_VAULT_URL', 'PPO_RELAY_NAMESPACE']));
        // The timer binding reads %PPO_REVERIFY_SCHEDULE% itself, before lib/config could default it.
        expect(names).toEqual(expect.arrayContaining([...required, 'PPO_AZURE_CLIENT_ID', 'PPO_REGISTRY_TABLE_ENDPOINT', 'PPO_RELAY_AUTH', 'PPO_REVERIFY_SCHEDULE']));
        expect(names.filter((n) => n.startsWith('PPO_') && !known.includes(n))).toEqual([]);
        expect(names.filter((n) => n.startsWith('PPO_RELAY_SEND'))).toEqual([]);
    });

    it('gives main.parameters.json only parameters main.bicep declares, and a value for every required one', () => {
        // Prepare
        const file = JSON.parse(readFileSync(join(INFRA_DIR, 'main.parameters.json'), 'utf8')) as { parameters: Record<string, unknown> };
        const declared = compiled.template.parameters ?? {};

        // Act
        const unknown = Object.keys(file.parameters).filter((name) => !(name in declared));
        const missing = Object.entries(declared).filter(([name, p]) => !('defaultValue' in p) && !(name in file.parameters)).map(([name]) => name);

        // Assess
        expect({ unknown, missing }).toEqual({ unknown: [], missing: [] });
    });
});

/** The authsettingsV2 resource and the (module) template that holds it, whose variables its expressions name. */
function authSettingsOf(template: ArmTemplate): { readonly settings: ArmResource | undefined; readonly holder: ArmTemplate } {
    for (const resource of Object.values(template.resources)) {
        if (resource.type === 'Microsoft.Resources/deployments') {
            const found = authSettingsOf(resource.properties?.template as ArmTemplate);
            if (found.settings !== undefined) return found;
        } else if (resource.type === 'Microsoft.Web/sites/config' && String(resource.name).includes('authsettingsV2')) {
            return { settings: resource, holder: template };
        }
    }
    return { settings: undefined, holder: template };
}

/** authsettingsV2 `login` as deployed: loadJsonContent inlines the file as a variable of the module's template. */
function deployedLogin(template: ArmTemplate): unknown {
    const { settings, holder } = authSettingsOf(template);
    const login = settings?.properties?.login;
    const expression = expressionOf(login);
    return expression === undefined ? login : resolveVariablePath(holder, expression);
}

describe('App Service authentication in the compiled template', () => {
    it('puts Entra ID before every route but the public ones: 401 without a token, the API registration as audience, no token store, the app\'s public paths excluded', () => {
        // Prepare
        const auth = mutable().resource('Microsoft.Web/sites/config');
        const { settings } = authSettingsOf(compiled.template);

        // Act
        const properties = settings?.properties as Record<string, Record<string, unknown>> | undefined;
        const aad = (properties?.identityProviders?.azureActiveDirectory ?? {}) as { enabled?: boolean; validation?: { allowedAudiences?: unknown[] } };

        // Assess
        expect(auth).toBeDefined();
        expect(settings?.condition).toBeDefined();
        expect(properties?.globalValidation).toMatchObject({ requireAuthentication: true, unauthenticatedClientAction: 'Return401' });
        expect(properties?.globalValidation?.excludedPaths).toBe("[parameters('publicPaths')]");
        expect(deployedLogin(compiled.template)).toEqual({ tokenStore: { enabled: false } });
        expect(aad.enabled).toBe(true);
        expect(aad.validation?.allowedAudiences).toHaveLength(2);
        expect(allRoutes().every((route) => route.authLevel === 'anonymous')).toBe(true);
    });
});

describe('the token store, on Azure and in the local stack', () => {
    it('is what the local emulation of App Service authentication answers /.auth/me by: both read infra/app-service-auth-login.json', () => {
        // Act
        const deployed = deployedLogin(compiled.template) as { tokenStore?: { enabled?: unknown } } | undefined;
        const file = JSON.parse(readFileSync(join(INFRA_DIR, 'app-service-auth-login.json'), 'utf8')) as unknown;

        // Assess
        expect(deployed?.tokenStore?.enabled).toBe(infraTokenStoreEnabled());
        expect(deployed).toEqual(file);
        expect(readFileSync(join(INFRA_DIR, 'modules', 'function-app.bicep'), 'utf8')).toContain("login: loadJsonContent('../app-service-auth-login.json')");
    });
});

describe('the paths App Service authentication leaves open on Azure', () => {
    /** The function app module's deployment, and the value main.bicep gives its publicPaths. */
    function deployedPublicPaths(): unknown {
        const deployments = Object.values(compiled.template.resources).filter((r) => r.type === 'Microsoft.Resources/deployments');
        const functionApp = deployments.find((r) => (r.properties?.parameters as Record<string, unknown> | undefined)?.publicPaths !== undefined);
        const value = (functionApp?.properties?.parameters as Record<string, { value?: unknown }> | undefined)?.publicPaths?.value;
        // loadJsonContent inlines the file as a variable of the template: "[variables('$fxv#0')]".
        const expression = expressionOf(value);
        return expression === undefined ? value : resolveVariablePath(compiled.template, expression);
    }

    it('are in the compiled template exactly the paths the app and the local stack leave public (unauthenticatedPaths), the console\'s page and files included', () => {
        // Act
        const excluded = deployedPublicPaths();

        // Assess
        expect(excluded).toEqual(unauthenticatedPaths());
        expect(excluded).toEqual(expect.arrayContaining(['/api/console/', '/api/console/app.js', '/api/openapi.json']));
    });

    it('come from infra/public-paths.json, kept equal to the route table (change functions/http/api-routes.ts, then write its unauthenticatedPaths() there)', () => {
        // Act
        const file = JSON.parse(readFileSync(join(INFRA_DIR, 'public-paths.json'), 'utf8')) as unknown;

        // Assess
        expect(file).toEqual(unauthenticatedPaths());
        expect(readFileSync(join(INFRA_DIR, 'main.bicep'), 'utf8')).toContain("publicPaths: loadJsonContent('public-paths.json')");
    });
});

describe('azure.yaml', () => {
    const azureYaml = readFileSync(join(REPO_ROOT, 'azure.yaml'), 'utf8');

    it('requires azd 1.23.4 or later, the first that passes PPO_HYBRID_CONNECTIONS as a JSON array (Azure/azure-dev#6694)', () => {
        // Act
        const constraint = /^requiredVersions:\s*\n\s+azd:\s*"([^"]+)"/m.exec(azureYaml)?.[1];

        // Assess
        expect(constraint).toBe('>= 1.23.4');
    });

    it('points at hooks that exist, the POSIX one executable (azd runs it directly)', () => {
        // Act
        const hooks = [...azureYaml.matchAll(/^\s*run:\s*(\S+)\s*$/gm)].map((m) => join(REPO_ROOT, m[1]!));

        // Assess
        expect(hooks.map((h) => h.slice(REPO_ROOT.length))).toEqual(['/infra/hooks/postprovision.sh', '/infra/hooks/postprovision.ps1']);
        expect(hooks.every((h) => existsSync(h))).toBe(true);
        expect(statSync(hooks[0]!).mode & 0o111).not.toBe(0);
    });
});
