import type { CloudEndpoints } from '../clouds';
import { ConfigurationError } from '../errors';

/** Reads PPO_KEY_VAULT_URL and checks that it is a vault of the configured cloud. */
export function readKeyVaultUrl(env: Readonly<Record<string, string | undefined>>, cloud: CloudEndpoints): string {
    const value = env.PPO_KEY_VAULT_URL?.trim();
    if (value === undefined || value === '') throw new ConfigurationError('PPO_KEY_VAULT_URL is required (https://<vault>.' + cloud.keyVaultDnsSuffix + ')');
    let url: URL;
    try {
        url = new URL(value);
    } catch {
        throw new ConfigurationError(`PPO_KEY_VAULT_URL: "${value}" is not a URL`);
    }
    if (url.protocol !== 'https:' || !url.hostname.endsWith(`.${cloud.keyVaultDnsSuffix}`)) {
        throw new ConfigurationError(`PPO_KEY_VAULT_URL: "${value}" is not a Key Vault of the ${cloud.displayName} cloud (https://<vault>.${cloud.keyVaultDnsSuffix})`);
    }
    return url.origin;
}
