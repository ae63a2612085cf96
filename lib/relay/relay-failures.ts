import { PermanentError, type PushProxyError, TransientError } from '../errors';
import { redactText } from '../redact';

/** What a relay request was addressed to; named in every failure, never with credentials. */
export interface RelayTarget {
    readonly namespace: string;
    readonly hybridConnection: string;
    readonly path: string;
}

function where(target: RelayTarget): string {
    return `hybrid connection "${target.hybridConnection}" on relay namespace ${target.namespace} (${target.path})`;
}

function withDetail(message: string, detail: string): string {
    const clean = redactText(detail.replace(/\s+/g, ' ').trim()).slice(0, 300);
    return clean.length === 0 ? message : `${message}: ${clean}`;
}

/**
 * The service's 404 when the hybrid connection exists but no listener is connected: "404 There are no
 * listeners connected for the endpoint. TrackingId:..." (what the service answers a sender's WebSocket
 * connect, as seen from Azure Arc and Power Automate machine runtimes). It heals when the agent
 * reconnects; only "Endpoint does not exist" (no such hybrid connection) is for good.
 */
const NO_LISTENER_404 = /no listeners? (are )?connected/i;

/**
 * Maps a status the relay itself answered (no `Via` header) to an error. Documented meanings
 * (Azure Relay Hybrid Connections protocol, "HTTP request protocol"): 401 bad token, 403 token not
 * valid for this path or action, 404 no such hybrid connection, 500 service error, 502/503 no
 * listener could take the request, 504 the listener did not answer in time (60 s).
 */
export function relayStatusFailure(status: number, target: RelayTarget, detail: string, retryAfterMs?: number): PushProxyError {
    const options = retryAfterMs === undefined ? {} : { retryAfterMs };
    switch (status) {
        case 401:
            return new PermanentError('relay-unauthorized', withDetail(`The relay refused the Send token for ${where(target)} (401)`, detail), {
                remedy: `Check the Send rule name and key configured for hybrid connection "${target.hybridConnection}": the rule must exist on the hybrid connection or namespace and the key must be its current primary or secondary key.`,
            });
        case 403:
            return new PermanentError('relay-forbidden', withDetail(`The relay token is not valid for ${where(target)} (403)`, detail), {
                remedy: `Use a shared access rule with the Send right on hybrid connection "${target.hybridConnection}" (a Listen-only rule cannot send).`,
            });
        case 404:
            if (NO_LISTENER_404.test(detail)) return new TransientError('relay-no-listener', withDetail(`No agent is listening on ${where(target)} (404)`, detail), options);
            return new PermanentError('relay-hybrid-connection-not-found', withDetail(`The relay does not know ${where(target)} (404)`, detail), {
                remedy: `Check the hybrid connection name "${target.hybridConnection}" and the namespace ${target.namespace}; create the hybrid connection (with client authorization) if it is missing.`,
            });
        case 502:
            return new TransientError('relay-no-listener', withDetail(`No agent is listening on ${where(target)} (502)`, detail), options);
        case 503:
            return new TransientError('relay-unavailable', withDetail(`The relay could not route the request to a listener on ${where(target)} (503)`, detail), options);
        case 504:
            return new TransientError('relay-listener-timeout', withDetail(`The agent on ${where(target)} did not answer within the relay's time limit (504)`, detail), options);
        default:
            if (status >= 500) return new TransientError('relay-service-error', withDetail(`The relay failed on ${where(target)} (${status})`, detail), options);
            return new PermanentError('relay-rejected', withDetail(`The relay rejected the request to ${where(target)} (${status})`, detail), {
                remedy: 'Check the relay namespace, the hybrid connection settings and the request size.',
            });
    }
}

const UNTRUSTED_TLS_CODES = new Set([
    'CERT_HAS_EXPIRED',
    'CERT_NOT_YET_VALID',
    'DEPTH_ZERO_SELF_SIGNED_CERT',
    'SELF_SIGNED_CERT_IN_CHAIN',
    'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
    'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    'ERR_TLS_CERT_ALTNAME_INVALID',
]);

function errorCode(error: unknown): string | undefined {
    if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
    const code = error.code;
    return typeof code === 'string' ? code : undefined;
}

/** Maps a failure to reach the relay or to read its answer (resets, refusals, DNS, TLS). */
export function relayNetworkFailure(error: unknown, target: RelayTarget): PushProxyError {
    const code = errorCode(error) ?? 'unknown';
    if (UNTRUSTED_TLS_CODES.has(code)) {
        return new PermanentError('relay-tls-untrusted', `The relay's TLS certificate for ${target.namespace} is not trusted (${code})`, {
            remedy: 'Check the relay namespace name; locally, pass the stand-in\'s CA certificate as the sender\'s `ca` option.',
            cause: error,
        });
    }
    if (code === 'ENOTFOUND') {
        return new PermanentError('relay-namespace-not-found', `The relay namespace ${target.namespace} does not resolve (${code})`, {
            remedy: 'Check the relay namespace name, e.g. contoso.servicebus.windows.net.',
            cause: error,
        });
    }
    return new TransientError('relay-connection-failed', `The connection to ${where(target)} failed (${code})`, { cause: error });
}

export function relayTimeoutFailure(target: RelayTarget, timeoutMs: number): TransientError {
    return new TransientError('relay-timeout', `No answer from ${where(target)} within ${timeoutMs} ms`);
}

export function relayResponseTooLarge(target: RelayTarget, limitBytes: number): PermanentError {
    return new PermanentError('relay-response-too-large', `The answer from ${where(target)} exceeds ${limitBytes} bytes`, {
        remedy: 'Raise the sender\'s maxResponseBytes or make the agent answer less.',
    });
}

/** Retry-After in seconds or as an HTTP date, in milliseconds from now. */
export function retryAfterMs(header: string | undefined, now: number): number | undefined {
    if (header === undefined || header.trim() === '') return undefined;
    if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
    const at = Date.parse(header);
    return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
