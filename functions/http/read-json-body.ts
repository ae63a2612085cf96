import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { badRequest } from './responses';

export const MAX_BODY_BYTES = 64 * 1024;

export type JsonBody = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly response: HttpResponseInit };

/** The request's JSON body; an empty body is `{}`. Oversized or malformed bodies get a 400. */
export async function readJsonBody(request: HttpRequest): Promise<JsonBody> {
    const text = await request.text();
    if (Buffer.byteLength(text) > MAX_BODY_BYTES) return { ok: false, response: badRequest([{ field: 'body', reason: `is larger than ${MAX_BODY_BYTES} bytes` }]) };
    if (text.trim() === '') return { ok: true, value: {} };
    try {
        return { ok: true, value: JSON.parse(text) as unknown };
    } catch {
        return { ok: false, response: badRequest([{ field: 'body', reason: 'is not valid JSON' }]) };
    }
}
