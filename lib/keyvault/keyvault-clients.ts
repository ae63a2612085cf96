import { CertificateClient } from '@azure/keyvault-certificates';
import { SecretClient } from '@azure/keyvault-secrets';
import type { AzureAccess } from '../identity/azure-access';

/**
 * SDK clients for one vault. The SDK's own retries are off: the product's retry (Retry-After aware,
 * bounded, observable) wraps each call instead, so a long throttle goes back to the durable retry
 * policy rather than holding an activity. The challenge-resource check stays on.
 */
export function keyVaultClientOptions(access: AzureAccess): { retryOptions: { maxRetries: number }; agent?: AzureAccess['agent'] } {
    return { retryOptions: { maxRetries: 0 }, ...(access.agent === undefined ? {} : { agent: access.agent }) };
}

export function createCertificateClient(access: AzureAccess, vaultUrl: string): CertificateClient {
    return new CertificateClient(vaultUrl, access.credential, keyVaultClientOptions(access));
}

export function createSecretClient(access: AzureAccess, vaultUrl: string): SecretClient {
    return new SecretClient(vaultUrl, access.credential, keyVaultClientOptions(access));
}
