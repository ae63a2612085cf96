import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { errorResponse, type FieldIssue } from './responses';

/** The largest request body the API reads (documented in the README and the OpenAPI document): every valid body is far smaller. */
export const MAX_BODY_BYTES = 64 * 1024;

export type JsonBody = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly response: HttpResponseInit };

/** `application/json` or a `+json` type (RFC 6839), in UTF-8: the only encoding JSON may travel in between systems (RFC 8259, section 8.1). */
const JSON_MEDIA_TYPE = /^application\/(?:[a-z0-9][a-z0-9!#$&^_.+-]*\+)?json$/;

function refused(status: 413 | 415 | 400, code: string, issue: FieldIssue, extra: Record<string, unknown> = {}): JsonBody {
    return { ok: false, response: errorResponse(status, code, `${issue.field}: ${issue.reason}`, { issues: [issue], ...extra }) };
}

/** Why the content type is not JSON, or undefined when it is. */
function contentTypeProblem(header: string | null): string | undefined {
    if (header === null || header.trim() === '') return 'is missing; send the body as application/json';
    const [mediaType = '', ...parameters] = header.split(';').map((part) => part.trim().toLowerCase());
    if (!JSON_MEDIA_TYPE.test(mediaType)) return `is ${mediaType || 'empty'}; send the body as application/json`;
    const charset = parameters.find((p) => p.startsWith('charset='))?.slice('charset='.length).replace(/^"|"$/g, '');
    if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') return `declares charset ${charset}; JSON is UTF-8`;
    return undefined;
}

/**
 * The request's JSON body; an empty body is `{}`. A body that is not labelled JSON gets 415, one
 * over MAX_BODY_BYTES 413 (read no further when Content-Length already says so), malformed JSON 400:
 * each with the API's error body, and nothing started.
 */
export async function readJsonBody(request: HttpRequest): Promise<JsonBody> {
    const tooLarge = { field: 'body', reason: `is larger than the API's limit of ${MAX_BODY_BYTES} bytes` };
    const declared = Number(request.headers.get('content-length') ?? '0');
    if (declared > MAX_BODY_BYTES) return refused(413, 'payload_too_large', tooLarge, { limitBytes: MAX_BODY_BYTES });
    const text = await request.text();
    if (Buffer.byteLength(text) > MAX_BODY_BYTES) return refused(413, 'payload_too_large', tooLarge, { limitBytes: MAX_BODY_BYTES });
    if (text.trim() === '') return { ok: true, value: {} };
    const problem = contentTypeProblem(request.headers.get('content-type'));
    if (problem !== undefined) return refused(415, 'unsupported_media_type', { field: 'content-type', reason: problem });
    try {
        return { ok: true, value: JSON.parse(text) as unknown };
    } catch {
        return refused(400, 'validation', { field: 'body', reason: 'is not valid JSON' });
    }
}
