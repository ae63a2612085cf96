import { retryEvent, throttledCalls, type RetriedService } from '../contracts/retry-policies';
import { TransientError } from '../errors';
import { currentInvocationLogger, type Logger } from '../logger';

/**
 * Retries inside one activity, honouring Retry-After. Waits longer than `maxInlineWaitMs` are not
 * slept here: the TransientError (with retryAfterMs) goes up, and the orchestration waits on a
 * durable timer instead of an activity holding a worker (see `throttledCalls`).
 */
export interface RetryPolicy {
    readonly maxAttempts: number;
    readonly maxInlineWaitMs: number;
    /** First back-off when the service gave no Retry-After; doubles per attempt. */
    readonly baseDelayMs: number;
    readonly sleep: (ms: number) => Promise<void>;
}

export const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 4, maxInlineWaitMs: throttledCalls.durableFromMs, baseDelayMs: 1_000, sleep: defaultSleep };

/** Logs each retry (`retryEvent`) to the invocation's logger, or else to `logger`. */
export async function withTransientRetry<T>(service: RetriedService, operation: string, attempt: () => Promise<T>, policy: RetryPolicy, logger?: Logger): Promise<T> {
    for (let attemptNumber = 1; ; attemptNumber++) {
        try {
            return await attempt();
        } catch (error) {
            if (!(error instanceof TransientError) || attemptNumber >= policy.maxAttempts) throw error;
            const waitMs = error.retryAfterMs ?? policy.baseDelayMs * 2 ** (attemptNumber - 1);
            if (waitMs > policy.maxInlineWaitMs) throw error;
            const notice = retryEvent({ service, operation, attempt: attemptNumber, of: policy.maxAttempts, errorClass: error.name, errorCode: error.code, waitMs });
            (currentInvocationLogger() ?? logger)?.warn(`${service} ${operation}: attempt ${attemptNumber} of ${policy.maxAttempts} failed (${error.code}), retrying in ${waitMs} ms`, notice);
            await policy.sleep(waitMs);
        }
    }
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date (relative to `nowMs`). */
export function parseRetryAfter(value: string | null | undefined, nowMs: number = Date.now()): number | undefined {
    if (value === null || value === undefined || value.trim() === '') return undefined;
    const trimmed = value.trim();
    if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
    const at = Date.parse(trimmed);
    return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}
