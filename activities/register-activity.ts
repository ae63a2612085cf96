import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import type { ActivityInput, ActivityName, ActivityOutput } from '../lib/contracts/activities';
import type { Outcome, Throttled } from '../lib/contracts/outcome';
import { throttledCalls } from '../lib/contracts/retry-policies';
import { PushProxyError, TransientError } from '../lib/errors';
import { loadOnFirstCall } from '../lib/load-on-first-call';

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
    const handler = loadOnFirstCall(async () => (await load()).handler);
    df.app.activity(name, {
        ...(options.durableClient ? { extraInputs: [df.input.durableClient()] } : {}),
        handler: (input: unknown, context: InvocationContext) => handler(input as ActivityInput<K>, context),
    });
}
