import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../../clock';
import { managementUrls, RPC_PATH, WEBHOOK_PATH } from '../durable/client-binding';
import type { RuntimeStatus } from '../durable/history-events';
import type { InstanceCommands, InstanceQuery } from '../durable/instance-commands';
import { statusPayload } from '../durable/status-payload';
import { isTerminal, type DurableStore } from '../durable/store';
import { hasValidKey } from './function-keys';
import { readBody, sendEmpty, sendError, sendJson } from './http-io';

export interface DurableApiContext {
    readonly commands: InstanceCommands;
    readonly store: DurableStore;
    readonly clock: Clock;
    readonly systemKey: string;
}

interface ApiRequest {
    readonly request: IncomingMessage;
    readonly response: ServerResponse;
    readonly url: URL;
    readonly method: string;
    readonly segments: readonly string[];
}

const RUNTIME_STATUSES: readonly RuntimeStatus[] = ['Running', 'Completed', 'ContinuedAsNew', 'Failed', 'Canceled', 'Terminated', 'Pending', 'Suspended'];
const DEFAULT_PAGE_SIZE = 100;

/** .NET bool.TryParse. */
function booleanParam(url: URL, name: string): boolean | undefined {
    const value = url.searchParams.get(name)?.trim().toLowerCase();
    return value === 'true' ? true : value === 'false' ? false : undefined;
}

function timeParam(url: URL, name: string): number | undefined {
    const value = url.searchParams.get(name);
    if (value === null) return undefined;
    const parsed = Date.parse(value);
    return Number.isNaN(parsed) ? undefined : parsed;
}

function instanceQuery(url: URL): InstanceQuery {
    const statuses = url.searchParams
        .getAll('runtimeStatus')
        .flatMap((value) => value.split(','))
        .map((value) => value.trim())
        .filter((value): value is RuntimeStatus => (RUNTIME_STATUSES as readonly string[]).includes(value));
    return {
        createdTimeFrom: timeParam(url, 'createdTimeFrom'),
        createdTimeTo: timeParam(url, 'createdTimeTo'),
        runtimeStatus: statuses.length > 0 ? new Set(statuses) : undefined,
        instanceIdPrefix: url.searchParams.get('instanceIdPrefix') ?? undefined,
    };
}

/** The normalized JSON text of a request body; null when empty; undefined when it is not JSON. */
async function jsonBody(request: IncomingMessage): Promise<string | null | undefined> {
    const text = (await readBody(request)).toString('utf8').trim();
    if (text.length === 0) return null;
    try {
        return JSON.stringify(JSON.parse(text));
    } catch {
        return undefined;
    }
}

function sendCheckStatus(api: ApiRequest, context: DurableApiContext, instanceId: string): void {
    const links = managementUrls(api.url.origin, instanceId, context.systemKey);
    const body = {
        id: instanceId,
        statusQueryGetUri: links.statusQueryGetUri,
        sendEventPostUri: links.sendEventPostUri,
        terminatePostUri: links.terminatePostUri,
        purgeHistoryDeleteUri: links.purgeHistoryDeleteUri,
        restartPostUri: links.restartPostUri,
        suspendPostUri: links.suspendPostUri,
        resumePostUri: links.resumePostUri,
    };
    sendJson(api.response, 202, body, { location: links.statusQueryGetUri as string, 'retry-after': '10' });
}

function sendStatus(api: ApiRequest, context: DurableApiContext, instanceId: string): void {
    const record = context.store.get(instanceId);
    if (!record) {
        sendEmpty(api.response, 404);
        return;
    }
    const payload = statusPayload(record, {
        showHistory: booleanParam(api.url, 'showHistory') ?? false,
        showHistoryOutput: booleanParam(api.url, 'showHistoryOutput') ?? false,
        showInput: booleanParam(api.url, 'showInput') ?? true,
    });
    if (!isTerminal(record.runtimeStatus)) {
        sendJson(api.response, 202, payload, { location: api.url.href, 'retry-after': '5' });
        return;
    }
    const failedAs500 = record.runtimeStatus === 'Failed' && booleanParam(api.url, 'returnInternalServerErrorOnFailure') === true;
    sendJson(api.response, failedAs500 ? 500 : 200, payload);
}

async function waitForCompletion(api: ApiRequest, context: DurableApiContext, instanceId: string, timeoutSeconds: number, pollSeconds: number): Promise<void> {
    const deadline = Date.now() + timeoutSeconds * 1000;
    for (;;) {
        const record = context.store.get(instanceId);
        if (record?.runtimeStatus === 'Completed') {
            sendJson(api.response, 200, JSON.parse(record.output ?? 'null') as unknown);
            return;
        }
        if (record && isTerminal(record.runtimeStatus)) {
            sendStatus(api, context, instanceId);
            return;
        }
        if (Date.now() >= deadline) break;
        await new Promise((resolve) => setTimeout(resolve, Math.max(10, Math.min(pollSeconds * 1000, deadline - Date.now()))));
    }
    sendCheckStatus(api, context, instanceId);
}

async function startInstance(api: ApiRequest, context: DurableApiContext, name: string, requestedId: string | undefined): Promise<void> {
    const input = await jsonBody(api.request);
    if (input === undefined) {
        sendError(api.response, 400, 'Invalid JSON content');
        return;
    }
    const started = context.commands.start(name, requestedId, input);
    if (!started.ok) {
        if (started.status === 500) {
            // HttpApiHandler.cs `HandleRequestAsync`: CreateErrorResponse(InternalServerError, "Something went wrong…", e).
            sendJson(api.response, 500, { Message: 'Something went wrong while processing your request', ExceptionMessage: started.message, ExceptionType: started.exceptionType ?? 'System.Exception' });
            return;
        }
        sendError(api.response, started.status, started.message);
        return;
    }
    const timeout = Number.parseFloat(api.url.searchParams.get('timeout') ?? '');
    const poll = Number.parseFloat(api.url.searchParams.get('pollingInterval') ?? '');
    if (Number.isFinite(timeout) && Number.isFinite(poll)) {
        await waitForCompletion(api, context, started.value, timeout, poll);
        return;
    }
    sendCheckStatus(api, context, started.value);
}

async function raiseEvent(api: ApiRequest, context: DurableApiContext, instanceId: string, eventName: string): Promise<void> {
    const record = context.store.get(instanceId);
    if (!record) return sendEmpty(api.response, 404);
    if (isTerminal(record.runtimeStatus)) return sendEmpty(api.response, 410);
    const mediaType = api.request.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
    if (mediaType !== 'application/json') return sendError(api.response, 400, 'Only application/json request content is supported');
    const input = await jsonBody(api.request);
    if (input === undefined) return sendError(api.response, 400, 'Invalid JSON content');
    const result = context.commands.raiseEvent(instanceId, eventName, input);
    sendEmpty(api.response, result.status);
}

function listInstances(api: ApiRequest, context: DurableApiContext): void {
    const top = Number.parseInt(api.url.searchParams.get('top') ?? '', 10);
    const tokenHeader = api.request.headers['x-ms-continuation-token'];
    const token = Array.isArray(tokenHeader) ? tokenHeader[0] : tokenHeader;
    const page = context.commands.query(instanceQuery(api.url), Number.isInteger(top) && top > 0 ? top : DEFAULT_PAGE_SIZE, token);
    const showInput = booleanParam(api.url, 'showInput') ?? true;
    const body = page.instances.map((record) => statusPayload(record, { showInput, showHistory: false, showHistoryOutput: false }));
    sendJson(api.response, 200, body, page.continuationToken ? { 'x-ms-continuation-token': page.continuationToken } : {});
}

function purgeWhere(api: ApiRequest, context: DurableApiContext): void {
    const query = instanceQuery(api.url);
    if (query.createdTimeFrom === undefined) return sendJson(api.response, 400, "Please provide value for 'createdTimeFrom' parameter.");
    const result = context.commands.purgeWhere({ ...query, createdTimeTo: query.createdTimeTo ?? context.clock.now() });
    if (!result.ok) return sendEmpty(api.response, result.status);
    sendJson(api.response, 200, result.value);
}

async function route(api: ApiRequest, context: DurableApiContext): Promise<void> {
    const [controller, first, second, third, ...extra] = api.segments;
    const { method, response } = api;
    if (controller === 'orchestrators' && first && !third && method === 'POST') return startInstance(api, context, first, second);
    if (controller === 'entities') return sendError(response, 501, 'The local host does not implement durable entities.');
    if (controller !== 'instances' || extra.length > 0) return sendEmpty(response, 404);
    if (!first) {
        if (method === 'GET') return listInstances(api, context);
        if (method === 'DELETE') return purgeWhere(api, context);
        return sendEmpty(response, 404);
    }
    if (!second) {
        if (method === 'GET') return sendStatus(api, context, first);
        if (method === 'DELETE') {
            const purged = context.commands.purge(first);
            return purged.ok ? sendJson(response, 200, purged.value) : sendError(response, purged.status, purged.message);
        }
        return sendEmpty(response, 404);
    }
    if (method !== 'POST') return sendEmpty(response, 404);
    if (second.toLowerCase() === 'raiseevent' && third) return raiseEvent(api, context, first, third);
    if (third) return sendEmpty(response, 404);
    if (second.toLowerCase() === 'terminate') {
        const result = context.commands.terminate(first, api.url.searchParams.get('reason'));
        return sendEmpty(response, result.status);
    }
    if (['rewind', 'suspend', 'resume', 'restart'].includes(second.toLowerCase())) {
        return sendError(response, 501, `The local host does not implement ${second}.`);
    }
    return sendEmpty(response, 404);
}

/**
 * The Durable Functions HTTP API: the webhooks under /runtime/webhooks/durabletask (system key
 * required) and the same operations on the extension's local RPC path /durabletask/, which
 * DurableClient uses when the binding data carries `rpcBaseUrl`. False when the path is neither.
 */
export async function serveDurableApi(context: DurableApiContext, request: IncomingMessage, response: ServerResponse, url: URL): Promise<boolean> {
    const path = url.pathname;
    const lower = path.toLowerCase();
    let rest: string;
    if (lower === WEBHOOK_PATH || lower.startsWith(`${WEBHOOK_PATH}/`)) {
        if (!hasValidKey(request, url, context.systemKey)) {
            sendEmpty(response, 401);
            return true;
        }
        rest = path.slice(WEBHOOK_PATH.length);
    } else if (lower.startsWith(RPC_PATH)) {
        rest = path.slice(RPC_PATH.length - 1);
    } else {
        return false;
    }
    const segments = rest
        .split('/')
        .filter((segment) => segment.length > 0)
        .map((segment) => decodeURIComponent(segment));
    await route({ request, response, url, method: (request.method ?? 'GET').toUpperCase(), segments }, context);
    return true;
}
