import { GraphError } from '@microsoft/microsoft-graph-client';
import { PermanentError, PushProxyError, TransientError } from '../errors';
import { isCredentialError, mapCredentialError } from '../identity/credential-errors';
import { parseRetryAfter } from '../identity/transient-retry';
import { redactText } from '../redact';

export const GRAPH_PERMISSION = 'Application.ReadWrite.All';

const PERMISSION_REMEDY =
    `Grant the Microsoft Graph application permission ${GRAPH_PERMISSION} (with admin consent) to the product's identity. ` +
    'The article did this step as a Global Administrator of the Microsoft 365 tenant (New-MsolServicePrincipalCredential); ' +
    'Application Administrator or Cloud Application Administrator is the least privileged directory role for doing it by hand.';

const END_DATE_HINT =
    "The key credential's end date must not be later than the certificate's expiry, and a tenant app management policy may cap key credential lifetimes: " +
    'create the certificate with a shorter validity (validityMonths) or relax the policy.';

const TRANSIENT_STATUSES = new Set([429, 500, 502, 503, 504]);

/** What the caller was doing, for messages: "find the key target", "write keyCredentials", ... */
export interface GraphCallContext {
    readonly action: string;
    /** Message for 404: whose absence it means. */
    readonly notFoundMessage?: string;
}

function safeCause(error: GraphError): Error {
    const cause = new Error(`HTTP ${error.statusCode} ${error.code ?? ''}: ${redactText(error.message)}`);
    cause.name = 'GraphError';
    return cause;
}

/**
 * Maps a Graph failure: 401/403 permanent naming the permission and directory role; 404 permanent
 * (the key target is missing); 400 about the end date permanent with the hint; 429/5xx (and no
 * response) transient with Retry-After; anything else permanent with Graph's message.
 */
export function mapGraphError(error: unknown, context: GraphCallContext): PushProxyError {
    if (error instanceof PushProxyError) return error;
    if (isCredentialError(error)) return mapCredentialError(error);
    if (!(error instanceof GraphError)) {
        return new PermanentError('graph-error', `Unexpected failure trying to ${context.action}.`, { cause: new Error(redactText(String(error))) });
    }
    const cause = safeCause(error);
    const status = error.statusCode;
    if (status === 401 || status === 403) {
        return new PermanentError(status === 401 ? 'graph-unauthorized' : 'graph-forbidden', `Microsoft Graph refused to ${context.action}: the identity needs ${GRAPH_PERMISSION}.`, {
            cause,
            remedy: PERMISSION_REMEDY,
        });
    }
    if (status === 404) {
        return new PermanentError('graph-key-target-not-found', context.notFoundMessage ?? `Microsoft Graph found nothing to ${context.action}.`, { cause });
    }
    if (status === 400 && /end date/i.test(error.message)) {
        return new PermanentError('graph-key-end-date-invalid', `Microsoft Graph rejected the key credential: ${error.message}`, { cause, remedy: END_DATE_HINT });
    }
    if (status <= 0 || TRANSIENT_STATUSES.has(status)) {
        const retryAfterMs = parseRetryAfter(error.headers?.get('retry-after'));
        return new TransientError('graph-unavailable', `Microsoft Graph could not ${context.action} for now${status > 0 ? ` (HTTP ${status})` : ''}.`, {
            cause,
            ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
        });
    }
    return new PermanentError('graph-request-rejected', `Microsoft Graph rejected the request to ${context.action} (HTTP ${status}): ${redactText(error.message)}`, { cause });
}
