import { objectEntries, readParams, readResources, readStatements, readOutputs } from './bicep-reader';
import { type BicepFiles } from './infra-sources';

/** Text that means a credential is being handed out, with what it would be. */
export const SECRET_PATTERNS: ReadonlyArray<readonly [RegExp, string]> = [
    [/\blist[A-Z]\w*\s*\(/, 'a list*() call (keys, SAS tokens, connection strings)'],
    [/AccountKey\s*=/i, 'a storage account key'],
    [/SharedAccessKey\s*=/i, 'a shared access key'],
    [/SharedAccessSignature|[?&]sig=/i, 'a SAS token'],
    [/Password\s*=/i, 'a password'],
    [/\b(primary|secondary)(Key|ConnectionString|MasterKey)\b/i, 'a key or a connection string with a key'],
    [/@Microsoft\.KeyVault\(/i, 'a Key Vault reference (the app reads its secrets itself, through its identity)'],
];

const APP_SETTINGS_TYPES = new Set(['Microsoft.Web/sites', 'Microsoft.Web/sites/config']);

function secretsIn(text: string, secureParams: readonly string[]): string[] {
    const found = SECRET_PATTERNS.filter(([pattern]) => pattern.test(text)).map(([, what]) => what);
    const params = secureParams.filter((name) => new RegExp(`\\b${name}\\b`).test(text)).map((name) => `the @secure() parameter ${name}`);
    return [...found, ...params];
}

/**
 * No output and no app setting (anything in a Function App's definition) carries a secret;
 * list*() calls appear only as the value of a Key Vault secret.
 */
export function checkSecretsStayInKeyVault(files: BicepFiles): string[] {
    const problems: string[] = [];
    for (const [file, source] of files) {
        const statements = readStatements(source);
        const secureParams = readParams(statements).filter((p) => p.secure).map((p) => p.name);
        for (const output of readOutputs(statements)) {
            problems.push(...secretsIn(output.value, secureParams).map((what) => `${file}:${output.line}: output ${output.name} exposes ${what}`));
        }
        const resources = readResources(statements);
        for (const site of resources.filter((r) => APP_SETTINGS_TYPES.has(r.type))) {
            problems.push(...secretsIn(site.body, secureParams).map((what) => `${file}:${site.line}: app settings of ${site.symbol} hold ${what}`));
        }
        for (const statement of statements) {
            for (const call of statement.text.matchAll(/\blist[A-Z]\w*\s*\(/g)) {
                const [resource] = statement.keyword === 'resource' ? readResources([statement]) : [];
                const value = objectEntries(resource?.properties.get('properties') ?? '{}').get('value') ?? '';
                if (resource?.type !== 'Microsoft.KeyVault/vaults/secrets' || !value.includes(call[0])) {
                    problems.push(`${file}:${statement.line}: ${call[0].trim()}) may only be the value of a Key Vault secret`);
                }
            }
        }
    }
    return problems;
}
