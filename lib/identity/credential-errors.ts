import { PermanentError, TransientError, type PushProxyError } from '../errors';
import { redactText } from '../redact';

/** Failures to get a token: @azure/identity's, and IssuerTokenError of the localIssuer credential. */
const CREDENTIAL_ERROR_NAMES = new Set(['AuthenticationError', 'CredentialUnavailableError', 'AggregateAuthenticationError', 'AuthenticationRequiredError', 'IssuerTokenError']);

export function isCredentialError(error: unknown): error is Error & { readonly statusCode?: number } {
    return error instanceof Error && CREDENTIAL_ERROR_NAMES.has(error.name);
}

/** A token could not be obtained: transient when the authority throttled or failed, else a configuration problem. */
export function mapCredentialError(error: Error & { readonly statusCode?: number }): PushProxyError {
    const cause = new Error(redactText(error.message.split('\n')[0] ?? ''));
    cause.name = error.name;
    const status = error.statusCode;
    if (status !== undefined && (status === 429 || status >= 500)) {
        return new TransientError('credential-unavailable', `The identity provider could not issue a token for now (HTTP ${status}).`, { cause });
    }
    return new PermanentError('credential-failed', 'The product could not get a token for its identity.', {
        cause,
        remedy: 'Check PPO_CREDENTIAL and its settings (PPO_AZURE_CLIENT_ID, PPO_LOCAL_ISSUER_URL, PPO_CLOUD).',
    });
}
