import { z } from 'zod';
import { cloudNameSchema } from './contracts/clouds';
import { ConfigurationError } from './errors';

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/**
 * The app settings the Function App reads, by their names in Azure (infra/ sets them). Secrets are
 * not settings: the relay Send key and the agents' shared secrets are read from Key Vault.
 */
export const settingsSchema = z.object({
    PPO_CLOUD: cloudNameSchema.default('global'),
    PPO_CREDENTIAL: z
        .enum(['managedIdentity', 'default', 'localIssuer'])
        .default('managedIdentity')
        .describe('How the app gets Entra tokens: the user-assigned managed identity, DefaultAzureCredential, or the local stack token issuer.'),
    PPO_AZURE_CLIENT_ID: z.string().min(1).optional().describe('Client id of the user-assigned managed identity.'),
    PPO_LOCAL_ISSUER_URL: z.url().optional().describe('Token endpoint of the local stack issuer (PPO_CREDENTIAL=localIssuer only).'),
    PPO_EXTRA_CA_FILE: z.string().min(1).optional().describe('PEM file of an extra CA to trust for outgoing HTTPS (the local stack; a TLS-inspecting proxy).'),
    PPO_GRAPH_ENDPOINT: z.url().optional().describe("Overrides the cloud's Microsoft Graph endpoint."),
    PPO_KEY_VAULT_URL: z.url(),
    PPO_RELAY_NAMESPACE: z.string().min(1).describe('Relay namespace host, e.g. contoso-ppo.servicebus.windows.net'),
    PPO_RELAY_SEND_RULE: z.string().min(1),
    PPO_RELAY_SEND_KEY_SECRET: z.string().min(1).describe('Name of the Key Vault secret holding the Send rule key.'),
    PPO_AGENT_SECRET_PREFIX: z.string().min(1).default('agent-secret-'),
    PPO_REGISTRY_TABLE_ENDPOINT: z.url().optional().describe('https://<account>.table.core.windows.net (identity-based).'),
    PPO_REGISTRY_CONNECTION_STRING: z.string().min(1).optional().describe('Local development only (Azurite).'),
    PPO_REGISTRY_TABLE: z.string().regex(/^[A-Za-z][A-Za-z0-9]{2,62}$/, 'must be a Table Storage table name').default('tenants'),
    PPO_REVERIFY_SCHEDULE: z.string().min(1).default('0 0 6 * * *'),
    PPO_RENEWAL_WINDOW_DAYS: positiveInt(60),
    PPO_REVERIFY_BATCH_SIZE: positiveInt(10),
    PPO_ROTATION_STAGE_HOURS: positiveInt(48),
});

export type Settings = z.infer<typeof settingsSchema>;

export function parseSettings(env: Readonly<Record<string, string | undefined>>): Settings {
    const result = settingsSchema.safeParse(env);
    if (!result.success) {
        const issues = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
        throw new ConfigurationError(`invalid app settings: ${issues.join('; ')}`, { remedy: 'Set the named app settings (see README, "App settings").' });
    }
    const settings = result.data;
    if (!settings.PPO_REGISTRY_TABLE_ENDPOINT && !settings.PPO_REGISTRY_CONNECTION_STRING) {
        throw new ConfigurationError('invalid app settings: PPO_REGISTRY_TABLE_ENDPOINT is required', { remedy: 'Set it to https://<storage account>.table.core.windows.net.' });
    }
    if (settings.PPO_CREDENTIAL === 'managedIdentity' && !settings.PPO_AZURE_CLIENT_ID) {
        throw new ConfigurationError('invalid app settings: PPO_AZURE_CLIENT_ID is required with PPO_CREDENTIAL=managedIdentity');
    }
    if (settings.PPO_CREDENTIAL === 'localIssuer' && !settings.PPO_LOCAL_ISSUER_URL) {
        throw new ConfigurationError('invalid app settings: PPO_LOCAL_ISSUER_URL is required with PPO_CREDENTIAL=localIssuer');
    }
    return settings;
}

let cached: Settings | undefined;

/** Read and validated once, on first use (not at start-up, which stays cheap). */
export function settings(): Settings {
    cached ??= parseSettings(process.env);
    return cached;
}
