import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../local/clock';
import { EventType } from '../../local/host';
import { startFixtureHost, startOrchestration, type FixtureHost } from './support/fixture-host';
import { eventNames, eventsOfType, output, record } from './support/history';

const START = Date.UTC(2026, 0, 5, 9, 0, 0);

/** The tally entity's state as the entity scheduler keeps it in the entity's instance. */
function counterValue(fixture: FixtureHost, key: string): number {
    const entity = record(fixture.host, `@tally@${key}`);
    const scheduler = JSON.parse(entity.input ?? 'null') as { state: string | null; lockedBy: string | null; queue: unknown[] };
    expect(scheduler.lockedBy).toBeNull();
    expect(scheduler.queue).toEqual([]);
    return JSON.parse(scheduler.state ?? '0') as number;
}

describe('durable entities and critical sections on the local host', () => {
    let fixture: FixtureHost | undefined;

    afterEach(async () => {
        await fixture?.host.stop();
        fixture = undefined;
    });

    /** Starts every orchestration before the clock may move, then lets them all run. */
    async function startTogether(count: number, locked: boolean): Promise<FixtureHost> {
        const clock = new VirtualClock(START, { autoAdvance: false });
        fixture = await startFixtureHost({ clock });
        for (let i = 0; i < count; i++) await startOrchestration(fixture.host, 'incrementCounter', { key: 'shared', locked }, `increment-${i}`);
        clock.setAutoAdvance(true);
        await fixture.host.whenIdle();
        return fixture;
    }

    it('serializes 5 concurrent read-wait-write increments inside critical sections: none is lost', async () => {
        // Prepare
        const started = await startTogether(5, true);

        // Act
        const results = Array.from({ length: 5 }, (_, i) => output(started.host, `increment-${i}`) as number).sort((a, b) => a - b);

        // Assess
        expect(Array.from({ length: 5 }, (_, i) => record(started.host, `increment-${i}`).runtimeStatus)).toEqual(Array(5).fill('Completed'));
        expect(counterValue(started, 'shared')).toBe(5);
        // Each increment saw the previous one's write, a minute of orchestration time apart.
        expect(results).toEqual([1, 2, 3, 4, 5]);
        expect(started.host.clock.now()).toBe(START + 5 * 60_000);
    });

    it('frees the entity when its holder fails inside the critical section: the next holder runs', async () => {
        // Prepare
        const clock = new VirtualClock(START, { autoAdvance: false });
        fixture = await startFixtureHost({ clock });
        await startOrchestration(fixture.host, 'failsInsideLock', 'shared', 'failing-holder');
        await startOrchestration(fixture.host, 'incrementCounter', { key: 'shared', locked: true }, 'next-holder');

        // Act
        clock.setAutoAdvance(true);
        await fixture.host.whenIdle();

        // Assess
        expect(record(fixture.host, 'failing-holder').runtimeStatus).toBe('Failed');
        expect(record(fixture.host, 'next-holder').runtimeStatus).toBe('Completed');
        expect(counterValue(fixture, 'shared')).toBe(1);
    });

    it('loses increments without the critical section (the race the lock prevents)', async () => {
        // Prepare
        const started = await startTogether(5, false);

        // Act
        const value = counterValue(started, 'shared');

        // Assess
        expect(value).toBe(1);
    });

    it('writes a call, a lock and a release as EventSent and the answers as EventRaised named by the request id', async () => {
        // Prepare
        const started = await startTogether(1, true);

        // Act
        const history = record(started.host, 'increment-0').history;

        // Assess
        expect(eventNames(history)).toEqual(['ExecutionStarted', 'EventSent', 'EventRaised', 'EventSent', 'EventRaised', 'TimerCreated', 'TimerFired', 'EventSent', 'EventRaised', 'EventSent', 'ExecutionCompleted']);
        const sent = eventsOfType(history, EventType.EventSent);
        expect(sent.map((event) => [event.InstanceId, event.Name])).toEqual([
            ['@tally@shared', 'op'],
            ['@tally@shared', 'op'],
            ['@tally@shared', 'op'],
            ['@tally@shared', 'release'],
        ]);
        const ids = sent.slice(0, 3).map((event) => (JSON.parse(event.Input ?? '{}') as { id: string }).id);
        expect(eventsOfType(history, EventType.EventRaised).map((event) => event.Name)).toEqual(ids);
        expect(JSON.parse(sent[0]?.Input ?? '{}')).toMatchObject({ lockset: ['@tally@shared'], pos: 0, parent: 'increment-0' });
    });

    it('runs a signal before a later call from the same orchestration, in the order sent', async () => {
        // Prepare
        fixture = await startFixtureHost({ clock: new VirtualClock(START) });

        // Act
        await startOrchestration(fixture.host, 'signalCounter', 'signalled', 'signal-then-get');
        await fixture.host.whenIdle();

        // Assess
        expect(output(fixture.host, 'signal-then-get')).toBe(5);
    });
});
