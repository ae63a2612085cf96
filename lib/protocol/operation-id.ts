import { createHash } from 'node:crypto';
import { operationIdSchema } from './request-body';

export interface OperationIdParts {
    /** The orchestration instance id. */
    readonly instanceId: string;
    /**
     * When this run of the instance started (context.df.currentUtcDateTime at its first step).
     * Instance ids are reused (one per tenant): without it a rerun within 24 h would get the
     * stored results of the previous run.
     */
    readonly runStartedAt: Date | string;
    /** Unique within the run, e.g. "install-certificate" or "probe-2" for the second probe. */
    readonly step: string;
}

/**
 * The operation id for one step of one orchestration run: the same inputs always give the same id,
 * so a replayed or re-delivered activity is answered with the stored result instead of running twice.
 */
export function operationIdFor(parts: OperationIdParts): string {
    const started = typeof parts.runStartedAt === 'string' ? parts.runStartedAt : parts.runStartedAt.toISOString();
    const readable = `${parts.instanceId}@${started.replace(/[^0-9TZ]/g, '')}/${parts.step}`;
    if (operationIdSchema.safeParse(readable).success) return readable;
    const digest = createHash('sha256').update(`${parts.instanceId}\n${started}\n${parts.step}`).digest('hex');
    return `h-${digest}`;
}
