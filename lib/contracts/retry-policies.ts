/**
 * Every retry policy of the product, named once. Orchestrators turn these into durable-functions
 * RetryOptions; only transient failures reach them, because activities return permanent ones.
 */
export interface RetryPolicy {
    readonly firstRetryIntervalMs: number;
    readonly maxNumberOfAttempts: number;
    readonly backoffCoefficient: number;
    readonly maxRetryIntervalMs: number;
    readonly retryTimeoutMs: number;
}

/** Calls to the on-premises agent: relay drops, agent restarts and "in progress" answers. */
export const agentCallRetry: RetryPolicy = {
    firstRetryIntervalMs: 5_000,
    maxNumberOfAttempts: 8,
    backoffCoefficient: 2,
    maxRetryIntervalMs: 120_000,
    retryTimeoutMs: 30 * 60_000,
};

/** Microsoft Graph: throttling (429) and 503/504. */
export const graphRetry: RetryPolicy = {
    firstRetryIntervalMs: 10_000,
    maxNumberOfAttempts: 6,
    backoffCoefficient: 2,
    maxRetryIntervalMs: 300_000,
    retryTimeoutMs: 30 * 60_000,
};

/** Key Vault: throttling and 5xx. */
export const keyVaultRetry: RetryPolicy = {
    firstRetryIntervalMs: 5_000,
    maxNumberOfAttempts: 6,
    backoffCoefficient: 2,
    maxRetryIntervalMs: 120_000,
    retryTimeoutMs: 20 * 60_000,
};

/** The tenant registry in Table Storage. */
export const registryRetry: RetryPolicy = {
    firstRetryIntervalMs: 2_000,
    maxNumberOfAttempts: 5,
    backoffCoefficient: 2,
    maxRetryIntervalMs: 60_000,
    retryTimeoutMs: 10 * 60_000,
};

/**
 * Polling a pending Key Vault certificate creation with durable timers between reads. Creation takes
 * seconds and is on every onboarding's critical path (issue 16, B1): the first `fineForSeconds` are
 * read every `fineWaitSeconds`, each read one GET of the pending operation, far below Key Vault's
 * service limits for certificate reads (https://learn.microsoft.com/azure/key-vault/general/service-limits);
 * a read Key Vault throttles waits its Retry-After (activity-calls.ts `unthrottled`). A slower creation
 * is read less and less often, so that a slow vault does not fill the history with reads. The first
 * read waits `firstWaitSeconds`: a creation is seldom done sooner, and each read costs the
 * orchestration two more episodes to replay (B2).
 */
export const certificateCreationPolling = {
    firstWaitSeconds: 3,
    fineWaitSeconds: 1,
    fineForSeconds: 90,
    backoffCoefficient: 1.5,
    maxWaitSeconds: 60,
    maxTotalSeconds: 30 * 60,
} as const;

/**
 * A service that answers with a long Retry-After (Graph and Key Vault throttling): the orchestration
 * waits as asked on a durable timer, instead of the back-off of the retry policy, which would call
 * again too early and be throttled again.
 */
export const throttledCalls = {
    /** Shorter waits are slept inside the activity. */
    durableFromMs: 30_000,
    /** A longer Retry-After is capped (a misbehaving header must not park a run for days). */
    maxWaitMs: 15 * 60_000,
    /** Then the run fails, naming the service that kept throttling. */
    maxWaits: 6,
} as const;

/**
 * Recovering a soft-deleted secret before writing it again (an organization enrolled after its removal):
 * the recovery poller's interval, and how many times the write is tried while Key Vault still answers
 * 409 ObjectIsBeingRecovered just after the poller finished (Azure/azure-sdk-for-net#31581).
 */
export const deletedSecretRecovery = {
    pollMs: 1_000,
    writeAttempts: 5,
} as const;

/**
 * Waits before probing again when the probe fails with a token error right after a key was registered:
 * Entra ID is eventually consistent, and a key credential just written may not be honoured by every
 * replica for a while ("Designing for Eventual Consistency for Microsoft Entra",
 * devblogs.microsoft.com/identity/designing-for-eventual-consistency-for-microsoft-entra/). About an hour in
 * all, the time the README's troubleshooting allows for replication; these waits do not count as probe attempts.
 */
export const KEY_REPLICATION_WAITS_SECONDS: readonly number[] = [60, 120, 300, 600, 900, 1_500];

/** The services the product retries calls to; each activity belongs to one (by its name's prefix). */
export type RetriedService = 'agent' | 'graph' | 'keyVault' | 'registry' | 'relay';

/** The durable retry policy of each service's activities. */
export const SERVICE_RETRY: Readonly<Record<Exclude<RetriedService, 'relay'>, RetryPolicy>> = {
    agent: agentCallRetry,
    graph: graphRetry,
    keyVault: keyVaultRetry,
    registry: registryRetry,
};

/** The service an activity calls, from its name: `agent…`, `graph…`, `keyVault…`; the rest read or write the registry. */
export function serviceOfActivity(name: string): Exclude<RetriedService, 'relay'> {
    if (name.startsWith('agent')) return 'agent';
    if (name.startsWith('graph')) return 'graph';
    if (name.startsWith('keyVault')) return 'keyVault';
    return 'registry';
}

/** One retried call, as `--verbose` shows it: which service and operation, which attempt of how many, why, and the wait before the next. */
export interface RetryNotice {
    readonly service: RetriedService;
    readonly operation: string;
    readonly attempt: number;
    readonly of: number;
    /** The error's class (`TransientError`, …) and, in errorCode, its code: never its message, which may quote a service's answer. */
    readonly errorClass: string;
    readonly errorCode: string;
    readonly waitMs: number;
}

/** The one shape of a retry's log line: `{"event":"Retry", service, operation, attempt, of, errorClass, errorCode, waitMs}`. */
export function retryEvent(notice: RetryNotice): Readonly<Record<string, unknown>> & { readonly event: 'Retry' } & RetryNotice {
    return { event: 'Retry', ...notice };
}
