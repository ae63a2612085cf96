import { afterEach, describe, expect, it } from 'vitest';
import { certificateCreationPolling } from '../../lib/contracts/retry-policies';
import { VirtualClock } from '../../local/clock';
import { EventType, type HistoryEvent } from '../../local/host';
import { clockLatency } from '../../local/latency/stand-in-latency';
import { loadScenarioFile } from '../../local/scenario/schema';
import type { LocalStack } from '../../local/stack/local-stack';
import { onboard } from './support/api';
import { DEFAULT_SCENARIO, startWorld } from './support/world';

const LATENCY = { graphCall: 300, relayRoundTrip: 150, exchangeOperation: 2_000 };

/** Virtual ms from the start of the run to the first scheduling of `activity`. */
function scheduledAt(history: readonly HistoryEvent[], activity: string): number {
    const start = Date.parse(history[0]?.Timestamp ?? '');
    const event = history.find((e) => e.EventType === EventType.TaskScheduled && e.Name === activity);
    if (event === undefined) throw new Error(`${activity} was never scheduled`);
    return Date.parse(event.Timestamp) - start;
}

let stack: LocalStack | undefined;

afterEach(async () => {
    await stack?.stop();
    stack = undefined;
});

describe('waiting for Key Vault to create the certificate (issue 16, B1)', () => {
    it.each([
        { creationSeconds: 5, sessions: 4 },
        { creationSeconds: 5, sessions: 1 },
        { creationSeconds: 2, sessions: 4 },
    ])(
        'counts its waits from the request, so that the AuthServer and push proxy calls alongside (sessions: $sessions) add no first wait after them (creation $creationSeconds s)',
        async ({ creationSeconds, sessions }) => {
            // Prepare
            const clock = new VirtualClock();
            const scenario = await loadScenarioFile(DEFAULT_SCENARIO);
            const slow = { ...scenario, faults: { ...scenario.faults, keyVault: { ...scenario.faults.keyVault, creationDelaySeconds: creationSeconds } } };
            stack = await startWorld(slow, { clock, latency: clockLatency(clock, LATENCY), agentSessions: sessions });

            // Act
            const run = await onboard(stack);
            const history = stack.host.store.get(run.instanceId)?.history ?? [];

            // Assess: Key Vault was asked as the inventory ended; the certificate is ready `creationSeconds` later, and
            // read at most one fine wait after that, or after the first wait, whichever is later.
            expect(run.runtimeStatus).toBe('Completed');
            const requested = scheduledAt(history, 'keyVaultStartCertificate');
            const ready = requested + Math.max(creationSeconds, certificateCreationPolling.firstWaitSeconds) * 1000;
            const alongside = sessions === 1 ? 2 * (LATENCY.relayRoundTrip + 2 * LATENCY.exchangeOperation) : LATENCY.relayRoundTrip + 2 * LATENCY.exchangeOperation;
            expect(scheduledAt(history, 'agentInstallCertificate')).toBeLessThanOrEqual(Math.max(ready, requested + alongside) + certificateCreationPolling.fineWaitSeconds * 1000);
        },
        120_000,
    );
});
