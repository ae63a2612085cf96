import type { HttpResponseInit } from '@azure/functions';
import type { ZodError } from 'zod';

export interface FieldIssue {
    readonly field: string;
    readonly reason: string;
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): HttpResponseInit {
    return { status, jsonBody: body, headers: { 'content-type': 'application/json; charset=utf-8', ...headers } };
}

export function errorResponse(status: number, code: string, message: string, extra: Record<string, unknown> = {}): HttpResponseInit {
    return json(status, { error: { code, message, ...extra } });
}

/** 400 naming each bad field and why, and what to do when the fix is not the caller's to make. */
export function badRequest(issues: readonly FieldIssue[], remedy?: string): HttpResponseInit {
    return errorResponse(400, 'validation', issues.map((i) => `${i.field}: ${i.reason}`).join('; '), { issues, ...(remedy === undefined ? {} : { remedy }) });
}

export function zodIssues(error: ZodError, prefix = 'body'): FieldIssue[] {
    return error.issues.map((issue) => {
        const path = issue.path.map(String).join('.');
        const field = path === '' ? prefix : `${prefix}.${path}`;
        if (issue.code === 'unrecognized_keys') {
            return { field: issue.keys.map((k) => (path === '' ? `${prefix}.${k}` : `${prefix}.${path}.${k}`)).join(', '), reason: 'is not a known field' };
        }
        return { field, reason: issue.message };
    });
}
