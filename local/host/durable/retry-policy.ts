import type { RetryOptionsWire } from './orchestrator-state';

/**
 * DurableTask.Core `RetryInterceptor.ComputeNextDelay`, which the Durable extension runs for
 * `callActivityWithRetry` and `callSubOrchestratorWithRetry`:
 * delay = firstRetryInterval * backoffCoefficient ^ retryCount, capped at maxRetryInterval, and zero
 * (give up without a timer) once the orchestration's clock has reached firstAttempt + retryTimeout.
 * Unset options default as in DurableTask.Core: coefficient 1, no cap, no timeout.
 */
export function nextRetryDelayMs(options: RetryOptionsWire, retryCount: number, firstAttemptAt: number, now: number): number {
    const timeout = options.retryTimeoutInMilliseconds;
    if (timeout !== undefined && now >= firstAttemptAt + timeout) return 0;
    const coefficient = options.backoffCoefficient ?? 1;
    const delay = options.firstRetryIntervalInMilliseconds * coefficient ** retryCount;
    const cap = options.maxRetryIntervalInMilliseconds;
    return cap !== undefined && delay >= cap ? cap : delay;
}
