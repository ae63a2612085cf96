import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../local/clock';
import { EventType } from '../../local/host';
import { postJson, startFixtureHost, startOrchestration, type FixtureHost } from './support/fixture-host';
import { eventNames, eventsOfType, output, record } from './support/history';

const START = Date.UTC(2026, 0, 5, 9, 0, 0);

describe('orchestrations on the durable-functions replay engine', () => {
    let fixture: FixtureHost | undefined;

    afterEach(async () => {
        await fixture?.host.stop();
        fixture = undefined;
    });

    async function virtualHost(autoAdvance = true): Promise<FixtureHost> {
        fixture = await startFixtureHost({ clock: new VirtualClock(START, { autoAdvance }) });
        return fixture;
    }

    it('finishes a 120 s durable timer at once under the virtual clock, 120 s later in orchestration time', async () => {
        // Prepare
        const { host } = await virtualHost();
        const wallClockStart = performance.now();

        // Act
        await startOrchestration(host, 'waitTwoMinutes', undefined, 'timer-120');
        await host.whenIdle();

        // Assess
        expect(record(host, 'timer-120').runtimeStatus).toBe('Completed');
        expect(output(host, 'timer-120')).toEqual({ startedAt: '2026-01-05T09:00:00.000Z', resumedAt: '2026-01-05T09:02:00.000Z' });
        expect(host.clock.now()).toBe(START + 120_000);
        expect(eventNames(record(host, 'timer-120').history)).toEqual(['ExecutionStarted', 'TimerCreated', 'TimerFired', 'ExecutionCompleted']);
        expect(performance.now() - wallClockStart).toBeLessThan(10_000);
    });

    it('splits a timer longer than six days into three-day timers, as the extension does for durable-functions', async () => {
        // Prepare
        const { host } = await virtualHost();

        // Act
        await startOrchestration(host, 'waitTenDays', undefined, 'ten-days');
        await host.whenIdle();

        // Assess
        const day = 24 * 3600_000;
        const timers = eventsOfType(record(host, 'ten-days').history, EventType.TimerCreated);
        expect(timers.map((timer) => (Date.parse(timer.FireAt) - START) / day)).toEqual([3, 6, 10]);
        expect(output(host, 'ten-days')).toBe('2026-01-15T09:00:00.000Z');
    });

    it.each([
        ['succeeds on the third attempt', 2, 4, { ok: true, result: { key: 'third', attempt: 3 } }, [5_000, 10_000]],
        // RetryInterceptor.cs: after the last failed attempt, a timer that fires at once (the "dummy timer for back-compat").
        ['gives up after the last attempt', 9, 3, { ok: false }, [5_000, 10_000, 0]],
    ])('retries callActivityWithRetry with host-side timers: %s', async (label, failures, attempts, expected, intervals) => {
        // Prepare
        const { host } = await virtualHost();
        const key = label === 'succeeds on the third attempt' ? 'third' : 'exhausted';

        // Act
        await startOrchestration(host, 'retrying', { key, failures, attempts }, `retry-${key}`);
        await host.whenIdle();

        // Assess
        const history = record(host, `retry-${key}`).history;
        expect(output(host, `retry-${key}`)).toMatchObject(expected);
        const scheduled = eventsOfType(history, EventType.TaskScheduled);
        expect(scheduled).toHaveLength(Math.min(failures + 1, attempts));
        const retryTimers = eventsOfType(history, EventType.TimerCreated);
        // The retry timer fires firstRetryInterval * 2^n after each failure, capped at maxRetryInterval (15 s).
        expect(retryTimers.map((timer) => Date.parse(timer.FireAt) - Date.parse(timer.Timestamp))).toEqual(intervals);
        expect(eventsOfType(history, EventType.TimerFired)).toHaveLength(intervals.length);
    });

    it('reports the last failure of an exhausted retry to the orchestrator', async () => {
        // Prepare
        const { host } = await virtualHost();

        // Act
        await startOrchestration(host, 'retrying', { key: 'reported', failures: 5, attempts: 2 }, 'retry-reported');
        await host.whenIdle();

        // Assess
        const reported = output(host, 'retry-reported') as { ok: boolean; message: string };
        expect(reported.ok).toBe(false);
        expect(reported.message).toContain("Activity function 'flaky' failed: transient failure 2 for reported");
    });

    it('stops loudly when retryTimeout passes before the last attempt, where Azure would leave the instance waiting (RetryInterceptor.cs, durable-js#629)', async () => {
        // Prepare
        const { host, logs } = await virtualHost();

        // Act
        await startOrchestration(host, 'retrying', { key: 'timeout', failures: 9, attempts: 5, retryTimeoutMs: 12_000 }, 'retry-timeout');
        await host.whenIdle();

        // Assess
        const stopped = record(host, 'retry-timeout');
        expect(eventsOfType(stopped.history, EventType.TaskScheduled)).toHaveLength(3);
        expect(stopped.runtimeStatus).toBe('Failed');
        expect(stopped.output).toContain('on Azure this instance would wait forever because');
        expect(stopped.output).toContain('azure-functions-durable-js#629');
        expect(logs.records.some((entry) => entry.level === 'error' && entry.message.includes('would wait forever'))).toBe(true);
    });

    it('fans out 100 activities with Task.all and fans in their results', async () => {
        // Prepare
        const { host } = await virtualHost();

        // Act
        await startOrchestration(host, 'fanOut', 100, 'fan-out');
        await host.whenIdle();

        // Assess
        expect(output(host, 'fan-out')).toEqual({ count: 100, sum: 9_900 });
        const history = record(host, 'fan-out').history;
        expect(eventsOfType(history, EventType.TaskScheduled).map((event) => event.EventId)).toEqual([...Array(100).keys()]);
        expect(eventsOfType(history, EventType.TaskCompleted)).toHaveLength(100);
    });

    it('runs a sub-orchestration and retries a failing one with callSubOrchestratorWithRetry', async () => {
        // Prepare
        const { host } = await virtualHost();

        // Act
        await startOrchestration(host, 'parent', undefined, 'family');
        await host.whenIdle();

        // Assess
        expect(record(host, 'family').runtimeStatus).toBe('Completed');
        expect(output(host, 'family')).toEqual({ first: { doubled: 42, parent: 'family' }, second: { key: 'family-flaky', attempt: 2 } });
        const history = record(host, 'family').history;
        expect(eventNames(history)).toEqual([
            'ExecutionStarted',
            'SubOrchestrationInstanceCreated',
            'SubOrchestrationInstanceCompleted',
            'SubOrchestrationInstanceCreated',
            'SubOrchestrationInstanceFailed',
            'TimerCreated',
            'TimerFired',
            'SubOrchestrationInstanceCreated',
            'SubOrchestrationInstanceCompleted',
            'ExecutionCompleted',
        ]);
        const child = eventsOfType(history, EventType.SubOrchestrationInstanceCreated)[0];
        expect(child?.InstanceId).toBe('family-child');
        expect(record(host, 'family-child').parent?.instanceId).toBe('family');
    });

    it('delivers external events in order to waitForExternalEvent', async () => {
        // Prepare
        const { host } = await virtualHost();
        await startOrchestration(host, 'collectEvents', undefined, 'events');
        await host.whenIdle();
        const raise = (name: string, value: unknown) => postJson(`${host.baseUrl}/api/manage/events/raise?event=${name}`, value);

        // Act
        await raise('second', { early: true });
        await raise('first', 1);
        await host.whenIdle();

        // Assess
        expect(output(host, 'events')).toEqual([1, { early: true }]);
    });

    it('lets an external event win Task.any against a timer, then cancels the timer', async () => {
        // Prepare
        const { host } = await virtualHost(false);
        await startOrchestration(host, 'awaitApproval', undefined, 'approved');
        await host.whenIdle();

        // Act
        await postJson(`${host.baseUrl}/api/manage/approved/raise?event=approval`, 'manager');
        await host.whenIdle();

        // Assess
        expect(output(host, 'approved')).toEqual({ outcome: 'approved', by: 'manager', at: '2026-01-05T09:00:00.000Z' });
        expect(host.clock.now()).toBe(START);
    });

    it('lets the timer win Task.any when no event arrives', async () => {
        // Prepare
        const { host } = await virtualHost();

        // Act
        await startOrchestration(host, 'awaitApproval', undefined, 'timed-out');
        await host.whenIdle();

        // Assess
        expect(output(host, 'timed-out')).toEqual({ outcome: 'timed out', at: '2026-01-05T10:00:00.000Z' });
    });

    it('restarts the orchestration with continueAsNew and keeps the custom status', async () => {
        // Prepare
        const { host } = await virtualHost();

        // Act
        await startOrchestration(host, 'countdown', 3, 'countdown');
        await host.whenIdle();

        // Assess
        const final = record(host, 'countdown');
        expect(final.runtimeStatus).toBe('Completed');
        expect(output(host, 'countdown')).toBe('liftoff');
        expect(final.customStatus).toBe(JSON.stringify({ remaining: 0 }));
        expect(final.input).toBe('0');
        expect(eventNames(final.history)).toEqual(['ExecutionStarted', 'ExecutionCompleted']);
        expect(host.clock.now()).toBe(START + 3_000);
    });

    it.each([
        ['the orchestrator throws', 'explodes', "Orchestrator function 'explodes' failed: orchestrator exploded"],
        ['an activity fails without retry', 'activityFails', "Activity function 'alwaysFails' failed: permanently broken"],
    ])('fails the instance with the error details when %s', async (_label, name, message) => {
        // Prepare
        const { host } = await virtualHost();

        // Act
        await startOrchestration(host, name, undefined, `failing-${name}`);
        await host.whenIdle();

        // Assess
        const failed = record(host, `failing-${name}`);
        expect(failed.runtimeStatus).toBe('Failed');
        expect(failed.output).toContain(message);
        const completion = eventsOfType(failed.history, EventType.ExecutionCompleted)[0];
        expect(completion?.FailureDetails?.ErrorMessage).toContain(message);
    });

    it('shows status, input and output through DurableClient.getStatus', async () => {
        // Prepare
        const { host } = await virtualHost();
        await startOrchestration(host, 'fanOut', 3, 'via-client');
        await host.whenIdle();

        // Act
        const response = await fetch(`${host.baseUrl}/api/instances/via-client`);
        const status = (await response.json()) as Record<string, unknown>;

        // Assess
        expect(status).toMatchObject({ name: 'fanOut', instanceId: 'via-client', runtimeStatus: 'Completed', input: 3, output: { count: 3, sum: 6 } });
        // The extension sends `historyEvents`, which durable-functions reads as `history` (azure-functions-durable-js#620), so it is lost, as in Azure.
        expect(status.history).toBeUndefined();
    });
});
