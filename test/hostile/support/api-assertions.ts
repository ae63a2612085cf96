import { expect } from 'vitest';
import { errorBodyOf, type RawResponse } from './raw-http';

/** The response is a 4xx carrying the API's error body `{error:{code,message}}` as JSON. */
export function expectApiError(response: RawResponse, status: number): { code: string; message: string; issues?: readonly { field: string; reason: string }[] } {
    const body = errorBodyOf(response);
    // Status and body side by side, so that a failure shows what the API answered.
    expect({ status: response.status, body: body ?? response.body.toString('utf8').slice(0, 300) }).toEqual({ status, body: { error: expect.objectContaining({ code: expect.any(String) as string, message: expect.any(String) as string }) as unknown } });
    expect(String(response.headers['content-type'])).toMatch(/^application\/json/);
    return body?.error ?? { code: '', message: '' };
}

/**
 * What answered and how, in one string: "app 400 validation" for the API's error body, "host 404"
 * for an answer without one (no route, no key, a request Node's parser refused), "5xx ..." otherwise.
 */
export function answerOf(response: RawResponse): string {
    if (response.status >= 500) return `5xx ${response.status}: ${response.body.toString('utf8').slice(0, 200)}`;
    const code = errorBodyOf(response)?.error.code;
    return code === undefined ? `host ${response.status}` : `app ${response.status} ${code}`;
}

/** A 400 "validation" whose issues and message name `field`. */
export function expectValidationError(response: RawResponse, field: string): void {
    const error = expectApiError(response, 400);
    expect(error.code).toBe('validation');
    expect(error.issues?.map((issue) => issue.field)).toContain(field);
    expect(error.message).toContain(`${field}:`);
}
