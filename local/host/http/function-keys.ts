import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

function sameKey(candidate: string, key: string): boolean {
    const a = Buffer.from(candidate, 'utf8');
    const b = Buffer.from(key, 'utf8');
    return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The key a caller presented, as the Functions host reads it: the `x-functions-key` header, else
 * the `code` query parameter.
 */
export function presentedKey(request: IncomingMessage, url: URL): string | undefined {
    const header = request.headers['x-functions-key'];
    const fromHeader = Array.isArray(header) ? header[0] : header;
    return fromHeader ?? url.searchParams.get('code') ?? undefined;
}

export function hasValidKey(request: IncomingMessage, url: URL, key: string): boolean {
    const presented = presentedKey(request, url);
    return presented !== undefined && sameKey(presented, key);
}

export type AuthLevel = 'anonymous' | 'function' | 'admin';

export function authLevelOf(value: unknown): AuthLevel {
    return value === 'function' || value === 'admin' ? value : 'anonymous';
}
