import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../local/clock';
import { EventType } from '../../local/host';
import { startFixtureHost, startOrchestration, type FixtureHost } from './support/fixture-host';
import { eventsOfType, record } from './support/history';

describe('non-deterministic orchestrators', () => {
    let fixture: FixtureHost;

    beforeAll(async () => {
        fixture = await startFixtureHost({ clock: new VirtualClock() });
    });
    afterAll(async () => fixture.host.stop());

    it('fails the instance with an error naming the orchestration and the mismatching action', async () => {
        // Act
        await startOrchestration(fixture.host, 'nonDeterministic', undefined, 'changes-its-mind');
        await fixture.host.whenIdle();

        // Assess
        const failed = record(fixture.host, 'changes-its-mind');
        expect(failed.runtimeStatus).toBe('Failed');
        expect(failed.output).toBe(
            "Non-deterministic orchestration 'nonDeterministic': the orchestrator now schedules activity 'activityB' as task #0, but its history has TaskScheduled 'activityA' there. " +
                'Was the orchestrator changed, or does it depend on something other than its history?',
        );
        expect(eventsOfType(failed.history, EventType.ExecutionCompleted)[0]?.FailureDetails?.ErrorType).toBe('NonDeterministicOrchestrationException');
        expect(eventsOfType(failed.history, EventType.TaskScheduled).map((event) => event.Name)).toEqual(['activityA']);
    });

    it('logs the failure as an error', () => {
        // Assess
        expect(fixture.logs.records.some((entry) => entry.level === 'error' && entry.instanceId === 'changes-its-mind' && entry.message.includes('Non-deterministic'))).toBe(true);
    });
});
