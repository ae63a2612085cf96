import { AgentClient } from '../agent-client/agent-client';
import { settings, type Settings } from '../config';
import type { EntraKeyCredentials } from '../graph/entra-key-credentials';
import type { AzureAccess } from '../identity/azure-access';
import type { CustomerDirectories } from '../identity/customer-directories';
import { PermanentError } from '../errors';
import type { OrganizationEnrollment } from '../organizations/organization-enrollment';
import type { KeyVaultCertificateLifecycle } from '../keyvault/certificate-lifecycle';
import type { KeyVaultPfxExporter } from '../keyvault/pfx-export';
import type { TenantRegistry } from '../registry/tenant-registry';
import { VaultRelayTransport } from './vault-relay-transport';
import { VaultSecrets } from './vault-secrets';

/**
 * The clients the functions and activities share. Each is built on first use from the settings and
 * then reused by every invocation of this worker. The modules behind the Azure clients (the Azure
 * SDKs, the Graph client, node-forge) are imported on first use too, so loading the app stays cheap
 * (a cold start pays only for the SDKs the first function needs) and a function that needs no Graph
 * never loads it.
 */
export interface AppServices {
    readonly settings: Settings;
    registry(): Promise<TenantRegistry>;
    agents(): AgentClient;
    /** Graph for one directory: the deployment's own (single-directory mode), or the customer's `tenantId` (multi-tenant). */
    graph(tenantId?: string): Promise<EntraKeyCredentials>;
    /** Who the product is in customers' directories (multi-tenant mode), tenant discovery and the consent link. */
    directories(): Promise<CustomerDirectories>;
    /** Enrolls and removes organizations at run time (PPO_RELAY_RESOURCE_ID). */
    organizations(): Promise<OrganizationEnrollment>;
    certificates(): Promise<KeyVaultCertificateLifecycle>;
    pfxExporter(): Promise<KeyVaultPfxExporter>;
}

function once<T>(build: () => T): () => T {
    let value: T | undefined;
    return () => (value ??= build());
}

/** Builds on the first call and reuses the result; a build that failed is tried again on the next call. */
function onceAsync<T>(build: () => Promise<T>): () => Promise<T> {
    let value: Promise<T> | undefined;
    return () => {
        value ??= build().catch((error: unknown) => {
            value = undefined;
            throw error;
        });
        return value;
    };
}

/** onceAsync per key (a tenant id, or none). */
function perKey<T>(build: (key: string | undefined) => Promise<T>): (key?: string) => Promise<T> {
    const built = new Map<string, () => Promise<T>>();
    return (key) => {
        const name = key?.toLowerCase() ?? '';
        let get = built.get(name);
        if (get === undefined) {
            get = onceAsync(() => build(key));
            built.set(name, get);
        }
        return get();
    };
}

function build(s: Settings): AppServices {
    const access = onceAsync(async (): Promise<AzureAccess> => (await import('../identity/azure-access.js')).createAzureAccess(s.azure));
    const secretClient = onceAsync(async () => (await import('../keyvault/keyvault-clients.js')).createSecretClient(await access(), s.PPO_KEY_VAULT_URL));
    const secrets = once(() => new VaultSecrets(secretClient));
    const directories = onceAsync(async () => new (await import('../identity/customer-directories.js')).CustomerDirectories(await access()));
    return {
        settings: s,
        registry: onceAsync(async () => {
            const { TenantRegistry } = await import('../registry/tenant-registry.js');
            return s.PPO_REGISTRY_CONNECTION_STRING
                ? TenantRegistry.withConnectionString(s.PPO_REGISTRY_CONNECTION_STRING, s.PPO_REGISTRY_TABLE)
                : TenantRegistry.withCredential(s.PPO_REGISTRY_TABLE_ENDPOINT ?? '', s.PPO_REGISTRY_TABLE, (await access()).credential);
        }),
        agents: once(
            () =>
                new AgentClient({
                    transport: new VaultRelayTransport(s, secrets(), access),
                    sharedSecretFor: (hybridConnection) => secrets().get(`${s.PPO_AGENT_SECRET_PREFIX}${hybridConnection}`, `the shared secret of the agent on ${hybridConnection}`),
                }),
        ),
        graph: perKey(async (tenantId) => {
            const { EntraKeyCredentials } = await import('../graph/entra-key-credentials.js');
            const directory = (await directories()).graphDirectory(tenantId);
            return new EntraKeyCredentials(await access(), directory === undefined ? {} : { directory });
        }),
        directories,
        organizations: onceAsync(async () => {
            const namespaceId = s.PPO_RELAY_RESOURCE_ID;
            if (namespaceId === undefined) {
                throw new PermanentError('enrollment_not_configured', 'This deployment does not enroll organizations at run time: PPO_RELAY_RESOURCE_ID is not set.', {
                    remedy: 'Set PPO_RELAY_RESOURCE_ID to the relay namespace resource id (azd provision does), or add the organization to PPO_HYBRID_CONNECTIONS and run azd provision.',
                });
            }
            const [{ RelayManagement }, { OrganizationEnrollment }] = await Promise.all([import('../relay/relay-management.js'), import('../organizations/organization-enrollment.js')]);
            return new OrganizationEnrollment(new RelayManagement(await access(), namespaceId), secrets(), { namespace: s.PPO_RELAY_NAMESPACE, secretPrefix: s.PPO_AGENT_SECRET_PREFIX });
        }),
        certificates: onceAsync(async () => new (await import('../keyvault/certificate-lifecycle.js')).KeyVaultCertificateLifecycle(await access(), s.PPO_KEY_VAULT_URL)),
        pfxExporter: onceAsync(async () => new (await import('../keyvault/pfx-export.js')).KeyVaultPfxExporter(await access(), s.PPO_KEY_VAULT_URL)),
    };
}

let services: AppServices | undefined;

export function appServices(): AppServices {
    const current = settings();
    if (services?.settings !== current) services = build(current);
    return services;
}
