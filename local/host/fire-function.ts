import type { RpcParameterBinding, RpcTypedData } from './worker/core-api-types';
import type { RegisteredFunction } from './worker/functions-core';
import type { InvocationOutcome } from './worker/invoke-function';
import type { LoadedApp } from './worker/load-app';
import { toTypedData } from './worker/typed-data';
import type { WorkScheduler } from './work-scheduler';
import { LocalHostError } from './errors';
import { timerInfo } from './timers/timer-info';

const NOT_FIREABLE = new Map([
    ['httptrigger', 'it is an HTTP function: call its route instead'],
    ['orchestrationtrigger', 'orchestrations start through the Durable Functions API'],
    ['activitytrigger', 'activities run when an orchestration calls them'],
    ['entitytrigger', 'entities run when signaled'],
]);

export interface FireContext {
    readonly app: LoadedApp;
    readonly scheduler: WorkScheduler;
    readonly invoke: (fn: RegisteredFunction, inputData: RpcParameterBinding[]) => Promise<InvocationOutcome>;
    readonly extraInputs: (fn: RegisteredFunction) => RpcParameterBinding[];
}

export function fireableFunction(app: LoadedApp, name: string): RegisteredFunction {
    const fn = app.find(name);
    if (!fn) throw new LocalHostError('function-not-found', `No function named "${name}" is registered.`);
    const reason = NOT_FIREABLE.get(fn.triggerType.toLowerCase());
    if (reason) throw new LocalHostError('function-not-fireable', `Function "${fn.name}" cannot be fired on demand: ${reason}.`);
    return fn;
}

/**
 * Runs a non-HTTP function once, as the host's `POST /admin/functions/<name>` does: a timer trigger
 * gets a fresh Timer, anything else gets the input. The invocation is host work (whenIdle waits
 * for it); the promise settles when it finishes and rejects if the function failed.
 */
export function fireFunction(context: FireContext, fn: RegisteredFunction, input: unknown, triggerData?: RpcTypedData): Promise<void> {
    const data = triggerData ?? (fn.triggerType.toLowerCase() === 'timertrigger' ? { json: JSON.stringify(timerInfo(undefined, false)) } : toTypedData(input));
    return new Promise((resolve, reject) => {
        const queued = context.scheduler.enqueue(async () => {
            const outcome = await context.invoke(fn, [{ name: fn.triggerName, ...(data ? { data } : {}) }, ...context.extraInputs(fn)]);
            if (outcome.ok) resolve();
            else reject(new LocalHostError('function-failed', `Function "${fn.name}" failed: ${outcome.failure.message}`));
        });
        if (!queued) reject(new LocalHostError('stopped', `The host has stopped; function "${fn.name}" was not run.`));
    });
}
