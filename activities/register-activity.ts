import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import type { ActivityInput, ActivityName, ActivityOutput } from '../lib/contracts/activities';
import type { Outcome, Throttled } from '../lib/contracts/outcome';
import { SERVICE_RETRY, serviceOfActivity, throttledCalls } from '../lib/contracts/retry-policies';
import { PushProxyError, TransientError } from '../lib/errors';
import { loadOnFirstCall } from '../lib/load-on-first-call';
import type { Logger, LogSink } from '../lib/logger';

/**
 * The one way activities return: permanent failures (missing permission, bad configuration,
 * unsupported state) as a typed outcome that ends the run with its remedy; a long Retry-After as
 * Throttled, for the orchestration to wait on a durable timer; other transient failures thrown,
 * so that the orchestrator's retry policy retries them.
 */
export async function outcomeOf<T>(work: () => Promise<T>): Promise<Outcome<T> | Throttled> {
    try {
        return { ok: true, value: await work() };
    } catch (error) {
        if (error instanceof TransientError && error.retryAfterMs !== undefined && error.retryAfterMs >= throttledCalls.durableFromMs) {
            return { throttled: { code: error.code, message: error.message, retryAfterMs: error.retryAfterMs } };
        }
        if (error instanceof PushProxyError && !error.transient) {
            return { ok: false, error: { code: error.code, message: error.message, ...(error.remedy === undefined ? {} : { remedy: error.remedy }) } };
        }
        throw error;
    }
}

/** What each activity's module exports: its handler, with its catalogue types. */
export type ActivityHandler<K extends ActivityName> = (input: ActivityInput<K>, context: InvocationContext) => Promise<ActivityOutput<K> | Throttled>;

/**
 * Registers an activity under its catalogue name. Its module is imported on the activity's first
 * call, so that loading the app does not load what the activity uses (the app's services, zod).
 */
export function registerActivity<K extends ActivityName>(
    name: K,
    load: () => Promise<{ readonly handler: ActivityHandler<NoInfer<K>> }>,
    options: { readonly durableClient?: boolean } = {},
): void {
    // The logger (node:async_hooks) loads with the handler, on the first call, as the rest of what the activity uses.
    const handler = loadOnFirstCall(async () => {
        const [{ handler: run }, { Logger, withInvocationLogger }] = await Promise.all([load(), import('../lib/logger.js')]);
        return (input: ActivityInput<K>, context: InvocationContext): Promise<ActivityOutput<K> | Throttled> => {
            const logger = new Logger({ activity: name }, invocationSink(context));
            return withInvocationLogger(logger, async () => {
                try {
                    return await run(input, context);
                } catch (error) {
                    logFault(logger, name, error);
                    throw error;
                }
            });
        };
    });
    df.app.activity(name, {
        ...(options.durableClient ? { extraInputs: [df.input.durableClient()] } : {}),
        handler: (input: unknown, context: InvocationContext) => handler(input as ActivityInput<K>, context),
    });
}

/** Each record as one JSON line through the invocation's own log, so the host files it under this invocation. */
function invocationSink(context: InvocationContext): LogSink {
    return ({ level, ...record }) => {
        const line = JSON.stringify(record);
        if (level === 'error') context.error(line);
        else if (level === 'warn') context.warn(line);
        else if (level === 'debug') context.debug(line);
        else context.info(line);
    };
}

/**
 * An activity that throws is retried by the orchestration's policy for its service (the durable
 * retry the host runs): the fault is logged here with that service and policy, since only the host
 * knows the attempt number and the wait (it logs them with the retry timer).
 */
function logFault(logger: Logger, name: ActivityName, error: unknown): void {
    const service = serviceOfActivity(name);
    const policy = SERVICE_RETRY[service];
    logger.warn(`${service} ${name} failed (${error instanceof PushProxyError ? error.code : 'unexpected'}); the orchestration retries it, up to ${policy.maxNumberOfAttempts} attempts`, {
        event: 'ActivityFault',
        service,
        operation: name,
        of: policy.maxNumberOfAttempts,
        errorClass: error instanceof Error ? error.name : typeof error,
        errorCode: error instanceof PushProxyError ? error.code : 'unexpected',
    });
}
