import type { SecretClient } from '@azure/keyvault-secrets';
import { deletedSecretRecovery } from '../contracts/retry-policies';
import { PermanentError } from '../errors';
import { defaultSleep } from '../identity/transient-retry';
import { mapKeyVaultError, statusOf } from '../keyvault/keyvault-errors';

function conflictSays(error: unknown, pattern: RegExp): boolean {
    return statusOf(error) === 409 && error instanceof Error && pattern.test(error.message);
}
const isDeletedButRecoverable = (error: unknown): boolean => conflictSays(error, /deleted but recoverable/i);
const isBeingRecovered = (error: unknown): boolean => conflictSays(error, /being recovered/i);

/** How long a secret read from Key Vault is reused before it is read again (rotation takes effect). */
export const SECRET_CACHE_MS = 10 * 60_000;

/**
 * Secrets the app needs at run time (the relay Send key, each agent's shared secret), read from
 * Key Vault through the managed identity and kept in memory only. The SDK client is asked for on the
 * first read (its module loads then, not with the app).
 */
export class VaultSecrets {
    private readonly cache = new Map<string, { value: Promise<string>; readAt: number }>();

    constructor(
        private readonly client: () => Promise<SecretClient>,
        private readonly now: () => number = Date.now,
    ) {}

    get(name: string, whatItIs: string): Promise<string> {
        const cached = this.cache.get(name);
        if (cached && this.now() - cached.readAt < SECRET_CACHE_MS) return cached.value;
        const value = this.read(name, whatItIs);
        this.cache.set(name, { value, readAt: this.now() });
        value.catch(() => this.cache.delete(name));
        return value;
    }

    /**
     * Writes a new version (an enrolled agent's shared secret); this worker reads it from now on. A name removed
     * before is soft-deleted and cannot be written until recovered (409 ObjectIsDeletedButRecoverable,
     * learn.microsoft.com/azure/key-vault/general/soft-delete-overview): it is recovered, then given the new value,
     * so an organization removed and enrolled again gets a fresh secret and never the old one.
     */
    async set(name: string, value: string): Promise<void> {
        try {
            const client = await this.client();
            try {
                await client.setSecret(name, value);
            } catch (error) {
                if (!isDeletedButRecoverable(error)) throw error;
                await (await client.beginRecoverDeletedSecret(name, { intervalInMs: deletedSecretRecovery.pollMs })).pollUntilDone();
                await this.setAfterRecovery(client, name, value);
            }
        } catch (error) {
            throw mapKeyVaultError(error, `write the secret ${name}`, 'Push proxy agent secret writer');
        } finally {
            this.cache.delete(name);
        }
    }

    /** Key Vault may still answer 409 ObjectIsBeingRecovered just after the recovery poller finished. */
    private async setAfterRecovery(client: SecretClient, name: string, value: string): Promise<void> {
        for (let attempt = 1; ; attempt += 1) {
            try {
                await client.setSecret(name, value);
                return;
            } catch (error) {
                if (attempt >= deletedSecretRecovery.writeAttempts || !isBeingRecovered(error)) throw error;
                await defaultSleep(deletedSecretRecovery.pollMs);
            }
        }
    }

    /** Deletes (soft delete, as the vault is configured); absent is done. */
    async remove(name: string): Promise<void> {
        this.cache.delete(name);
        try {
            await (await this.client()).beginDeleteSecret(name);
        } catch (error) {
            if (statusOf(error) === 404) return;
            throw mapKeyVaultError(error, `delete the secret ${name}`, 'Push proxy agent secret writer');
        }
    }

    private async read(name: string, whatItIs: string): Promise<string> {
        try {
            const secret = await (await this.client()).getSecret(name);
            if (!secret.value) throw new PermanentError('secret_empty', `Key Vault secret ${name} (${whatItIs}) has no value`);
            return secret.value;
        } catch (error) {
            if (statusOf(error) === 404) {
                throw new PermanentError('secret_missing', `Key Vault secret ${name} (${whatItIs}) does not exist`, {
                    remedy: `Create the secret ${name} in the Key Vault (the post-provision hook does it for each hybrid connection; see docs/deploy.md).`,
                    cause: error,
                });
            }
            throw mapKeyVaultError(error, `read the secret ${name}`, 'Key Vault Secrets User');
        }
    }
}
