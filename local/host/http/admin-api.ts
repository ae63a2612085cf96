import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../../../lib/logger';
import { LocalHostError } from '../errors';
import type { RegisteredFunction } from '../worker/functions-core';
import { hasValidKey } from './function-keys';
import { readBody, sendEmpty, sendError } from './http-io';

export interface AdminApiContext {
    readonly masterKey: string;
    readonly logger: Logger;
    readonly resolve: (name: string) => RegisteredFunction;
    readonly fire: (fn: RegisteredFunction, input: unknown) => Promise<void>;
}

const ADMIN_FUNCTIONS = '/admin/functions/';

/**
 * `POST /admin/functions/<name>` with body `{"input": ...}` runs a non-HTTP function once (master key
 * required) and answers 202 at once, as the real host does. False when the path is not an admin one.
 */
export async function serveAdminApi(context: AdminApiContext, request: IncomingMessage, response: ServerResponse, url: URL): Promise<boolean> {
    if (!url.pathname.toLowerCase().startsWith(ADMIN_FUNCTIONS)) return false;
    if (!hasValidKey(request, url, context.masterKey)) {
        sendEmpty(response, 401);
        return true;
    }
    if (request.method !== 'POST') {
        sendEmpty(response, 405);
        return true;
    }
    const name = decodeURIComponent(url.pathname.slice(ADMIN_FUNCTIONS.length));
    let fn: RegisteredFunction;
    try {
        fn = context.resolve(name);
    } catch (error) {
        const notFound = error instanceof LocalHostError && error.code === 'local-host.function-not-found';
        sendError(response, notFound ? 404 : 400, error instanceof Error ? error.message : String(error));
        return true;
    }
    const text = (await readBody(request)).toString('utf8').trim();
    let input: unknown;
    try {
        input = text.length === 0 ? undefined : (JSON.parse(text) as { input?: unknown }).input;
    } catch {
        sendError(response, 400, 'The body must be JSON: {"input": "..."}');
        return true;
    }
    context.fire(fn, input).catch((error: unknown) => {
        context.logger.error(error instanceof Error ? error.message : String(error), { functionName: fn.name });
    });
    sendEmpty(response, 202);
    return true;
}
