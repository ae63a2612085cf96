import { describe, expect, it } from 'vitest';
import { parseSettings } from '../../lib/config';
import { ConfigurationError } from '../../lib/errors';

const valid = {
    PPO_AZURE_CLIENT_ID: '11111111-1111-1111-1111-111111111111',
    PPO_KEY_VAULT_URL: 'https://contoso-ppo.vault.azure.net',
    PPO_RELAY_NAMESPACE: 'contoso-ppo.servicebus.windows.net',
    PPO_REGISTRY_TABLE_ENDPOINT: 'https://contosoppo.table.core.windows.net',
};

describe('parseSettings', () => {
    it('applies defaults to a minimal Azure configuration', () => {
        // Act
        const settings = parseSettings(valid);

        // Assess
        expect(settings).toMatchObject({ PPO_CLOUD: 'global', PPO_CREDENTIAL: 'managedIdentity', PPO_RELAY_AUTH: 'entra', PPO_RENEWAL_WINDOW_DAYS: 60, PPO_REVERIFY_SCHEDULE: '0 0 6 * * *', PPO_REGISTRY_TABLE: 'tenants' });
    });

    it.each([
        ['a missing Key Vault URL', { PPO_KEY_VAULT_URL: undefined }, 'PPO_KEY_VAULT_URL'],
        ['an unknown cloud', { PPO_CLOUD: 'mars' }, 'PPO_CLOUD'],
        ['a non-numeric renewal window', { PPO_RENEWAL_WINDOW_DAYS: 'soon' }, 'PPO_RENEWAL_WINDOW_DAYS'],
        ['no registry', { PPO_REGISTRY_TABLE_ENDPOINT: undefined }, 'PPO_REGISTRY_TABLE_ENDPOINT'],
        ['managed identity without client id', { PPO_AZURE_CLIENT_ID: undefined }, 'PPO_AZURE_CLIENT_ID'],
        ['a local issuer without its URL', { PPO_CREDENTIAL: 'localIssuer' }, 'PPO_LOCAL_ISSUER_URL'],
        ['a SAS relay sender without its Send rule', { PPO_RELAY_AUTH: 'sas', PPO_RELAY_SEND_KEY_SECRET: 'relay-send-key' }, 'PPO_RELAY_SEND_RULE'],
        ['a SAS relay sender without its key secret', { PPO_RELAY_AUTH: 'sas', PPO_RELAY_SEND_RULE: 'send' }, 'PPO_RELAY_SEND_KEY_SECRET'],
        ['an unknown relay authentication', { PPO_RELAY_AUTH: 'anonymous' }, 'PPO_RELAY_AUTH'],
        ['a relay resource id that is not a namespace', { PPO_RELAY_RESOURCE_ID: '/subscriptions/x/resourceGroups/g/providers/Microsoft.Storage/storageAccounts/s' }, 'PPO_RELAY_RESOURCE_ID'],
        ['multi-tenant without the provider application', { PPO_DIRECTORIES: 'multiTenant' }, 'PPO_PROVIDER_APP_ID'],
    ])('fails fast on %s, naming the setting', (_label, change, name) => {
        // Prepare
        const env = { ...valid, ...change };

        // Act
        const act = () => parseSettings(env);

        // Assess
        expect(act).toThrow(ConfigurationError);
        expect(act).toThrow(name);
    });
});

describe('settings()', () => {
    it('reads the environment once and again only when its values change', async () => {
        // Prepare
        const { settings } = await import('../../lib/config');
        const saved = { ...process.env };
        Object.assign(process.env, valid);

        try {
            // Act
            const first = settings();
            const again = settings();
            process.env.PPO_RENEWAL_WINDOW_DAYS = '30';
            const changed = settings();

            // Assess
            expect(again).toBe(first);
            expect(changed).not.toBe(first);
            expect(changed.PPO_RENEWAL_WINDOW_DAYS).toBe(30);
        } finally {
            for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
            Object.assign(process.env, saved);
        }
    });
});
