import { type OperationName, operationPath, signRequest } from '../../../lib/protocol';
import type { RelayedRequest } from '../../../agent/relay/types';

export const SHARED_SECRET = 'agent-test-shared-secret-0123456789-abcdefghijklmnop';
export const OTHER_SECRET = 'a-different-shared-secret-0123456789-abcdefghijklmno';

export interface SignedRequestOptions {
    readonly operation?: OperationName;
    readonly path?: string;
    readonly method?: string;
    readonly params?: unknown;
    readonly operationId?: string;
    readonly body?: Buffer;
    readonly secret?: string;
    readonly nowMs: number;
    readonly nonce?: string;
}

export function bodyOf(operationId: string, params: unknown): Buffer {
    return Buffer.from(JSON.stringify({ operationId, params }), 'utf8');
}

/** A relayed request signed as the agent client signs it. */
export function signedRequest(options: SignedRequestOptions): RelayedRequest {
    const path = options.path ?? operationPath(options.operation ?? 'inventory');
    const method = options.method ?? 'POST';
    const body = options.body ?? bodyOf(options.operationId ?? 'op-1', options.params ?? {});
    const headers = signRequest({ method, path, body }, options.secret ?? SHARED_SECRET, {
        nowMs: options.nowMs,
        ...(options.nonce === undefined ? {} : { nonce: options.nonce }),
    });
    return { method, path, headers: { 'content-type': 'application/json', ...headers }, body };
}

export function replyJson(body: Buffer): { ok: boolean; result?: unknown; error?: { code: string; message: string; transient: boolean } } {
    return JSON.parse(body.toString('utf8')) as { ok: boolean; result?: unknown; error?: { code: string; message: string; transient: boolean } };
}
