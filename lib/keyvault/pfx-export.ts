import type { SecretClient } from '@azure/keyvault-secrets';
import { rewrapPfxWith3des, type RewrappedPfx } from '../certificates/pfx-rewrap';
import { PermanentError } from '../errors';
import type { AzureAccess } from '../identity/azure-access';
import { DEFAULT_RETRY_POLICY, withTransientRetry, type RetryPolicy } from '../identity/transient-retry';
import { Logger, silentSink } from '../logger';
import type { KeyVaultClientOptions } from './certificate-lifecycle';
import { createSecretClient } from './keyvault-clients';
import { mapKeyVaultError } from './keyvault-errors';

/** The friendly name the article's certificate filter needs (FriendlyName -match "OAuth"). */
export const OAUTH_FRIENDLY_NAME = 'Exchange S2S OAuth';

/**
 * Reads the PFX of one certificate version (the Key Vault secret of the same name) and re-wraps it
 * for the agent. Call it only inside the activity that seals and sends the result: the returned PFX
 * and password must never reach orchestration history, logs or errors.
 */
export class KeyVaultPfxExporter {
    private readonly client: SecretClient;
    private readonly retry: RetryPolicy;
    private readonly logger: Logger;

    constructor(access: AzureAccess, vaultUrl: string, options: KeyVaultClientOptions = {}) {
        this.client = createSecretClient(access, vaultUrl);
        this.retry = options.retry ?? DEFAULT_RETRY_POLICY;
        this.logger = (options.logger ?? new Logger({}, silentSink)).child({ component: 'keyvault-pfx' });
    }

    async exportForAgent(certificateName: string, version: string, expectedThumbprint: string): Promise<RewrappedPfx> {
        const action = 'read the certificate\'s PFX secret';
        const secret = await withTransientRetry(
            'keyVault',
            action,
            async () => {
                try {
                    return await this.client.getSecret(certificateName, { version });
                } catch (error) {
                    throw mapKeyVaultError(error, action, 'Key Vault Secrets User');
                }
            },
            this.retry,
            this.logger,
        );
        if (secret.properties.contentType !== 'application/x-pkcs12' || secret.value === undefined) {
            throw new PermanentError('keyvault-secret-not-pfx', `The secret of ${certificateName} is not a PKCS#12 (content type ${secret.properties.contentType ?? 'none'}).`, {
                cause: new Error('unexpected content type'),
                remedy: 'Create the certificate with content type application/x-pkcs12.',
            });
        }
        const source = Buffer.from(secret.value, 'base64');
        try {
            const rewrapped = rewrapPfxWith3des(source, { friendlyName: OAUTH_FRIENDLY_NAME, expectedThumbprint });
            this.logger.info('PFX re-wrapped for the agent', { certificateName, version, thumbprint: expectedThumbprint });
            return rewrapped;
        } finally {
            source.fill(0);
        }
    }
}
