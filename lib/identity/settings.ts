import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { cloudNameSchema, type CloudName } from '../contracts/clouds';
import { ConfigurationError } from '../errors';
import { parseConnectTo, type OutboundSettings } from './outbound-settings';

/**
 * Who the product is when it calls Azure, chosen by configuration only (PPO_CREDENTIAL):
 * - managedIdentity: the user-assigned managed identity PPO_AZURE_CLIENT_ID (production).
 * - default: DefaultAzureCredential (workload identity, developer sign-ins, managed identity).
 * - localIssuer: the client-credentials grant against PPO_LOCAL_ISSUER_URL, the token endpoint of a
 *   local world's issuer. No token is made up in process: it is requested over HTTPS like any other.
 */
export type CredentialSettings =
    | { readonly kind: 'managedIdentity'; readonly clientId: string }
    | { readonly kind: 'default'; readonly managedIdentityClientId?: string }
    | { readonly kind: 'localIssuer'; readonly tokenUrl: string; readonly clientId?: string };

/**
 * Whose directory Graph is called in (PPO_DIRECTORIES):
 * - single: the deployment's own directory, with the product's credential (an organization that
 *   deploys for itself).
 * - multiTenant: each customer's directory, as the provider's multi-tenant application
 *   PPO_PROVIDER_APP_ID, whose only credential is a federated identity credential trusting the
 *   product's managed identity (see directory-credential.ts). No secret anywhere.
 */
export type DirectorySettings = { readonly mode: 'single' } | { readonly mode: 'multiTenant'; readonly appClientId: string };

export interface AzureAccessSettings {
    readonly cloud: CloudName;
    readonly credential: CredentialSettings;
    /** Single directory when absent. */
    readonly directories?: DirectorySettings;
    readonly outbound: OutboundSettings;
    /** Replaces the cloud's Graph endpoint (PPO_GRAPH_ENDPOINT); the token scope stays the cloud's. */
    readonly graphEndpoint?: string;
}

const optionalText = z
    .string()
    .trim()
    .optional()
    .transform((value) => (value === undefined || value.length === 0 ? undefined : value));

/** The app settings this module reads; the same names and meanings as lib/config.ts, plus PPO_OUTBOUND_CONNECT_TO. */
export const azureAppSettingsSchema = z.object({
    PPO_CLOUD: cloudNameSchema.default('global'),
    PPO_CREDENTIAL: z.enum(['managedIdentity', 'default', 'localIssuer']).default('managedIdentity'),
    PPO_AZURE_CLIENT_ID: optionalText.describe('Client id of the user-assigned managed identity (or of the product in the local issuer).'),
    PPO_LOCAL_ISSUER_URL: optionalText.pipe(z.url().optional()).describe('Token endpoint of the local issuer (PPO_CREDENTIAL=localIssuer only).'),
    PPO_EXTRA_CA_FILE: optionalText.describe("PEM file of an extra CA trusted by the product's own Azure clients (never installed globally)."),
    PPO_GRAPH_ENDPOINT: optionalText.pipe(z.url().optional()).describe("Overrides the cloud's Microsoft Graph endpoint."),
    PPO_OUTBOUND_CONNECT_TO: optionalText.describe('host=address:port,... routes for a sandbox (like curl --connect-to); unlisted hosts are then refused.'),
    PPO_DIRECTORIES: z
        .enum(['single', 'multiTenant'])
        .default('single')
        .describe("single: Graph in the deployment's own directory; multiTenant: in each customer's directory as the provider's multi-tenant application (PPO_PROVIDER_APP_ID)."),
    PPO_PROVIDER_APP_ID: optionalText
        .pipe(z.uuid('must be the application (client) id of the multi-tenant application, a GUID').optional())
        .describe('With PPO_DIRECTORIES=multiTenant: the multi-tenant application whose federated identity credential trusts the managed identity.'),
});

export type AzureAppSettings = z.input<typeof azureAppSettingsSchema>;

function credentialSettings(values: z.output<typeof azureAppSettingsSchema>): CredentialSettings {
    switch (values.PPO_CREDENTIAL) {
        case 'managedIdentity':
            if (values.PPO_AZURE_CLIENT_ID === undefined) throw new ConfigurationError('PPO_AZURE_CLIENT_ID is required with PPO_CREDENTIAL=managedIdentity');
            return { kind: 'managedIdentity', clientId: values.PPO_AZURE_CLIENT_ID };
        case 'default':
            return { kind: 'default', ...(values.PPO_AZURE_CLIENT_ID === undefined ? {} : { managedIdentityClientId: values.PPO_AZURE_CLIENT_ID }) };
        case 'localIssuer':
            if (values.PPO_LOCAL_ISSUER_URL === undefined) throw new ConfigurationError('PPO_LOCAL_ISSUER_URL is required with PPO_CREDENTIAL=localIssuer');
            return { kind: 'localIssuer', tokenUrl: values.PPO_LOCAL_ISSUER_URL, ...(values.PPO_AZURE_CLIENT_ID === undefined ? {} : { clientId: values.PPO_AZURE_CLIENT_ID }) };
    }
}

function directorySettings(values: z.output<typeof azureAppSettingsSchema>): DirectorySettings {
    if (values.PPO_DIRECTORIES === 'single') return { mode: 'single' };
    if (values.PPO_PROVIDER_APP_ID === undefined) {
        throw new ConfigurationError('PPO_PROVIDER_APP_ID is required with PPO_DIRECTORIES=multiTenant', {
            remedy: 'Set it to the application (client) id of the multi-tenant application that azd provisioned (README, "Service providers").',
        });
    }
    return { mode: 'multiTenant', appClientId: values.PPO_PROVIDER_APP_ID.toLowerCase() };
}

function readCa(path: string | undefined, readTextFile: (path: string) => string): string | undefined {
    if (path === undefined) return undefined;
    try {
        return readTextFile(path);
    } catch (error) {
        throw new ConfigurationError(`PPO_EXTRA_CA_FILE: cannot read "${path}"`, { cause: error });
    }
}

/** Builds the access settings from app settings already read (e.g. lib/config.ts's); throws ConfigurationError naming the setting. */
export function azureAccessSettingsFrom(values: AzureAppSettings, readTextFile: (path: string) => string = (path) => readFileSync(path, 'utf8')): AzureAccessSettings {
    const parsed = azureAppSettingsSchema.safeParse(values);
    if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new ConfigurationError(`${issue?.path.join('.') ?? 'setting'}: ${issue?.message ?? 'invalid'}`);
    }
    const connectTo = parseConnectTo(parsed.data.PPO_OUTBOUND_CONNECT_TO ?? '');
    if ('error' in connectTo) throw new ConfigurationError(`PPO_OUTBOUND_CONNECT_TO: ${connectTo.error}`);
    const trustedCaPem = readCa(parsed.data.PPO_EXTRA_CA_FILE, readTextFile);
    return {
        cloud: parsed.data.PPO_CLOUD,
        credential: credentialSettings(parsed.data),
        directories: directorySettings(parsed.data),
        outbound: { connectTo: connectTo.map, ...(trustedCaPem === undefined ? {} : { trustedCaPem }) },
        ...(parsed.data.PPO_GRAPH_ENDPOINT === undefined ? {} : { graphEndpoint: parsed.data.PPO_GRAPH_ENDPOINT.replace(/\/+$/, '') }),
    };
}

/** Reads the access settings from the environment (the app settings of the Function App). */
export function readAzureAccessSettings(env: Readonly<Record<string, string | undefined>> = process.env): AzureAccessSettings {
    return azureAccessSettingsFrom({
        PPO_CLOUD: env.PPO_CLOUD as AzureAppSettings['PPO_CLOUD'],
        PPO_CREDENTIAL: env.PPO_CREDENTIAL as AzureAppSettings['PPO_CREDENTIAL'],
        PPO_AZURE_CLIENT_ID: env.PPO_AZURE_CLIENT_ID,
        PPO_LOCAL_ISSUER_URL: env.PPO_LOCAL_ISSUER_URL,
        PPO_EXTRA_CA_FILE: env.PPO_EXTRA_CA_FILE,
        PPO_GRAPH_ENDPOINT: env.PPO_GRAPH_ENDPOINT,
        PPO_OUTBOUND_CONNECT_TO: env.PPO_OUTBOUND_CONNECT_TO,
        PPO_DIRECTORIES: env.PPO_DIRECTORIES as AzureAppSettings['PPO_DIRECTORIES'],
        PPO_PROVIDER_APP_ID: env.PPO_PROVIDER_APP_ID,
    });
}
