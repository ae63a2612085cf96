import { objectEntries, nestedDeclarations, readModules, readParams, readResources, readStatements } from './bicep-reader';
import { type BicepFiles, isRegistryReference, resolveModulePath } from './infra-sources';

/** Every module path exists; every param passed is declared there; every required one is passed. */
export function checkModules(files: BicepFiles): string[] {
    const problems: string[] = [];
    for (const [file, source] of files) {
        for (const module of readModules(readStatements(source))) {
            if (isRegistryReference(module.path)) {
                continue;
            }
            const target = resolveModulePath(file, module.path);
            const targetSource = files.get(target);
            if (targetSource === undefined) {
                problems.push(`${file}:${module.line}: module ${module.symbol}: ${target} does not exist`);
                continue;
            }
            const declared = readParams(readStatements(targetSource));
            for (const name of module.params.keys()) {
                if (!declared.some((p) => p.name === name)) {
                    problems.push(`${file}:${module.line}: module ${module.symbol} passes ${name}, which ${target} does not declare`);
                }
            }
            for (const param of declared.filter((p) => !p.hasDefault && !p.nullable)) {
                if (!module.params.has(param.name)) {
                    problems.push(`${file}:${module.line}: module ${module.symbol} does not pass ${param.name}, required by ${target}`);
                }
            }
        }
    }
    return problems;
}

/** azd's parameters file: every parameter declared in main.bicep, every required one given. */
export function checkParametersFile(mainBicep: string, parametersJson: string): string[] {
    const problems: string[] = [];
    const document = JSON.parse(parametersJson) as { $schema?: unknown; contentVersion?: unknown; parameters?: Record<string, unknown> };
    if (typeof document.$schema !== 'string' || !/deploymentParameters\.json#?$/.test(document.$schema)) {
        problems.push('$schema is not the deploymentParameters schema');
    }
    if (typeof document.contentVersion !== 'string') {
        problems.push('contentVersion is missing');
    }
    const given = document.parameters ?? {};
    const declared = readParams(readStatements(mainBicep));
    for (const [name, entry] of Object.entries(given)) {
        if (!declared.some((p) => p.name === name)) {
            problems.push(`parameter ${name} is not declared in main.bicep`);
        }
        if (typeof entry !== 'object' || entry === null || !('value' in entry)) {
            problems.push(`parameter ${name} has no value`);
        }
    }
    for (const param of declared.filter((p) => !p.hasDefault && !p.nullable)) {
        if (!(param.name in given)) {
            problems.push(`required parameter ${param.name} (no default) is not in the parameters file`);
        }
    }
    return problems;
}

function propertiesOf(resourceProperties: ReadonlyMap<string, string>): Map<string, string> {
    const properties = resourceProperties.get('properties');
    return properties === undefined ? new Map<string, string>() : objectEntries(properties);
}

/** Identity-only access: no storage shared keys, Key Vault in RBAC mode, no telemetry keys, narrow Relay rules. */
export function checkHardening(files: BicepFiles): string[] {
    const problems: string[] = [];
    for (const [file, source] of files) {
        const statements = readStatements(source);
        problems.push(...nestedDeclarations(statements).map((p) => `${file}: ${p}: declare it at top level with parent:`));
        for (const resource of readResources(statements).filter((r) => !r.existing)) {
            const where = `${file}:${resource.line}: ${resource.symbol}`;
            const properties = propertiesOf(resource.properties);
            if (resource.type === 'Microsoft.Storage/storageAccounts' && properties.get('allowSharedKeyAccess') !== 'false') {
                problems.push(`${where}: storage account must set allowSharedKeyAccess: false`);
            }
            if (resource.type === 'Microsoft.KeyVault/vaults') {
                if (properties.get('enableRbacAuthorization') !== 'true') {
                    problems.push(`${where}: key vault must set enableRbacAuthorization: true`);
                }
                if (properties.has('accessPolicies')) {
                    problems.push(`${where}: key vault must not have access policies`);
                }
            }
            if (resource.type === 'Microsoft.Insights/components' && properties.get('DisableLocalAuth') !== 'true') {
                problems.push(`${where}: Application Insights must set DisableLocalAuth: true`);
            }
            if (/^Microsoft\.Relay\/namespaces\/(hybridConnections\/)?authorizationRules$/.test(resource.type)) {
                const rights = properties.get('rights')?.replace(/\s+/g, '');
                if (rights !== "['Send']" && rights !== "['Listen']") {
                    problems.push(`${where}: a Relay rule grants exactly one right, Send or Listen (found ${rights ?? 'none'})`);
                }
            }
        }
    }
    return problems;
}
