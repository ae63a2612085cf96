import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { availableParallelism } from 'node:os';
import { dirname } from 'node:path';
import { Logger } from '../../lib/logger';
import { RealClock } from '../clock';
import { durableClientBindingData } from './durable/client-binding';
import { DurableEngine } from './durable/durable-engine';
import { resumeUnfinished } from './durable/resume-store';
import { InstanceCommands } from './durable/instance-commands';
import { InMemoryDurableStore } from './durable/store';
import { fireableFunction, fireFunction, type FireContext } from './fire-function';
import { serveAdminApi } from './http/admin-api';
import { serveDurableApi } from './http/durable-http-api';
import { startHostServer } from './http/host-server';
import { requestUrl, sendEmpty } from './http/http-io';
import { httpRoutes, ROUTE_PREFIX, serveHttpTrigger } from './http/http-triggers';
import { compileRouteTemplate } from './http/route-template';
import type { FunctionSummary, LocalHost, LocalHostOptions } from './local-host-types';
import { TimerTriggers } from './timers/timer-triggers';
import { keyedRandom } from './util/keyed-random';
import { extraInputData } from './worker/binding-inputs';
import type { RpcParameterBinding } from './worker/core-api-types';
import { hostSystemLog, invocationLog } from './worker/function-logs';
import { functionsCoreState, type RegisteredFunction } from './worker/functions-core';
import { installFunctionsCoreModule } from './worker/install-core-module';
import { invokeFunction } from './worker/invoke-function';
import { loadApp, type LoadedApp } from './worker/load-app';
import { WorkScheduler } from './work-scheduler';

// Installed as soon as the host is imported, so an app imported later never sees "@azure/functions" in test mode.
installFunctionsCoreModule();

async function runAppHooks(name: 'appStart' | 'appTerminate', entry: string): Promise<void> {
    const state = functionsCoreState();
    for (const hook of [...(state.hooks.get(name) ?? [])]) {
        await hook({ hookData: {}, appHookData: state.appHookData, functionAppDirectory: dirname(entry) });
    }
}

function isOrchestration(fn: RegisteredFunction): boolean {
    return fn.triggerType.toLowerCase() === 'orchestrationtrigger';
}

/** The function with the CPU time of its handler measured: only the synchronous part, which is all of a durable-functions replay. */
function withTimedCallback(fn: RegisteredFunction, report: (ms: number) => void): RegisteredFunction {
    const callback = fn.callback;
    return {
        ...fn,
        callback: (...args: unknown[]): unknown => {
            const started = process.cpuUsage();
            try {
                return callback(...args);
            } finally {
                const used = process.cpuUsage(started);
                report((used.user + used.system) / 1000);
            }
        },
    };
}

function summarize(app: LoadedApp): FunctionSummary[] {
    return app.functions.map((fn) => {
        if (fn.triggerType.toLowerCase() !== 'httptrigger') return { name: fn.name, triggerType: fn.triggerType };
        const route = typeof fn.trigger.route === 'string' && fn.trigger.route.length > 0 ? fn.trigger.route : fn.name;
        const methods = Array.isArray(fn.trigger.methods) ? fn.trigger.methods.map(String) : undefined;
        return { name: fn.name, triggerType: fn.triggerType, route, methods, authLevel: typeof fn.trigger.authLevel === 'string' ? fn.trigger.authLevel : 'anonymous' };
    });
}

/**
 * Starts the local Azure Functions host for the v4 Node.js programming model: loads the app entry
 * with the stand-in `@azure/functions-core`, serves its HTTP routes, the Durable Functions HTTP API
 * and the admin API on 127.0.0.1, runs orchestrations on durable-functions' own replay engine and
 * fires timer triggers on their schedules.
 */
export async function startLocalHost(options: LocalHostOptions): Promise<LocalHost> {
    for (const [name, value] of Object.entries(options.env ?? {})) process.env[name] = value;
    const clock = options.clock ?? new RealClock();
    const logger = new Logger({}, options.logSink, 'debug');
    const core = functionsCoreState();
    core.systemLog = hostSystemLog(logger.child({ source: 'host' }));
    const app = await loadApp(options.entry);
    const store = options.store ?? new InMemoryDurableStore();
    const functionKey = options.functionKey ?? randomBytes(24).toString('base64url');
    const onError = (error: unknown): void => logger.error(`Local host error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`, { source: 'host' });
    const scheduler = new WorkScheduler(clock, options.concurrency ?? 10 * availableParallelism(), onError);

    let baseUrl = '';
    const onReplay = options.onOrchestratorReplay;
    const invoke = (fn: RegisteredFunction, inputData: RpcParameterBinding[], instanceId?: string) => {
        const invocationId = randomUUID();
        const target = onReplay !== undefined && isOrchestration(fn) ? withTimedCallback(fn, (ms) => onReplay({ functionName: fn.name, instanceId, ms })) : fn;
        return invokeFunction({ fn: target, inputData, invocationId, log: invocationLog(logger, { functionName: fn.name, instanceId })(invocationId) });
    };
    const extraInputs = (fn: RegisteredFunction): RpcParameterBinding[] => extraInputData(fn, () => durableClientBindingData(baseUrl, functionKey));
    const atLeastOnce = options.atLeastOnce;
    const engine = new DurableEngine({
        store,
        app,
        clock,
        scheduler,
        logger: logger.child({ source: 'durable' }),
        invoke,
        deliverTwice: (key) => atLeastOnce !== undefined && keyedRandom(atLeastOnce.seed, key) < atLeastOnce.probability,
        extraInputs,
    });
    const commands = new InstanceCommands(engine, store, clock);
    const fireContext: FireContext = { app, scheduler, invoke: (fn, inputData) => invoke(fn, inputData), extraInputs };
    const routes = httpRoutes(app, compileRouteTemplate);
    const timerTriggers = new TimerTriggers({
        app,
        scheduler,
        now: () => clock.now(),
        logger,
        env: process.env,
        fire: (fn, timer) => fireFunction(fireContext, fn, undefined, { json: JSON.stringify(timer) }),
    });

    const durableApi = { commands, store, clock, systemKey: functionKey };
    const adminApi = { masterKey: functionKey, logger, resolve: (name: string) => fireableFunction(app, name), fire: (fn: RegisteredFunction, input: unknown) => fireFunction(fireContext, fn, input) };
    const httpTriggers = { routes, functionKey, logger, invoke: (fn: RegisteredFunction, inputData: RpcParameterBinding[]) => invoke(fn, inputData), extraInputs };
    const authentication = options.authentication;
    const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
        const url = requestUrl(request, baseUrl);
        // App Service authentication sits before the app's routes; the app's own durable client calls
        // reach the extension through the worker's local endpoint on Azure, not the front end, so the
        // webhooks and the admin API keep only their keys here.
        if (authentication !== undefined && (await authentication.serve(request, response, url))) return;
        if (await serveDurableApi(durableApi, request, response, url)) return;
        if (await serveAdminApi(adminApi, request, response, url)) return;
        const path = url.pathname.toLowerCase();
        if (path === ROUTE_PREFIX || path.startsWith(`${ROUTE_PREFIX}/`)) {
            if (authentication !== undefined && !authentication.admit(request, response, url)) return;
            if (await serveHttpTrigger(httpTriggers, request, response, url)) return;
        }
        sendEmpty(response, 404);
    };
    const server = await startHostServer(options.port ?? 7071, handle, onError);
    baseUrl = `http://127.0.0.1:${server.port}`;
    // durable-functions rewrites binding URLs to localhost:7071 unless WEBSITE_HOSTNAME is set, as the real host sets it.
    process.env.WEBSITE_HOSTNAME = `127.0.0.1:${server.port}`;

    let stopped = false;
    const stop = async (): Promise<void> => {
        if (stopped) return;
        stopped = true;
        timerTriggers.stop();
        engine.stop();
        scheduler.stop();
        await runAppHooks('appTerminate', options.entry).catch(onError);
        await server.close();
    };
    try {
        await runAppHooks('appStart', options.entry);
        const resumed = resumeUnfinished(engine, store);
        if (resumed > 0) logger.info(`Resuming ${resumed} unfinished orchestration instance(s) from the store.`, { source: 'host' });
        timerTriggers.start();
    } catch (error) {
        await stop();
        throw error;
    }

    return {
        baseUrl,
        functionKey,
        clock,
        store,
        functions: summarize(app),
        stop,
        fireFunction: async (name, input) => fireFunction(fireContext, fireableFunction(app, name), input),
        whenIdle: () => scheduler.whenIdle(),
    };
}
