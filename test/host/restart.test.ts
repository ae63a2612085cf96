import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../local/clock';
import { EventType, InMemoryDurableStore, type LocalHost } from '../../local/host';
import { closeGate, ledger, openGate } from '../fixtures/app/ledger';
import { postJson, startFixtureHost, startOrchestration } from './support/fixture-host';
import { eventsOfType, output, record } from './support/history';

const START = Date.UTC(2026, 0, 5, 9, 0, 0);

/** Waits (bounded) until the `slow` activity is blocked behind the gate. */
async function untilSlowActivityWaits(): Promise<void> {
    for (let tries = 0; ledger().gate.waiters.length === 0; tries += 1) {
        if (tries > 500) throw new Error('The slow activity never started.');
        await new Promise((resolve) => setTimeout(resolve, 10));
    }
}

describe('restarting the host on the same store', () => {
    const hosts: LocalHost[] = [];

    afterEach(async () => {
        openGate();
        for (const host of hosts.splice(0)) await host.stop();
    });

    it('loses nothing: an activity in flight runs again, a pending timer still fires, the instance finishes', async () => {
        // Prepare
        closeGate();
        const store = new InMemoryDurableStore();
        const clock = new VirtualClock(START, { autoAdvance: false });
        const first = (await startFixtureHost({ clock, store })).host;
        hosts.push(first);
        await startOrchestration(first, 'longRunning', undefined, 'survivor');
        await untilSlowActivityWaits();
        const slowRunsBefore = ledger().activityRuns.get('slow') ?? 0;

        // Act: stop with the activity in flight; its late result must not reach the store.
        await first.stop();
        openGate();
        await new Promise((resolve) => setImmediate(resolve));
        const afterFirstStop = structuredClone(record(first, 'survivor'));
        const second = (await startFixtureHost({ clock, store })).host;
        hosts.push(second);
        await second.whenIdle();
        const waitingOnTimer = structuredClone(record(second, 'survivor'));
        await second.stop();
        const third = (await startFixtureHost({ clock, store })).host;
        hosts.push(third);
        clock.advanceBy(30_000);
        await third.whenIdle();
        await postJson(`${third.baseUrl}/api/manage/survivor/raise?event=finish`, 'done');
        await third.whenIdle();

        // Assess
        expect(eventsOfType(afterFirstStop.history, EventType.TaskCompleted)).toHaveLength(0);
        expect(afterFirstStop.runtimeStatus).toBe('Running');
        expect(ledger().activityRuns.get('slow')).toBe(slowRunsBefore + 1);
        expect(eventsOfType(waitingOnTimer.history, EventType.TimerCreated)).toHaveLength(1);
        expect(eventsOfType(waitingOnTimer.history, EventType.TimerFired)).toHaveLength(0);
        const finished = record(third, 'survivor');
        expect(finished.runtimeStatus).toBe('Completed');
        expect(output(third, 'survivor')).toEqual({ slow: 'slow:one', echoed: 'two', finish: 'done' });
        expect(eventsOfType(finished.history, EventType.TaskScheduled).map((event) => event.Name)).toEqual(['slow', 'echo']);
        expect(eventsOfType(finished.history, EventType.TaskCompleted)).toHaveLength(2);
    });
});
