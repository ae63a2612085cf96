import * as df from 'durable-functions';
import type { OrchestrationContext, Task } from 'durable-functions';
import type { ActivityInput, ActivityName, ActivityOutput } from '../lib/contracts/activities';
import { agentCallRetry, graphRetry, keyVaultRetry, registryRetry, type RetryPolicy } from '../lib/contracts/retry-policies';
import { StepFailure } from './run-failure';

function policyFor(name: ActivityName): RetryPolicy {
    if (name.startsWith('agent')) return agentCallRetry;
    if (name.startsWith('graph')) return graphRetry;
    if (name.startsWith('keyVault')) return keyVaultRetry;
    return registryRetry;
}

export function toRetryOptions(policy: RetryPolicy): df.RetryOptions {
    const options = new df.RetryOptions(policy.firstRetryIntervalMs, policy.maxNumberOfAttempts);
    options.backoffCoefficient = policy.backoffCoefficient;
    options.maxRetryIntervalInMilliseconds = policy.maxRetryIntervalMs;
    options.retryTimeoutInMilliseconds = policy.retryTimeoutMs;
    return options;
}

/** Schedules an activity with the retry policy of its kind; yield it, alone or in Task.all. */
export function activityTask<K extends ActivityName>(context: OrchestrationContext, name: K, input: ActivityInput<K>): Task {
    return context.df.callActivityWithRetry(name, toRetryOptions(policyFor(name)), input);
}

/** Runs one activity and returns its typed outcome: `const x = yield* callActivity(context, ...)`. */
export function* callActivity<K extends ActivityName>(
    context: OrchestrationContext,
    name: K,
    input: ActivityInput<K>,
): Generator<Task, ActivityOutput<K>, unknown> {
    const result: unknown = yield activityTask(context, name, input);
    return result as ActivityOutput<K>;
}

/**
 * Runs activities in parallel; results come back in the order of the tasks. With `steps` (the step
 * of each task), a failure is reported against the step of the task that failed.
 */
export function* all<T extends readonly unknown[]>(context: OrchestrationContext, tasks: readonly Task[], steps?: readonly string[]): Generator<Task, T, unknown> {
    try {
        const results: unknown = yield context.df.Task.all([...tasks]);
        return results as T;
    } catch (error) {
        const failed = steps?.[tasks.findIndex((task) => task.isFaulted)];
        throw failed === undefined ? error : new StepFailure(failed, error);
    }
}

/** Waits for a task scheduled earlier; a failure is reported against `step`, whichever steps are still running. */
export function* awaitForStep<T>(step: string, task: Task): Generator<Task, T, unknown> {
    try {
        const result: unknown = yield task;
        return result as T;
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
