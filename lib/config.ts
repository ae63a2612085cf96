import { z } from 'zod';
import { ConfigurationError } from './errors';
import { isRelayNamespaceId } from './relay/relay-resource-id';
import { azureAccessSettingsFrom, azureAppSettingsSchema, type AzureAccessSettings } from './identity/settings';

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/**
 * The app settings the Function App reads, by their names in Azure (infra/ sets them): how it
 * reaches Azure (lib/identity's part) plus the product's own. Secrets are not settings: the agents'
 * shared secrets (and, with PPO_RELAY_AUTH=sas, the relay Send key) are read from Key Vault.
 */
export const settingsSchema = azureAppSettingsSchema.extend({
    PPO_KEY_VAULT_URL: z.url(),
    PPO_RELAY_NAMESPACE: z.string().min(1).describe('Relay namespace host, e.g. contoso-ppo.servicebus.windows.net'),
    PPO_RELAY_AUTH: z
        .enum(['entra', 'sas'])
        .default('entra')
        .describe('entra: the relay sender uses the app\'s identity (Azure Relay Sender on the namespace); sas: a Send rule key from Key Vault (the local stand-in).'),
    PPO_RELAY_SEND_RULE: z.string().min(1).optional().describe('With PPO_RELAY_AUTH=sas: the Send rule name.'),
    PPO_RELAY_SEND_KEY_SECRET: z.string().min(1).optional().describe('With PPO_RELAY_AUTH=sas: the Key Vault secret holding the Send rule key.'),
    PPO_RELAY_RESOURCE_ID: z
        .string()
        .trim()
        .optional()
        .transform((value) => (value === undefined || value === '' ? undefined : value))
        .refine((value) => value === undefined || isRelayNamespaceId(value), 'must be the relay namespace resource id: /subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.Relay/namespaces/<name>')
        .describe('The relay namespace as Azure Resource Manager names it: organizations are enrolled at run time there (POST /api/organizations). Empty: only the hybrid connections azd created.'),
    PPO_AGENT_SECRET_PREFIX: z.string().min(1).default('agent-secret-').describe('Key Vault secret <prefix><hybrid connection> holds that agent\'s shared secret.'),
    PPO_REGISTRY_TABLE_ENDPOINT: z.url().optional().describe('https://<account>.table.core.windows.net (identity-based).'),
    PPO_REGISTRY_CONNECTION_STRING: z.string().min(1).optional().describe('Local development only (Azurite).'),
    PPO_REGISTRY_TABLE: z.string().regex(/^[A-Za-z][A-Za-z0-9]{2,62}$/, 'must be a Table Storage table name').default('tenants'),
    PPO_REVERIFY_SCHEDULE: z.string().min(1).default('0 0 6 * * *'),
    PPO_RENEWAL_WINDOW_DAYS: positiveInt(60),
    PPO_REVERIFY_BATCH_SIZE: positiveInt(10),
    PPO_ROTATION_STAGE_HOURS: positiveInt(48),
    PPO_KEY_TARGET_APP_IDS: z
        .string()
        .default('')
        .transform((text) => text.split(/[\s,;]+/).filter((id) => id !== '').map((id) => id.toLowerCase()))
        .pipe(z.array(z.uuid('each entry must be an application (client) id, a GUID')))
        .describe('Application (client) ids an administrator allows as key targets besides the Exchange Online first-party service principal, comma separated; empty: none.'),
});

export type Settings = z.output<typeof settingsSchema> & { readonly azure: AzureAccessSettings };

export function parseSettings(env: Readonly<Record<string, string | undefined>>): Settings {
    const result = settingsSchema.safeParse(env);
    if (!result.success) {
        const issues = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
        throw new ConfigurationError(`invalid app settings: ${issues.join('; ')}`, { remedy: 'Set the named app settings (see README, "App settings").' });
    }
    const values = result.data;
    if (!values.PPO_REGISTRY_TABLE_ENDPOINT && !values.PPO_REGISTRY_CONNECTION_STRING) {
        throw new ConfigurationError('invalid app settings: PPO_REGISTRY_TABLE_ENDPOINT is required', { remedy: 'Set it to https://<storage account>.table.core.windows.net.' });
    }
    if (values.PPO_RELAY_AUTH === 'sas' && (!values.PPO_RELAY_SEND_RULE || !values.PPO_RELAY_SEND_KEY_SECRET)) {
        throw new ConfigurationError('invalid app settings: PPO_RELAY_SEND_RULE and PPO_RELAY_SEND_KEY_SECRET are required with PPO_RELAY_AUTH=sas', {
            remedy: 'Name the Send rule and the Key Vault secret holding its key, or use PPO_RELAY_AUTH=entra.',
        });
    }
    return { ...values, azure: azureAccessSettingsFrom(values) };
}

const SETTING_NAMES = Object.keys(settingsSchema.shape);
let cached: { readonly fingerprint: string; readonly value: Settings } | undefined;

/**
 * Read and validated once, on first use (start-up stays cheap), and again only if the values
 * change: in Azure they never do (changing an app setting restarts the worker), while a local
 * host that starts a new world in the same process gets settings for that world.
 */
export function settings(): Settings {
    const fingerprint = JSON.stringify(SETTING_NAMES.map((name) => process.env[name] ?? null));
    if (cached?.fingerprint !== fingerprint) cached = { fingerprint, value: parseSettings(process.env) };
    return cached.value;
}
