import https from 'node:https';
import { describe, expect, it } from 'vitest';
import { cloudEndpoints } from '../../lib/clouds';
import { ConfigurationError } from '../../lib/errors';
import { createOutboundAgent } from '../../lib/identity/outbound-agent';
import { azureAccessSettingsFrom } from '../../lib/identity/settings';
import { readKeyVaultUrl } from '../../lib/keyvault/settings';

const noFile = (): string => {
    throw new Error('no such file');
};

describe('Azure access settings are read from the app settings and fail naming the setting', () => {
    it.each([
        ['managed identity', { PPO_CREDENTIAL: 'managedIdentity', PPO_AZURE_CLIENT_ID: 'c0ffee00-0000-4000-8000-000000000001' }, { kind: 'managedIdentity', clientId: 'c0ffee00-0000-4000-8000-000000000001' }],
        ['DefaultAzureCredential', { PPO_CREDENTIAL: 'default' }, { kind: 'default' }],
        ['the local issuer', { PPO_CREDENTIAL: 'localIssuer', PPO_LOCAL_ISSUER_URL: 'https://login.microsoftonline.com/t/oauth2/v2.0/token' }, { kind: 'localIssuer', tokenUrl: 'https://login.microsoftonline.com/t/oauth2/v2.0/token' }],
    ] as const)('chooses %s by PPO_CREDENTIAL', (_name, values, credential) => {
        // Act
        const settings = azureAccessSettingsFrom(values, noFile);

        // Assess
        expect(settings.credential).toEqual(credential);
        expect(settings.cloud).toBe('global');
        expect(settings.outbound.connectTo.size).toBe(0);
    });

    it.each([
        ['PPO_AZURE_CLIENT_ID', { PPO_CREDENTIAL: 'managedIdentity' }],
        ['PPO_LOCAL_ISSUER_URL', { PPO_CREDENTIAL: 'localIssuer' }],
        ['PPO_OUTBOUND_CONNECT_TO', { PPO_CREDENTIAL: 'default', PPO_OUTBOUND_CONNECT_TO: 'graph.microsoft.com' }],
        ['PPO_EXTRA_CA_FILE', { PPO_CREDENTIAL: 'default', PPO_EXTRA_CA_FILE: '/nowhere/ca.pem' }],
        ['PPO_CLOUD', { PPO_CREDENTIAL: 'default', PPO_CLOUD: 'mars' }],
        ['PPO_PROVIDER_APP_ID', { PPO_CREDENTIAL: 'default', PPO_DIRECTORIES: 'multiTenant' }],
        ['PPO_PROVIDER_APP_ID', { PPO_CREDENTIAL: 'default', PPO_DIRECTORIES: 'multiTenant', PPO_PROVIDER_APP_ID: 'not-a-guid' }],
        ['PPO_DIRECTORIES', { PPO_CREDENTIAL: 'default', PPO_DIRECTORIES: 'many' }],
    ] as const)('names %s when it is missing or wrong', (setting, values) => {
        // Act
        const read = (): unknown => azureAccessSettingsFrom(values as Parameters<typeof azureAccessSettingsFrom>[0], noFile);

        // Assess
        expect(read).toThrow(ConfigurationError);
        expect(read).toThrow(setting);
    });

    it('refuses a Key Vault URL of another cloud', () => {
        // Act
        const read = (): unknown => readKeyVaultUrl({ PPO_KEY_VAULT_URL: 'https://ppo.vault.azure.net' }, cloudEndpoints('usGovHigh'));

        // Assess
        expect(read).toThrow(/PPO_KEY_VAULT_URL.*GCC High/);
    });

    it('uses the SDK defaults (no agent) when nothing is configured, as in production', () => {
        // Act
        const agent = createOutboundAgent({ connectTo: new Map() });

        // Assess
        expect(agent).toBeUndefined();
    });

    it('refuses hosts that a sandbox did not route, so nothing leaves for the real cloud', async () => {
        // Prepare
        const agent = createOutboundAgent({ connectTo: new Map([['graph.microsoft.com', { host: '127.0.0.1', port: 9 }]]) });

        // Act
        const request = new Promise((resolve, reject) => {
            https.get('https://login.microsoftonline.com/', { agent }, resolve).on('error', reject);
        });

        // Assess
        await expect(request).rejects.toThrow(/no route configured for host "login.microsoftonline.com"/);
        agent?.destroy();
    });
});
