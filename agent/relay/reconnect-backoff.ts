export interface BackoffPolicy {
    /** Delay before the first attempt after a drop. */
    readonly initialDelayMs: number;
    readonly maxDelayMs: number;
    readonly multiplier: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { initialDelayMs: 500, maxDelayMs: 30_000, multiplier: 2 };

/**
 * Delay before reconnect attempt `attempt` (1-based): grows geometrically up to the cap, then is
 * jittered into its upper half so that many agents dropped together do not return in step.
 */
export function reconnectDelayMs(attempt: number, policy: BackoffPolicy, random: () => number): number {
    const exponent = Math.max(0, attempt - 1);
    const ceiling = Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.multiplier ** exponent);
    return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
