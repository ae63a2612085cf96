import type { OrchestrationContext, Task } from 'durable-functions';
import { describe, expect, it } from 'vitest';
import { registerKeyCredential } from '../../orchestrators/key-writer/change-key-credentials';

interface Scheduled {
    readonly kind: 'entity' | 'lock' | 'activity';
    readonly name: string;
}

/** A context that records what the change schedules; the test answers each task in turn. */
function recordingContext(): { context: OrchestrationContext; scheduled: Scheduled[] } {
    const scheduled: Scheduled[] = [];
    const df = {
        instanceId: 'tenant-contoso.com',
        newGuid: () => '00000000-0000-5000-8000-000000000001',
        callEntity: (_entity: unknown, operation: string) => {
            scheduled.push({ kind: 'entity', name: operation });
            return {} as Task;
        },
        lock: () => {
            scheduled.push({ kind: 'lock', name: 'lock' });
            return {} as Task;
        },
        callActivityWithRetry: (name: string) => {
            scheduled.push({ kind: 'activity', name });
            return {} as Task;
        },
    };
    return { context: { df } as unknown as OrchestrationContext, scheduled };
}

const TARGET = { cloud: 'global' as const, tenantDomain: 'contoso.com', keyTarget: { kind: 'firstPartyServicePrincipal' as const }, objectId: '200aeee4-70ee-4574-81d6-bc30a6b84917' };
const CERTIFICATE = { thumbprint: 'AB'.repeat(20), derBase64: 'MIIB', notBefore: '2026-01-05T08:55:00Z', notAfter: '2028-01-05T08:55:00Z' };

describe('the key writer lock of a change that fails', () => {
    it.each([
        { label: 'taking the batch fails, then withdrawing it fails too', withdrawFails: true },
        { label: 'taking the batch fails and the change is withdrawn', withdrawFails: false },
    ])('is released when $label', ({ withdrawFails }) => {
        // Prepare
        let released = 0;
        const { context, scheduled } = recordingContext();
        const lockHandle = { release: () => released++ };
        const change = registerKeyCredential(context, TARGET, CERTIFICATE);

        // Act: submit answers, the lock is granted, take fails, withdraw answers or fails.
        let failure: unknown;
        try {
            change.next();
            change.next(null);
            change.next(lockHandle);
            const afterTake = change.throw(new Error('the entity keyCredentialWriter failed the operation take'));
            expect(afterTake.done).toBe(false);
            if (withdrawFails) change.throw(new Error('the entity keyCredentialWriter failed the operation withdraw'));
            else change.next(null);
        } catch (error) {
            failure = error;
        }

        // Assess
        expect(scheduled.map((s) => `${s.kind} ${s.name}`)).toEqual(['entity submit', 'lock lock', 'entity take', 'entity withdraw']);
        expect(released).toBe(1);
        expect((failure as Error).message).toMatch(withdrawFails ? /operation withdraw/ : /operation take/);
    });
});
