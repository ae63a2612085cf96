import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { NonceCache } from './nonce-cache';

/** Header names (lower case) of the end-to-end signature. */
export const SIGNATURE_HEADERS = {
    timestamp: 'x-ppo-timestamp',
    nonce: 'x-ppo-nonce',
    signature: 'x-ppo-signature',
    replySignature: 'x-ppo-reply-signature',
} as const;

export const SIGNATURE_SCHEME = 'PPO1-HMAC-SHA256';
export const MAX_CLOCK_SKEW_SECONDS = 300;

const NONCE_PATTERN = /^[A-Za-z0-9_-]{16,128}$/;
const TIMESTAMP_PATTERN = /^\d{1,12}$/;
const SIGNATURE_PATTERN = /^[A-Za-z0-9+/]{43}=$/;

export type SharedSecret = string | Buffer;

function keyBytes(secret: SharedSecret): Buffer {
    return typeof secret === 'string' ? Buffer.from(secret, 'utf8') : secret;
}

export function sha256Hex(body: Buffer): string {
    return createHash('sha256').update(body).digest('hex');
}

/**
 * The string the HMAC covers, one field per line:
 * scheme, upper-case method, path as sent, timestamp (Unix seconds), nonce, hex SHA-256 of the body.
 */
export function requestStringToSign(method: string, path: string, timestamp: string, nonce: string, body: Buffer): string {
    return [SIGNATURE_SCHEME, method.toUpperCase(), path, timestamp, nonce, sha256Hex(body)].join('\n');
}

/** What the reply signature covers: binds the reply to the request's nonce, so it cannot be replayed for another. */
export function replyStringToSign(requestNonce: string, status: number, body: Buffer): string {
    return [`${SIGNATURE_SCHEME}-REPLY`, requestNonce, String(status), sha256Hex(body)].join('\n');
}

function hmacBase64(secret: SharedSecret, text: string): string {
    return createHmac('sha256', keyBytes(secret)).update(text, 'utf8').digest('base64');
}

function sameSignature(expectedBase64: string, actualBase64: string): boolean {
    const expected = Buffer.from(expectedBase64, 'base64');
    const actual = Buffer.from(actualBase64, 'base64');
    return expected.length === actual.length && timingSafeEqual(expected, actual);
}

export function newNonce(): string {
    return randomBytes(18).toString('base64url');
}

export interface RequestToSign {
    readonly method: string;
    readonly path: string;
    readonly body: Buffer;
}

/** The three signature headers for a request. */
export function signRequest(request: RequestToSign, secret: SharedSecret, options: { nowMs: number; nonce?: string }): Record<string, string> {
    const timestamp = String(Math.floor(options.nowMs / 1000));
    const nonce = options.nonce ?? newNonce();
    return {
        [SIGNATURE_HEADERS.timestamp]: timestamp,
        [SIGNATURE_HEADERS.nonce]: nonce,
        [SIGNATURE_HEADERS.signature]: hmacBase64(secret, requestStringToSign(request.method, request.path, timestamp, nonce, request.body)),
    };
}

export interface RequestToVerify extends RequestToSign {
    readonly headers: Readonly<Record<string, string>>;
}

export type SignatureRejection = 'unsigned' | 'bad_signature' | 'clock_skew' | 'replayed_nonce';

export type SignatureVerdict =
    | { readonly ok: true; readonly nonce: string }
    | { readonly ok: false; readonly code: SignatureRejection; readonly message: string; readonly nonce?: string };

/**
 * Checks, in order: the headers are present and well formed, the HMAC matches (so method, path,
 * timestamp, nonce and body are as signed), the timestamp is within 300 s, the nonce is new.
 */
export function verifyRequestSignature(request: RequestToVerify, secret: SharedSecret, options: { nowMs: number; nonces: NonceCache }): SignatureVerdict {
    const timestamp = request.headers[SIGNATURE_HEADERS.timestamp];
    const nonce = request.headers[SIGNATURE_HEADERS.nonce];
    const signature = request.headers[SIGNATURE_HEADERS.signature];
    if (timestamp === undefined || nonce === undefined || signature === undefined) {
        return { ok: false, code: 'unsigned', message: `The request lacks the signature headers ${Object.values(SIGNATURE_HEADERS).slice(0, 3).join(', ')}.` };
    }
    if (!TIMESTAMP_PATTERN.test(timestamp) || !NONCE_PATTERN.test(nonce) || !SIGNATURE_PATTERN.test(signature)) {
        return { ok: false, code: 'bad_signature', message: 'The signature headers are malformed.' };
    }
    const expected = hmacBase64(secret, requestStringToSign(request.method, request.path, timestamp, nonce, request.body));
    if (!sameSignature(expected, signature)) {
        return { ok: false, code: 'bad_signature', message: 'The request signature does not match its method, path, timestamp, nonce and body.', nonce };
    }
    const skewSeconds = Math.abs(options.nowMs / 1000 - Number(timestamp));
    if (skewSeconds > MAX_CLOCK_SKEW_SECONDS) {
        return { ok: false, code: 'clock_skew', message: `The request timestamp is ${Math.round(skewSeconds)} s away from the agent's clock (limit ${MAX_CLOCK_SKEW_SECONDS} s).`, nonce };
    }
    if (!options.nonces.remember(nonce, options.nowMs)) {
        return { ok: false, code: 'replayed_nonce', message: 'The request nonce was seen before: a replayed request.', nonce };
    }
    return { ok: true, nonce };
}

export function signReply(requestNonce: string, status: number, body: Buffer, secret: SharedSecret): string {
    return hmacBase64(secret, replyStringToSign(requestNonce, status, body));
}

export function verifyReplySignature(requestNonce: string, status: number, body: Buffer, signature: string | undefined, secret: SharedSecret): boolean {
    if (signature === undefined || !SIGNATURE_PATTERN.test(signature)) return false;
    return sameSignature(signReply(requestNonce, status, body, secret), signature);
}

/** How long the replay cache must keep a nonce. */
export const NONCE_RETENTION_MS = 2 * MAX_CLOCK_SKEW_SECONDS * 1000 + 60_000;
