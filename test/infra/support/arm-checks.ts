import { ALLOWED_CUSTOM_ROLES, ALLOWED_ROLES, FORBIDDEN_ROLES } from '../known-roles';
import { type ArmTemplate, type PlacedResource, allResources, expressionOf, moduleParameter, resolveVariablePath, stringsIn, symbolIn } from './arm-template';

/** One role assignment as deployed: on which kind of resource, to whom, which role. */
export interface RoleGrant {
    readonly scopeType: string;
    readonly principal: 'app identity' | 'deployer';
    readonly role: string;
}

/** Splits `a, f(b, 'c,d'), e` at its top-level commas. */
export function splitArguments(text: string): string[] {
    const parts: string[] = [];
    let depth = 0;
    let quoted = false;
    let start = 0;
    for (let i = 0; i < text.length; i++) {
        const c = text[i];
        if (c === "'") quoted = !quoted;
        else if (!quoted && (c === '(' || c === '[')) depth++;
        else if (!quoted && (c === ')' || c === ']')) depth--;
        else if (!quoted && depth === 0 && c === ',') {
            parts.push(text.slice(start, i).trim());
            start = i + 1;
        }
    }
    parts.push(text.slice(start).trim());
    return parts;
}

function label(placed: PlacedResource): string {
    return `${placed.module?.symbol ?? 'main'}/${placed.symbol}`;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The roles a role expression stands for, through the module's parameter values and main's variables:
 * a built-in role's GUID, or `custom:<expression>` for a GUID computed in main.bicep (a custom role
 * defined by the deployment, matched against customRoleDefinitions by that expression).
 */
function roleIdsOf(placed: PlacedResource, roleExpression: string): string[] | undefined {
    const parameter = /^parameters\('([^']+)'\)(\[copyIndex\(\)\])?$/.exec(roleExpression);
    if (!parameter) return GUID.test(roleExpression.replace(/^'|'$/g, '')) ? [roleExpression.replace(/^'|'$/g, '')] : undefined;
    const passed = moduleParameter(placed.module, parameter[1]!);
    const values = parameter[2] === undefined ? [passed] : Array.isArray(passed) ? (passed as unknown[]) : undefined;
    if (values === undefined || placed.module === undefined) return undefined;
    const ids = values.map((value) => {
        const expression = expressionOf(value);
        const resolved = expression === undefined ? value : resolveVariablePath(placed.module!.template, expression);
        if (typeof resolved === 'string' && GUID.test(resolved)) return resolved;
        return expression !== undefined && /^variables\('[^']+'\)$/.test(expression) ? `custom:${expression}` : undefined;
    });
    const resolved = ids.filter((id): id is string => id !== undefined);
    return resolved.length === ids.length ? resolved : undefined;
}

/** A custom role the deployment defines, keyed by the main.bicep expression of its GUID. */
export interface CustomRole {
    readonly label: string;
    readonly actions: readonly string[];
    readonly dataActions: readonly string[];
}

const EMPTY_OR_ABSENT = (v: unknown): boolean => v === undefined || (Array.isArray(v) && v.length === 0);
const literalStrings = (v: unknown): string[] | undefined => (Array.isArray(v) && v.every((x) => typeof x === 'string' && expressionOf(x) === undefined) ? (v as string[]) : undefined);

/** A module parameter's value as main.bicep passes it, or the expression itself in main. */
function passedExpression(placed: PlacedResource, value: unknown): string | undefined {
    const expression = expressionOf(value);
    const parameter = /^parameters\('([^']+)'\)$/.exec(expression ?? '');
    return parameter && placed.module !== undefined ? expressionOf(moduleParameter(placed.module, parameter[1]!)) : expression;
}

/**
 * Every custom role definition of the deployment, and what is wrong with any: its permissions must be
 * one explicit list of actions and data actions (literal strings, no wildcard, no notActions), that
 * list must be the one ALLOWED_CUSTOM_ROLES pins for its name, nothing of Microsoft.Authorization (a
 * role that grants roles), no Relay data action (Send and Listen go with Azure Relay Sender only), and
 * it must be assignable in the deployment's resource group only.
 */
export function customRoleDefinitions(main: ArmTemplate): { roles: Map<string, CustomRole>; problems: string[] } {
    const roles = new Map<string, CustomRole>();
    const problems: string[] = [];
    for (const placed of allResources(main).filter((p) => p.resource.type === 'Microsoft.Authorization/roleDefinitions' && !p.resource.existing)) {
        const where = label(placed);
        const props = placed.resource.properties ?? {};
        const roleName = expressionOf(props.roleName) ?? `'${String(props.roleName)}'`;
        const name = /^(?:format\()?'([^']+?)(?: \(\{0\}\))?'/.exec(roleName)?.[1] ?? String(props.roleName);
        const key = passedExpression(placed, placed.resource.name);
        const permissions = props.permissions as Record<string, unknown>[] | undefined;
        const block = permissions?.length === 1 ? permissions[0]! : undefined;
        const actions = literalStrings(block?.actions ?? []);
        const dataActions = literalStrings(block?.dataActions ?? []);
        const found: string[] = [];
        if (key === undefined || !/^variables\('[^']+'\)$/.test(key)) found.push(`its name ${String(placed.resource.name)} is not a GUID variable of main.bicep`);
        if (block === undefined || actions === undefined || dataActions === undefined) found.push('its permissions are not one explicit list of actions and data actions');
        else {
            if (!EMPTY_OR_ABSENT(block.notActions) || !EMPTY_OR_ABSENT(block.notDataActions)) found.push('it uses notActions (everything else would be granted)');
            for (const action of [...actions, ...dataActions]) {
                if (action.includes('*')) found.push(`${action} is a wildcard`);
                if (/^Microsoft\.Authorization\//i.test(action)) found.push(`${action} controls access itself`);
            }
            for (const action of dataActions) if (/^Microsoft\.Relay\//i.test(action)) found.push(`${action} sends or listens on the relay`);
            const pinned = ALLOWED_CUSTOM_ROLES.get(name);
            if (pinned === undefined) found.push('it is not a custom role test/infra/known-roles.ts allows');
            else if (JSON.stringify([[...actions].sort(), [...dataActions].sort()]) !== JSON.stringify([[...pinned.actions].sort(), [...pinned.dataActions].sort()])) {
                found.push(`its actions ${JSON.stringify([...actions, ...dataActions])} are not the ones test/infra/known-roles.ts pins`);
            }
        }
        const scopes = Array.isArray(props.assignableScopes) ? (props.assignableScopes as unknown[]) : [];
        const scope = scopes.length === 1 ? passedExpression(placed, scopes[0]) : undefined;
        if (scope === undefined || !/^subscriptionResourceId\('Microsoft\.Resources\/resourceGroups', [^,]+\)$/.test(scope)) {
            found.push(`it is assignable at ${JSON.stringify(props.assignableScopes)}, not the deployment's resource group only`);
        }
        problems.push(...found.map((f) => `${where} (${name}): ${f}`));
        if (found.length === 0) roles.set(key!, { label: name, actions: actions!, dataActions: dataActions! });
    }
    return { roles, problems };
}

/** The name main.bicep gives the user-assigned identity it creates (the identity module's `name` value). */
function appIdentityName(main: ArmTemplate): unknown {
    const created = allResources(main).find((p) => p.resource.type === 'Microsoft.ManagedIdentity/userAssignedIdentities' && !p.resource.existing);
    const parameter = /^parameters\('([^']+)'\)$/.exec(expressionOf(created?.resource.name) ?? '');
    return parameter ? moduleParameter(created?.module, parameter[1]!) : undefined;
}

function principalOf(placed: PlacedResource, principalExpression: string, main: ArmTemplate): RoleGrant['principal'] | undefined {
    const principalId = expressionOf(placed.resource.properties?.principalId);
    const identity = /^resourceId\('Microsoft\.ManagedIdentity\/userAssignedIdentities', parameters\('([^']+)'\)\)$/.exec(principalExpression);
    if (identity) {
        // Symbolic (language version 2.0) or by resource id, as the module compiled.
        const symbol = /^reference\('([^']+)'\)\.principalId$/.exec(principalId ?? '')?.[1];
        const declared = symbol === undefined ? undefined : symbolIn(placed.template, symbol);
        const byId = principalId?.startsWith(`reference(${principalExpression}, '`) === true && /, '[0-9a-z-]+'\)\.principalId$/.test(principalId);
        const sameIdentity = byId || (declared?.type === 'Microsoft.ManagedIdentity/userAssignedIdentities' && declared.name === `[parameters('${identity[1]!}')]`);
        const passed = moduleParameter(placed.module, identity[1]!);
        return sameIdentity && passed !== undefined && passed === appIdentityName(main) ? 'app identity' : undefined;
    }
    const deployer = /^parameters\('principalId'\)$/.test(principalExpression) && principalId === "parameters('principalId')";
    return deployer && moduleParameter(placed.module, 'principalId') === "[parameters('principalId')]" && main.parameters?.principalId !== undefined ? 'deployer' : undefined;
}

/**
 * Every role assignment of the deployment, and what is wrong with any: each must be scoped to one
 * resource (resourceId of a resource in this resource group, never a resource group or subscription),
 * named guid(that resource, principal, role), given to the app's identity (or, Key Vault Secrets
 * Officer only, to the deploying principal), with a role from ALLOWED_ROLES or a custom role of
 * customRoleDefinitions (whose problems are reported here too).
 */
export function roleGrants(main: ArmTemplate): { grants: RoleGrant[]; problems: string[] } {
    const grants: RoleGrant[] = [];
    const custom = customRoleDefinitions(main);
    const problems: string[] = [...custom.problems];
    for (const placed of allResources(main).filter((p) => p.resource.type === 'Microsoft.Authorization/roleAssignments' && !p.resource.existing)) {
        const where = label(placed);
        const scope = expressionOf(placed.resource.scope);
        const scopeType = /^resourceId\('([^']+)', parameters\('[^']+'\)\)$/.exec(scope ?? '')?.[1];
        if (scope === undefined || scopeType === undefined) {
            problems.push(`${where}: scope ${String(placed.resource.scope)} is not one resource of the resource group`);
            continue;
        }
        const name = expressionOf(placed.resource.name) ?? '';
        const args = name.startsWith('guid(') && name.endsWith(')') ? splitArguments(name.slice(5, -1)) : [];
        if (args.length !== 3 || args[0] !== scope) {
            problems.push(`${where}: name ${placed.resource.name} is not guid(scope, principal, role)`);
            continue;
        }
        const [, principalExpression, roleExpression] = args as [string, string, string];
        if (expressionOf(placed.resource.properties?.roleDefinitionId) !== `subscriptionResourceId('Microsoft.Authorization/roleDefinitions', ${roleExpression})`) {
            problems.push(`${where}: roleDefinitionId is not the role its name is made of`);
            continue;
        }
        const principal = principalOf(placed, principalExpression, main);
        if (principal === undefined) {
            problems.push(`${where}: principal ${principalExpression} is neither the app's identity nor the deploying principal`);
            continue;
        }
        const roleIds = roleIdsOf(placed, roleExpression);
        if (roleIds === undefined) {
            problems.push(`${where}: role ${roleExpression} does not resolve to role GUIDs`);
            continue;
        }
        for (const id of roleIds) {
            if (id.startsWith('custom:')) {
                const role = custom.roles.get(id.slice('custom:'.length));
                if (role === undefined) problems.push(`${where}: grants ${id.slice('custom:'.length)}, neither a built-in role nor a valid custom role of this deployment`);
                else if (principal !== 'app identity') problems.push(`${where}: the deploying principal gets the custom role ${role.label}`);
                else grants.push({ scopeType, principal, role: role.label });
                continue;
            }
            const role = ALLOWED_ROLES.get(id.toLowerCase());
            if (FORBIDDEN_ROLES.has(id.toLowerCase())) problems.push(`${where}: grants ${FORBIDDEN_ROLES.get(id.toLowerCase())!}, which controls access itself`);
            else if (role === undefined) problems.push(`${where}: grants ${id}, not an allowed role`);
            else if (principal === 'deployer' && (role !== 'Key Vault Secrets Officer' || scopeType !== 'Microsoft.KeyVault/vaults')) problems.push(`${where}: the deploying principal gets ${role} on ${scopeType}`);
            else grants.push({ scopeType, principal, role });
        }
    }
    return { grants, problems };
}

/** list*() hands out keys; listKeys where an identity works is exactly what the deployment avoids. */
const LIST_CALL = /\blist[A-Za-z]*\(/;
/** Values that carry a credential. */
const CREDENTIAL_VALUE = /\blist[A-Za-z]*\(|primaryKey|secondaryKey|AccountKey=|SharedAccessKey|SharedAccessSignature|InstrumentationKey=|\.ConnectionString\b/i;

function appSettingsOf(main: ArmTemplate): { where: string; settings: Record<string, unknown> }[] {
    return allResources(main)
        .filter((p) => p.resource.type === 'Microsoft.Web/sites/config' && String(p.resource.name).includes("'appsettings'"))
        .map((p) => ({ where: label(p), settings: p.resource.properties ?? {} }));
}

/** The Function App's app settings (the one appsettings resource). */
export function appSettings(main: ArmTemplate): Record<string, unknown> {
    return appSettingsOf(main)[0]?.settings ?? {};
}

/** No secret in outputs or app settings, no list*() anywhere, no secret written by the template. */
export function checkNoSecrets(main: ArmTemplate): string[] {
    const problems: string[] = [];
    const everything = allResources(main);
    if (stringsIn(main).some((s) => LIST_CALL.test(s))) problems.push('the template calls list*() (a key where an identity works)');
    for (const placed of everything.filter((p) => p.resource.type === 'Microsoft.KeyVault/vaults/secrets' && !p.resource.existing)) {
        problems.push(`${label(placed)}: the template writes a Key Vault secret`);
    }
    const templates = [{ where: 'main', template: main }, ...everything.filter((p) => p.resource.type === 'Microsoft.Resources/deployments').map((p) => ({ where: p.symbol, template: p.resource.properties?.template as ArmTemplate }))];
    for (const { where, template } of templates) {
        for (const [name, output] of Object.entries(template.outputs ?? {})) {
            if (/^secure/i.test(output.type) || stringsIn(output.value).some((s) => CREDENTIAL_VALUE.test(s))) problems.push(`${where}: output ${name} carries a secret`);
        }
    }
    const component = everything.find((p) => p.resource.type === 'Microsoft.Insights/components' && !p.resource.existing)?.resource;
    for (const { where, settings } of appSettingsOf(main)) {
        for (const [name, value] of Object.entries(settings)) {
            // The connection string only identifies the component once it accepts Entra ID telemetry alone.
            const identifiesOnly = name === 'APPLICATIONINSIGHTS_CONNECTION_STRING' && component?.properties?.DisableLocalAuth === true && stringsIn(settings.APPLICATIONINSIGHTS_AUTHENTICATION_STRING).some((v) => v.includes('Authorization=AAD'));
            if (identifiesOnly) continue;
            if (/^AzureWebJobsStorage$|_KEY$|_KEY_SECRET$|PASSWORD|CONNECTION_?STRING$/i.test(name) || stringsIn(value).some((s) => CREDENTIAL_VALUE.test(s))) problems.push(`${where}: app setting ${name} carries a secret`);
        }
    }
    return problems;
}

/** Every connection made with Entra ID: storage, telemetry, Key Vault, the deployment package, Relay. */
export function checkIdentityBasedConnections(main: ArmTemplate): string[] {
    const problems: string[] = [];
    const everything = allResources(main).filter((p) => !p.resource.existing);
    const ofType = (type: string): PlacedResource[] => everything.filter((p) => p.resource.type === type);
    const props = (p: PlacedResource): Record<string, unknown> => p.resource.properties ?? {};
    for (const p of ofType('Microsoft.Storage/storageAccounts')) if (props(p).allowSharedKeyAccess !== false) problems.push(`${label(p)}: storage accepts shared keys`);
    for (const p of ofType('Microsoft.Insights/components')) if (props(p).DisableLocalAuth !== true) problems.push(`${label(p)}: Application Insights accepts instrumentation-key telemetry`);
    for (const p of ofType('Microsoft.OperationalInsights/workspaces')) if ((props(p).features as { disableLocalAuth?: boolean } | undefined)?.disableLocalAuth !== true) problems.push(`${label(p)}: the workspace accepts shared keys`);
    for (const p of ofType('Microsoft.KeyVault/vaults')) if (props(p).enableRbacAuthorization !== true) problems.push(`${label(p)}: Key Vault uses access policies`);
    for (const p of ofType('Microsoft.Relay/namespaces/authorizationRules')) problems.push(`${label(p)}: a namespace-wide SAS rule (${String(p.resource.name)})`);
    for (const p of ofType('Microsoft.Relay/namespaces/hybridConnections/authorizationRules')) {
        const rights = props(p).rights;
        if (!Array.isArray(rights) || rights.length !== 1 || rights[0] !== 'Listen') problems.push(`${label(p)}: a hybrid connection rule with rights ${JSON.stringify(rights)} (agents need Listen only)`);
    }
    for (const p of ofType('Microsoft.Web/sites')) {
        const deployment = (props(p).functionAppConfig as { deployment?: { storage?: { authentication?: { type?: string } } } } | undefined)?.deployment;
        if (deployment?.storage?.authentication?.type !== 'UserAssignedIdentity') problems.push(`${label(p)}: the app package is fetched without the identity`);
    }
    const settings = appSettings(main);
    const expected: Record<string, (value: unknown) => boolean> = {
        AzureWebJobsStorage__credential: (v) => v === 'managedidentity',
        AzureWebJobsStorage__clientId: (v) => typeof v === 'string' && v.length > 0,
        APPLICATIONINSIGHTS_AUTHENTICATION_STRING: (v) => typeof v === 'string' && v.includes('Authorization=AAD'),
        PPO_AZURE_CLIENT_ID: (v) => typeof v === 'string' && v.length > 0,
        PPO_RELAY_AUTH: (v) => v === 'entra',
    };
    for (const [name, ok] of Object.entries(expected)) if (!ok(settings[name])) problems.push(`app setting ${name} is ${JSON.stringify(settings[name])}`);
    return problems;
}

/** The deployment findings of issue 19, as the compiled template shows them. */
export function checkDeploymentFindings(main: ArmTemplate): string[] {
    const problems: string[] = [];
    const everything = allResources(main).filter((p) => !p.resource.existing);
    const node = main.parameters?.nodeVersion;
    if (JSON.stringify(node?.allowedValues) !== '["22"]' || node?.defaultValue !== '22') problems.push(`nodeVersion allows ${JSON.stringify(node?.allowedValues)} (default ${JSON.stringify(node?.defaultValue)}), not Node.js 22 only`);
    const site = everything.find((p) => p.resource.type === 'Microsoft.Web/sites');
    const runtime = (site?.resource.properties?.functionAppConfig as { runtime?: { name?: string; version?: string } } | undefined)?.runtime;
    const runtimeParameter = /^parameters\('([^']+)'\)$/.exec(expressionOf(runtime?.version) ?? '')?.[1];
    const moduleNode = runtimeParameter === undefined ? undefined : site?.template.parameters?.[runtimeParameter];
    if (runtime?.name !== 'node' || JSON.stringify(moduleNode?.allowedValues) !== '["22"]') problems.push(`the Function App runtime is ${JSON.stringify(runtime)}, not Node.js 22`);

    const vault = everything.find((p) => p.resource.type === 'Microsoft.KeyVault/vaults');
    if (vault?.resource.properties?.enablePurgeProtection !== true) problems.push('Key Vault has no purge protection');
    const vaultName = expressionOf(moduleParameter(vault?.module, 'name'));
    const vaultNameValue = stringsIn(vaultName === undefined ? undefined : (resolveVariablePath(main, vaultName) ?? vaultName)).join(' ');
    if (!vaultNameValue.includes("parameters('keyVaultGeneration')")) problems.push(`the Key Vault name ${vaultNameValue} does not change with keyVaultGeneration, so it collides with the soft-deleted vault after azd down`);
    const generation = main.parameters?.keyVaultGeneration;
    if (generation?.type !== 'int' || generation.defaultValue !== 1) problems.push('keyVaultGeneration is not an int parameter defaulting to 1');

    const alert = everything.find((p) => p.resource.type === 'Microsoft.Insights/scheduledQueryRules');
    const group = everything.find((p) => p.resource.type === 'Microsoft.Insights/actionGroups');
    const criteria = (alert?.resource.properties?.criteria as { allOf?: { query?: string }[] } | undefined)?.allOf?.[0];
    const queryExpression = expressionOf(criteria?.query);
    const query = String(queryExpression === undefined || alert === undefined ? criteria?.query : resolveVariablePath(alert.template, queryExpression));
    if (!(query.includes('TenantVerified') && query.includes('drifted') && query.includes('failed'))) problems.push('no scheduled query rule on TenantVerified drifted or failed');
    const groups = stringsIn((alert?.resource.properties?.actions as { actionGroups?: unknown } | undefined)?.actionGroups);
    if (group === undefined || !groups.some((g) => g.includes("'Microsoft.Insights/actionGroups'"))) problems.push('the alert rule notifies no action group of this deployment');
    const receivers = (group?.resource.properties?.emailReceivers as { emailAddress?: string }[] | undefined) ?? [];
    const addressParameter = /^parameters\('([^']+)'\)$/.exec(expressionOf(receivers[0]?.emailAddress) ?? '')?.[1];
    const passed = addressParameter === undefined ? undefined : moduleParameter(group?.module, addressParameter);
    const mainParameter = /^\[parameters\('([^']+)'\)\]$/.exec(String(passed))?.[1];
    if (mainParameter === undefined || main.parameters?.[mainParameter] === undefined || 'defaultValue' in main.parameters[mainParameter]) {
        problems.push('the action group\'s email address is not a required parameter of main.bicep');
    }
    return problems;
}
