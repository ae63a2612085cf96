import { PermanentError, PushProxyError, TransientError } from '../errors';
import { isCredentialError, mapCredentialError } from '../identity/credential-errors';
import { parseRetryAfter } from '../identity/transient-retry';
import { redactText } from '../redact';

/** The part of an Azure SDK RestError the product reads (duck-typed: the class lives in a transitive package). */
interface RestErrorLike {
    readonly name: string;
    readonly message: string;
    readonly statusCode?: number;
    readonly code?: string;
    readonly response?: { readonly headers: { get(name: string): string | undefined } };
}

function isRestError(error: unknown): error is RestErrorLike {
    return error instanceof Error && error.name === 'RestError';
}

export function statusOf(error: unknown): number | undefined {
    return isRestError(error) ? error.statusCode : undefined;
}

/**
 * A cause that is safe to keep: status, service code and message, without the SDK's request object
 * (which carries the Authorization header).
 */
export function sanitisedCause(error: unknown): Error {
    if (!(error instanceof Error)) return new Error(redactText(String(error)));
    const rest: RestErrorLike | undefined = isRestError(error) ? error : undefined;
    const status = rest?.statusCode === undefined ? '' : `HTTP ${rest.statusCode} `;
    const code = rest?.code === undefined ? '' : `${rest.code}: `;
    const safe = new Error(`${status}${code}${redactText(error.message.split('\n')[0] ?? '')}`);
    safe.name = error.name;
    return safe;
}

export type KeyVaultRoleNeeded = 'Key Vault Certificates Officer' | 'Key Vault Secrets User' | 'Push proxy agent secret writer';

/**
 * Maps a Key Vault failure: 403 permanent naming the data-plane role the identity lacks; 401
 * permanent; 408, 429 and 5xx (and a request that got no response) transient with Retry-After.
 */
export function mapKeyVaultError(error: unknown, action: string, roleNeeded: KeyVaultRoleNeeded): PushProxyError {
    if (error instanceof PushProxyError) return error;
    if (isCredentialError(error)) return mapCredentialError(error);
    const cause = sanitisedCause(error);
    if (!isRestError(error)) return new PermanentError('keyvault-error', `Unexpected failure trying to ${action}.`, { cause });
    const status = statusOf(error);
    if (status === 403) {
        return new PermanentError('keyvault-forbidden', `Key Vault refused to ${action}: the identity lacks the role "${roleNeeded}" on the vault.`, {
            cause,
            remedy: `Assign the Azure role "${roleNeeded}" on the Key Vault to the Function App's managed identity (Key Vault uses Azure RBAC).`,
        });
    }
    if (status === 401) {
        return new PermanentError('keyvault-unauthorized', `Key Vault did not accept the product's token to ${action}.`, {
            cause,
            remedy: 'Check that the vault is in the tenant of the product identity and that PPO_CLOUD matches the vault\'s cloud.',
        });
    }
    if (status === undefined || status === 408 || status === 429 || status >= 500) {
        const retryAfterMs = parseRetryAfter(error.response?.headers.get('retry-after'));
        return new TransientError('keyvault-unavailable', `Key Vault could not ${action} for now${status === undefined ? '' : ` (HTTP ${status})`}.`, {
            cause,
            ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
        });
    }
    return new PermanentError('keyvault-error', `Key Vault failed to ${action} (HTTP ${status}).`, { cause });
}
