import { AgentClient } from '../agent-client/agent-client';
import { settings, type Settings } from '../config';
import { EntraKeyCredentials } from '../graph/entra-key-credentials';
import { createAzureAccess, type AzureAccess } from '../identity/azure-access';
import { KeyVaultCertificateLifecycle } from '../keyvault/certificate-lifecycle';
import { createSecretClient } from '../keyvault/keyvault-clients';
import { KeyVaultPfxExporter } from '../keyvault/pfx-export';
import { TenantRegistry } from '../registry/tenant-registry';
import { VaultRelayTransport } from './vault-relay-transport';
import { VaultSecrets } from './vault-secrets';

/**
 * The clients the functions and activities share. Each is built on first use from the settings
 * (so loading the app stays cheap and a function that needs no Graph never builds it) and then
 * reused by every invocation of this worker.
 */
export interface AppServices {
    readonly settings: Settings;
    registry(): TenantRegistry;
    agents(): AgentClient;
    graph(): EntraKeyCredentials;
    certificates(): KeyVaultCertificateLifecycle;
    pfxExporter(): KeyVaultPfxExporter;
}

function once<T>(build: () => T): () => T {
    let value: T | undefined;
    return () => (value ??= build());
}

function build(s: Settings): AppServices {
    const access = once((): AzureAccess => createAzureAccess(s.azure));
    const secrets = once(() => new VaultSecrets(createSecretClient(access(), s.PPO_KEY_VAULT_URL)));
    return {
        settings: s,
        registry: once(() =>
            s.PPO_REGISTRY_CONNECTION_STRING
                ? TenantRegistry.withConnectionString(s.PPO_REGISTRY_CONNECTION_STRING, s.PPO_REGISTRY_TABLE)
                : TenantRegistry.withCredential(s.PPO_REGISTRY_TABLE_ENDPOINT ?? '', s.PPO_REGISTRY_TABLE, access().credential),
        ),
        agents: once(
            () =>
                new AgentClient({
                    transport: new VaultRelayTransport(s, secrets()),
                    sharedSecretFor: (hybridConnection) => secrets().get(`${s.PPO_AGENT_SECRET_PREFIX}${hybridConnection}`, `the shared secret of the agent on ${hybridConnection}`),
                }),
        ),
        graph: once(() => new EntraKeyCredentials(access())),
        certificates: once(() => new KeyVaultCertificateLifecycle(access(), s.PPO_KEY_VAULT_URL)),
        pfxExporter: once(() => new KeyVaultPfxExporter(access(), s.PPO_KEY_VAULT_URL)),
    };
}

let services: AppServices | undefined;

export function appServices(): AppServices {
    const current = settings();
    if (services?.settings !== current) services = build(current);
    return services;
}
