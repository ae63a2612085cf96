/**
 * What an activity returns. Activities throw only for transient failures (so the retry policies
 * retry them); a permanent failure comes back as `ok: false` and ends the run with its remedy.
 */
export interface PermanentFailure {
    readonly code: string;
    readonly message: string;
    readonly remedy?: string;
}

export type Outcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: PermanentFailure };

/**
 * What an activity returns instead of throwing when the service asked it to wait longer than is
 * worth waiting inside the activity (Retry-After beyond `throttledCalls.durableFromMs`): the
 * orchestration waits that long on a durable timer and calls again. Never reaches orchestrator
 * code: the activity-call helpers handle it.
 */
export interface Throttled {
    readonly throttled: { readonly code: string; readonly message: string; readonly retryAfterMs: number };
}

export function isThrottled(value: unknown): value is Throttled {
    return typeof value === 'object' && value !== null && 'throttled' in value;
}
