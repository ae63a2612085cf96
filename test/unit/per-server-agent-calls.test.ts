import type { OrchestrationContext, Task } from 'durable-functions';
import { describe, expect, it } from 'vitest';
import type { AgentCall } from '../../lib/contracts/activities';
import { installCertificate } from '../../orchestrators/steps/install-certificate';
import { restartAuthServices } from '../../orchestrators/steps/restart-auth-services';
import { RunFailure } from '../../orchestrators/run-failure';

interface ScheduledCall {
    readonly name: string;
    readonly input: { readonly operationId: string; readonly servers: readonly string[] };
}

/** A context that records each activity the step schedules; the test answers them one by one. */
function recordingContext(): { context: OrchestrationContext; calls: ScheduledCall[] } {
    const calls: ScheduledCall[] = [];
    const df = {
        callActivityWithRetry: (name: string, _retry: unknown, input: ScheduledCall['input']) => {
            calls.push({ name, input });
            return { name } as unknown as Task;
        },
    };
    return { context: { df } as unknown as OrchestrationContext, calls };
}

/** Drives a step to its end, answering every agent call with `answer(servers)`. */
function drive<T>(step: Generator<Task, T, unknown>, calls: readonly ScheduledCall[], answer: (servers: readonly string[]) => unknown): T {
    let next = step.next();
    while (!next.done) next = step.next({ ok: true, value: answer(calls[calls.length - 1]!.input.servers) });
    return next.value;
}

const servers = (count: number) => Array.from({ length: count }, (_, i) => `EX${i + 1}`);
const call: AgentCall = { hybridConnection: 'hc-contoso', operationId: 'run-1:install' };

describe('per-server work split into agent calls that fit the budget', () => {
    it('installs on 10 servers in 3 calls of at most 4, and names exactly the one server that failed, after every batch ran', () => {
        // Prepare
        const { context, calls } = recordingContext();
        const answer = (batch: readonly string[]) => ({
            imported: batch.filter((s) => s !== 'EX6'),
            present: [],
            failed: batch.filter((s) => s === 'EX6').map((server) => ({ server, detail: 'Access is denied.' })),
        });

        // Act
        let failure: unknown;
        try {
            drive(installCertificate(context, call, 'AB'.repeat(20), servers(10), { kind: 'keyVault', certificateName: 'c', version: 'v', organizationGuid: 'g' }, 'install'), calls, answer);
        } catch (error) {
            failure = error;
        }

        // Assess
        expect(calls.map((c) => [c.input.operationId, c.input.servers.length])).toEqual([
            ['run-1:install-batch1of3', 4],
            ['run-1:install-batch2of3', 4],
            ['run-1:install-batch3of3', 2],
        ]);
        expect(failure).toBeInstanceOf(RunFailure);
        expect((failure as RunFailure).runError).toMatchObject({ step: 'install', code: 'install_failed', message: 'EX6: Access is denied.' });
        expect((failure as RunFailure).runError.remedy).toMatch(/on EX6, then/);
    });

    it.each([
        { count: 3, calls: ['run-1:restartAuthServices'] },
        { count: 200, calls: ['run-1:restartAuthServices-batch1of2', 'run-1:restartAuthServices-batch2of2'] },
    ])('restarts the Auth services of $count servers in $calls.length call(s), naming the one that failed', ({ count, calls: expected }) => {
        // Prepare
        const { context, calls } = recordingContext();
        const answer = (batch: readonly string[]) => ({
            restarted: batch.filter((s) => s !== 'EX2'),
            failed: batch.filter((s) => s === 'EX2').map((server) => ({ server, error: 'Connecting to remote server ex2 failed' })),
        });

        // Act
        const detail = drive(restartAuthServices(context, { ...call, operationId: 'run-1:restartAuthServices' }, servers(count), 'restartAuthServices'), calls, answer);

        // Assess
        expect(calls.map((c) => c.input.operationId)).toEqual(expected);
        expect(calls.flatMap((c) => c.input.servers)).toEqual(servers(count));
        expect(detail.match(/not on (\S+) /g)).toEqual(['not on EX2 ']);
    });
});
