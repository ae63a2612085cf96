import { arrayElements, objectEntries, readModules, readParams, readResources, readStatements, splitArguments } from './bicep-reader';
import { type BicepFiles, isRegistryReference, resolveModulePath } from './infra-sources';
import { ALLOWED_ROLES, FORBIDDEN_ROLES } from './known-roles';

/** infra/roles.json: role key to { id, name }. */
export type RoleCatalog = Readonly<Record<string, { readonly id: string; readonly name: string }>>;

export interface RoleGrant {
    /** The role module, relative to infra/. */
    readonly module: string;
    readonly principal: string;
    readonly role: string;
}

const GUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const ROLE_DEFINITION = /^subscriptionResourceId\('Microsoft\.Authorization\/roleDefinitions',\s*(.+)\)$/;

function describeGuid(guid: string): string | undefined {
    const lower = guid.toLowerCase();
    if (FORBIDDEN_ROLES.has(lower)) {
        return `${FORBIDDEN_ROLES.get(lower)} (${lower}) is never assigned`;
    }
    if (!ALLOWED_ROLES.has(lower)) {
        return `${lower} is not in the documented role list (test/infra/known-roles.ts)`;
    }
    return undefined;
}

/** roles.json holds only documented roles, under their documented names. */
export function checkRoleCatalog(catalog: RoleCatalog): string[] {
    return Object.entries(catalog).flatMap(([key, role]) => {
        const problem = describeGuid(role.id);
        if (problem !== undefined) {
            return [`roles.json ${key}: ${problem}`];
        }
        const name = ALLOWED_ROLES.get(role.id.toLowerCase());
        return name === role.name ? [] : [`roles.json ${key}: ${role.id} is ${name}, not ${role.name}`];
    });
}

/** A role expression that a reviewer can resolve: an allowed GUID literal or roles.<key>.id. */
function roleReferenceProblem(expression: string, catalog: RoleCatalog): string | undefined {
    const literal = /^'([^']*)'$/.exec(expression);
    if (literal !== null) {
        return describeGuid(literal[1]!);
    }
    const reference = /^roles\.(\w+)\.id$/.exec(expression);
    if (reference === null) {
        return `${expression} is neither roles.<key>.id nor a role GUID`;
    }
    return catalog[reference[1]!] === undefined ? `roles.${reference[1]} is not in roles.json` : undefined;
}

/**
 * Every role assignment is named guid(<scope>.id, <principal>, <role>), is scoped to that
 * resource, and assigns that role; the role is a documented GUID, or comes from a parameter
 * whose every caller passes only documented roles.
 */
export function checkRoleAssignments(files: BicepFiles, catalog: RoleCatalog): string[] {
    const problems: string[] = [];
    const roleParams = new Map<string, string>();
    for (const [file, source] of files) {
        const statements = readStatements(source);
        const params = readParams(statements).map((p) => p.name);
        const resources = readResources(statements);
        for (const assignment of resources.filter((r) => r.type === 'Microsoft.Authorization/roleAssignments')) {
            const where = `${file}:${assignment.line}: ${assignment.symbol}`;
            const properties = objectEntries(assignment.properties.get('properties') ?? '{}');
            const name = /^guid\(([\s\S]*)\)$/.exec(assignment.properties.get('name') ?? '');
            const args = name === null ? [] : splitArguments(name[1]!);
            const [scopeId, principal, role] = args;
            if (args.length !== 3 || scopeId === undefined || principal === undefined || role === undefined) {
                problems.push(`${where}: name must be guid(scope, principal, role)`);
                continue;
            }
            const scope = assignment.properties.get('scope');
            if (scope === undefined || !resources.some((r) => r.symbol === scope) || scopeId !== `${scope}.id`) {
                problems.push(`${where}: must be scoped to a resource of this file, and its name must start guid(<that resource>.id`);
            }
            if (principal !== properties.get('principalId')) {
                problems.push(`${where}: the name's principal (${principal}) is not properties.principalId`);
            }
            const definition = ROLE_DEFINITION.exec(properties.get('roleDefinitionId') ?? '');
            if (definition?.[1]?.trim() !== role) {
                problems.push(`${where}: roleDefinitionId must be subscriptionResourceId('Microsoft.Authorization/roleDefinitions', ${role})`);
            }
            const fromParam = assignment.loop?.item === role ? assignment.loop.items : role;
            if (params.includes(fromParam)) {
                roleParams.set(file, fromParam);
            } else {
                const problem = roleReferenceProblem(role, catalog);
                if (problem !== undefined) {
                    problems.push(`${where}: ${problem}`);
                }
            }
        }
    }
    const checkedCallers = new Set<string>();
    for (const [file, source] of files) {
        for (const module of readModules(readStatements(source)).filter((m) => !isRegistryReference(m.path))) {
            const target = resolveModulePath(file, module.path);
            const param = roleParams.get(target);
            const passed = param === undefined ? undefined : module.params.get(param);
            if (passed === undefined) {
                continue;
            }
            checkedCallers.add(target);
            const roles = passed.startsWith('[') ? arrayElements(passed) : [passed];
            for (const role of roles) {
                const problem = roleReferenceProblem(role, catalog);
                if (problem !== undefined) {
                    problems.push(`${file}:${module.line}: module ${module.symbol}: ${problem}`);
                }
            }
        }
    }
    for (const [file, param] of roleParams) {
        if (!checkedCallers.has(file)) {
            problems.push(`${file}: roles come from parameter ${param}, and no module call passes it roles to check`);
        }
    }
    return problems;
}

/** Every GUID written in any Bicep file is a documented role, and never a forbidden one. */
export function checkGuidLiterals(files: BicepFiles): string[] {
    return [...files].flatMap(([file, source]) =>
        [...source.matchAll(GUID)].flatMap((match) => {
            const problem = describeGuid(match[0]);
            return problem === undefined ? [] : [`${file}: ${problem}`];
        }),
    );
}

/** What main.bicep grants through the role modules: module, principal and role name. */
export function grantedRoles(files: BicepFiles, catalog: RoleCatalog): RoleGrant[] {
    return readModules(readStatements(files.get('main.bicep') ?? ''))
        .filter((m) => m.params.has('roleDefinitionIds'))
        .flatMap((m) =>
            arrayElements(m.params.get('roleDefinitionIds')!).map((expression) => ({
                module: m.path,
                principal: m.params.get('principalId') ?? '',
                role: catalog[/^roles\.(\w+)\.id$/.exec(expression)?.[1] ?? '']?.name ?? expression,
            })),
        );
}
