import type { DurableOrchestrationStatus } from 'durable-functions';
import { describe, expect, it } from 'vitest';
import { CLAIM_START_GRACE_MS, isStaleClaim } from '../../functions/http/start-run';
import type { HeldClaim } from '../../lib/registry/tenant-registry';

const CLAIMED_AT = Date.parse('2026-01-05T09:00:00.000Z');
const holder: HeldClaim = { runId: 'run-claimed', orchestration: 'onboardTenant', claimedAt: new Date(CLAIMED_AT).toISOString(), etag: 'W/"1"' };

function instance(runtimeStatus: string, runId: string): DurableOrchestrationStatus {
    return { instanceId: 'tenant-contoso.com', runtimeStatus, input: { runId } } as unknown as DurableOrchestrationStatus;
}

describe('whether a claim on a tenant is stale', () => {
    it.each([
        ['its run is still running', instance('Running', 'run-claimed'), 10 * CLAIM_START_GRACE_MS, false],
        ['another run (reverifyAll) is running', instance('Running', 'nightly:0:0'), 10 * CLAIM_START_GRACE_MS, false],
        ['its run completed', instance('Completed', 'run-claimed'), 1, true],
        ['its run failed', instance('Failed', 'run-claimed'), 1, true],
        ['its run has not appeared yet: the start is in flight', instance('Completed', 'run-before'), 1_000, false],
        ['no run ever appeared, within the grace', undefined, CLAIM_START_GRACE_MS, false],
        ['no run ever appeared, past the grace: the request died', undefined, CLAIM_START_GRACE_MS + 1, true],
        ['an older run ended and the claimed one never started, past the grace', instance('Completed', 'run-before'), CLAIM_START_GRACE_MS + 1, true],
    ] as const)('when %s: stale %s', (_name, status, ageMs, stale) => {
        // Act
        const result = isStaleClaim(holder, status, CLAIMED_AT + ageMs);

        // Assess
        expect(result).toBe(stale);
    });
});
