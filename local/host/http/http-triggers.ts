import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../../../lib/logger';
import type { RpcHttpCookie, RpcHttpData, RpcParameterBinding } from '../worker/core-api-types';
import type { RegisteredFunction } from '../worker/functions-core';
import type { InvocationOutcome } from '../worker/invoke-function';
import type { LoadedApp } from '../worker/load-app';
import { authLevelOf, hasValidKey, type AuthLevel } from './function-keys';
import { readBody, RequestBodyTooLarge, sendEmpty } from './http-io';
import { comparePrecedence, type RouteTemplate } from './route-template';

export interface HttpRoute {
    readonly fn: RegisteredFunction;
    readonly template: RouteTemplate;
    readonly methods: ReadonlySet<string> | undefined;
    readonly authLevel: AuthLevel;
}

export const ROUTE_PREFIX = '/api';

export function httpRoutes(app: LoadedApp, compile: (template: string) => RouteTemplate): HttpRoute[] {
    return app.functions
        .filter((fn) => fn.triggerType.toLowerCase() === 'httptrigger')
        .map((fn) => {
            const route = typeof fn.trigger.route === 'string' && fn.trigger.route.length > 0 ? fn.trigger.route : fn.name;
            const methods = Array.isArray(fn.trigger.methods) ? new Set(fn.trigger.methods.map((method) => String(method).toUpperCase())) : undefined;
            return { fn, template: compile(route), methods, authLevel: authLevelOf(fn.trigger.authLevel) };
        })
        .sort((a, b) => comparePrecedence(a.template, b.template));
}

function flatten(values: Record<string, string | string[] | undefined>): Record<string, string> {
    const flat: Record<string, string> = {};
    for (const [key, value] of Object.entries(values)) {
        if (value !== undefined) flat[key] = Array.isArray(value) ? value.join(', ') : value;
    }
    return flat;
}

function queryOf(url: URL): Record<string, string> {
    const query: Record<string, string> = {};
    for (const key of new Set(url.searchParams.keys())) query[key] = url.searchParams.getAll(key).join(',');
    return query;
}

function cookieHeader(cookie: RpcHttpCookie): string {
    const parts = [`${cookie.name ?? ''}=${cookie.value ?? ''}`];
    if (cookie.domain?.value) parts.push(`Domain=${cookie.domain.value}`);
    if (cookie.path?.value) parts.push(`Path=${cookie.path.value}`);
    const seconds = cookie.expires?.value?.seconds;
    if (typeof seconds === 'number') parts.push(`Expires=${new Date(seconds * 1000).toUTCString()}`);
    if (typeof cookie.maxAge?.value === 'number') parts.push(`Max-Age=${cookie.maxAge.value}`);
    if (cookie.secure?.value) parts.push('Secure');
    if (cookie.httpOnly?.value) parts.push('HttpOnly');
    if (cookie.sameSite && cookie.sameSite !== 'none') parts.push(`SameSite=${cookie.sameSite === 'explicitNone' ? 'None' : cookie.sameSite[0]?.toUpperCase() + cookie.sameSite.slice(1)}`);
    return parts.join('; ');
}

function writeHttpResponse(response: ServerResponse, data: RpcHttpData | undefined): void {
    if (!data) {
        sendEmpty(response, 204);
        return;
    }
    const status = Number.parseInt(data.statusCode ?? '200', 10);
    const headers: Record<string, string | string[]> = { ...(data.headers ?? {}) };
    const cookies = (data.cookies ?? []).map(cookieHeader);
    if (cookies.length > 0) headers['set-cookie'] = cookies;
    const body = data.body?.bytes ? Buffer.from(data.body.bytes) : typeof data.body?.string === 'string' ? Buffer.from(data.body.string) : Buffer.alloc(0);
    headers['content-length'] = String(body.length);
    response.writeHead(Number.isNaN(status) ? 200 : status, headers);
    response.end(body);
}

function httpOutput(fn: RegisteredFunction, outcome: Extract<InvocationOutcome, { ok: true }>): RpcHttpData | undefined {
    if (outcome.response.returnValue?.http) return outcome.response.returnValue.http;
    for (const output of outcome.response.outputData ?? []) {
        const binding = output.name ? fn.bindings[output.name] : undefined;
        if (binding?.type?.toLowerCase() === 'http' && output.data?.http) return output.data.http;
    }
    return undefined;
}

export interface HttpTriggerContext {
    readonly routes: readonly HttpRoute[];
    readonly functionKey: string;
    readonly logger: Logger;
    readonly invoke: (fn: RegisteredFunction, inputData: RpcParameterBinding[]) => Promise<InvocationOutcome>;
    readonly extraInputs: (fn: RegisteredFunction) => RpcParameterBinding[];
}

/** Serves `/api/<route>`: routing, method and key checks, then one invocation. False when no route matched. */
export async function serveHttpTrigger(context: HttpTriggerContext, request: IncomingMessage, response: ServerResponse, url: URL): Promise<boolean> {
    const path = url.pathname.slice(ROUTE_PREFIX.length);
    const method = (request.method ?? 'GET').toUpperCase();
    let matched: { route: HttpRoute; params: Record<string, string> } | undefined;
    for (const route of context.routes) {
        if (route.methods && !route.methods.has(method)) continue;
        const params = route.template.match(path);
        if (params) {
            matched = { route, params };
            break;
        }
    }
    if (!matched) return false;
    const { route, params } = matched;
    if (route.authLevel !== 'anonymous' && !hasValidKey(request, url, context.functionKey)) {
        sendEmpty(response, 401);
        return true;
    }
    let body: Buffer;
    try {
        body = await readBody(request);
    } catch (error) {
        if (!(error instanceof RequestBodyTooLarge)) throw error;
        sendEmpty(response, 413, { connection: 'close' });
        return true;
    }
    const httpData: RpcHttpData = {
        method,
        url: url.href,
        headers: flatten(request.headers),
        query: queryOf(url),
        params,
        ...(body.length > 0 ? { body: { bytes: body } } : {}),
    };
    const outcome = await context.invoke(route.fn, [{ name: route.fn.triggerName, data: { http: httpData } }, ...context.extraInputs(route.fn)]);
    if (!outcome.ok) {
        context.logger.error(`Function '${route.fn.name}' failed: ${outcome.failure.message}`, { functionName: route.fn.name, invocationId: outcome.invocationId });
        sendEmpty(response, 500);
        return true;
    }
    writeHttpResponse(response, httpOutput(route.fn, outcome));
    return true;
}
