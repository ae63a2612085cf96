import * as df from 'durable-functions';
import type { OrchestrationContext, Task } from 'durable-functions';
import type { ActivityInput, ActivityName, ActivityOutput } from '../lib/contracts/activities';
import { isThrottled } from '../lib/contracts/outcome';
import { SERVICE_RETRY, serviceOfActivity, throttledCalls, type RetryPolicy } from '../lib/contracts/retry-policies';
import { StepFailure } from './run-failure';

function policyFor(name: ActivityName): RetryPolicy {
    return SERVICE_RETRY[serviceOfActivity(name)];
}

export function toRetryOptions(policy: RetryPolicy): df.RetryOptions {
    const options = new df.RetryOptions(policy.firstRetryIntervalMs, policy.maxNumberOfAttempts);
    options.backoffCoefficient = policy.backoffCoefficient;
    options.maxRetryIntervalInMilliseconds = policy.maxRetryIntervalMs;
    options.retryTimeoutInMilliseconds = policy.retryTimeoutMs;
    return options;
}

/** An activity scheduled with the retry policy of its kind: yield it with `all` or `awaitForStep`. */
export interface ScheduledActivity<K extends ActivityName = ActivityName> {
    readonly name: K;
    readonly input: ActivityInput<K>;
    readonly task: Task;
}

export function activityTask<K extends ActivityName>(context: OrchestrationContext, name: K, input: ActivityInput<K>): ScheduledActivity<K> {
    return { name, input, task: context.df.callActivityWithRetry(name, toRetryOptions(policyFor(name)), input) };
}

/**
 * An activity's result once it is not Throttled: while the service asks to wait (a long
 * Retry-After), waits that long on the durable clock and calls again, a bounded number of times.
 */
function* unthrottled<K extends ActivityName>(context: OrchestrationContext, name: K, input: ActivityInput<K>, first: unknown): Generator<Task, ActivityOutput<K>, unknown> {
    let result = first;
    for (let waits = 0; isThrottled(result); waits++) {
        if (waits >= throttledCalls.maxWaits) {
            throw new Error(`${result.throttled.message} The service still asked to wait after ${waits} waits as long as its Retry-After (${result.throttled.code}).`);
        }
        const waitMs = Math.min(result.throttled.retryAfterMs, throttledCalls.maxWaitMs);
        yield context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + waitMs));
        result = yield activityTask(context, name, input).task;
    }
    return result as ActivityOutput<K>;
}

/** Runs one activity and returns its typed outcome: `const x = yield* callActivity(context, ...)`. */
export function* callActivity<K extends ActivityName>(
    context: OrchestrationContext,
    name: K,
    input: ActivityInput<K>,
): Generator<Task, ActivityOutput<K>, unknown> {
    const result: unknown = yield activityTask(context, name, input).task;
    return yield* unthrottled(context, name, input, result);
}

/**
 * Runs activities in parallel; results come back in the order of the activities. With `steps` (the
 * step of each activity), a failure is reported against the step of the activity that failed.
 */
export function* all<T extends readonly unknown[]>(context: OrchestrationContext, activities: readonly ScheduledActivity[], steps?: readonly string[]): Generator<Task, T, unknown> {
    let results: unknown[];
    try {
        results = (yield context.df.Task.all(activities.map((activity) => activity.task))) as unknown[];
    } catch (error) {
        const failed = steps?.[activities.findIndex((activity) => activity.task.isFaulted)];
        throw failed === undefined ? error : new StepFailure(failed, error);
    }
    for (const [index, activity] of activities.entries()) {
        try {
            results[index] = yield* unthrottled(context, activity.name, activity.input, results[index]);
        } catch (error) {
            const step = steps?.[index];
            throw step === undefined ? error : new StepFailure(step, error);
        }
    }
    return results as unknown as T;
}

/** Waits for an activity scheduled earlier; a failure is reported against `step`, whichever steps are still running. */
export function* awaitForStep<K extends ActivityName>(context: OrchestrationContext, step: string, activity: ScheduledActivity<K>): Generator<Task, ActivityOutput<K>, unknown> {
    try {
        const result: unknown = yield activity.task;
        return yield* unthrottled(context, activity.name, activity.input, result);
    } catch (error) {
        throw new StepFailure(step, error);
    }
}

/** Waits on the durable clock. */
export function* sleep(context: OrchestrationContext, seconds: number): Generator<Task, void, unknown> {
    if (seconds <= 0) return;
    const fireAt = new Date(context.df.currentUtcDateTime.getTime() + seconds * 1000);
    yield context.df.createTimer(fireAt);
}
