import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../local/clock';
import { EventType } from '../../local/host';
import { postJson, startFixtureHost, startOrchestration, type FixtureHost } from './support/fixture-host';
import { eventNames, eventsOfType, output, record } from './support/history';

const START = Date.UTC(2026, 0, 5, 9, 0, 0);

/** The tally entity's scheduler state: who holds its lock and what waits in its queue. */
function lockOf(fixture: FixtureHost, key: string): { lockedBy: string | null; queue: unknown[] } {
    return JSON.parse(record(fixture.host, `@tally@${key}`).input ?? 'null') as { lockedBy: string | null; queue: unknown[] };
}

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

    it.each([
        { how: 'fails inside it, releasing in its finally', holder: 'failsInsideLock', status: 'Failed' },
        { how: 'returns inside it without releasing (the extension releases once the orchestrator returns)', holder: 'returnsInsideLock', status: 'Completed' },
    ])('frees the entity when its holder $how: the next holder runs', async ({ holder, status }) => {
        // Prepare
        const clock = new VirtualClock(START, { autoAdvance: false });
        fixture = await startFixtureHost({ clock });
        await startOrchestration(fixture.host, holder, 'shared', 'holder');
        await startOrchestration(fixture.host, 'incrementCounter', { key: 'shared', locked: true }, 'next-holder');

        // Act
        clock.setAutoAdvance(true);
        await fixture.host.whenIdle();

        // Assess
        expect(record(fixture.host, 'holder').runtimeStatus).toBe(status);
        expect(record(fixture.host, 'next-holder').runtimeStatus).toBe('Completed');
        expect(counterValue(fixture, 'shared')).toBe(1);
    });

    /** The Durable Functions HTTP API of the fixture host, with its system key. */
    function webhook(path: string): string {
        return `${fixture?.host.baseUrl ?? ''}/runtime/webhooks/durabletask/instances/${path}${path.includes('?') ? '&' : '?'}code=test-function-key`;
    }

    /** A holder of the tally's lock, terminated through the HTTP API while inside its critical section. */
    async function startTerminatedHolder(): Promise<FixtureHost> {
        const started = await startFixtureHost({ clock: new VirtualClock(START) });
        fixture = started;
        await startOrchestration(started.host, 'holdsLockUntilFinish', 'shared', 'holder');
        await started.host.whenIdle();
        await fetch(webhook('holder/terminate?reason=operator'), { method: 'POST' });
        await started.host.whenIdle();
        return started;
    }

    const endings = [
        { how: 'terminated through the HTTP API', holder: 'holdsLockUntilFinish', status: 'Terminated', end: () => fetch(webhook('holder/terminate?reason=operator'), { method: 'POST' }) },
        { how: 'failed without releasing', holder: 'failsInsideLockWithoutRelease', status: 'Failed', end: () => Promise.resolve(undefined) },
        { how: 'purged while running', holder: 'holdsLockUntilFinish', status: 'purged', end: () => fetch(webhook('holder'), { method: 'DELETE' }) },
    ];

    it.each(endings)('stops a later lock request loudly when the holder was $how: on Azure it would wait forever', async ({ holder, status, end }) => {
        // Prepare
        fixture = await startFixtureHost({ clock: new VirtualClock(START) });
        await startOrchestration(fixture.host, holder, 'shared', 'holder');
        await fixture.host.whenIdle();
        await end();
        await fixture.host.whenIdle();

        // Act
        await startOrchestration(fixture.host, 'incrementCounter', { key: 'shared', locked: true }, 'waiter');
        await fixture.host.whenIdle();

        // Assess
        const waiter = record(fixture.host, 'waiter');
        expect(waiter.runtimeStatus).toBe('Failed');
        expect(waiter.output).toContain("on Azure this instance would wait forever because its lock request on entity '@tally@shared' waits behind the lock of 'holder'");
        expect(waiter.output).toContain(`which ended (${status}) inside its critical section without releasing it`);
        expect(waiter.output).toContain('POST /runtime/webhooks/durabletask/instances/@tally@shared/raiseEvent/release with {"parent":"holder","id":"fix-orphaned-lock"}');
        // The entity stays locked by the holder, as on Azure; the stopped waiter no longer waits in its queue.
        expect(lockOf(fixture, 'shared')).toMatchObject({ lockedBy: 'holder', queue: [] });
    });

    it('stops a waiter already queued when the holder is terminated', async () => {
        // Prepare
        fixture = await startFixtureHost({ clock: new VirtualClock(START) });
        await startOrchestration(fixture.host, 'holdsLockUntilFinish', 'shared', 'holder');
        await fixture.host.whenIdle();
        await startOrchestration(fixture.host, 'incrementCounter', { key: 'shared', locked: true }, 'waiter');
        await fixture.host.whenIdle();
        expect(record(fixture.host, 'waiter').runtimeStatus).toBe('Running');

        // Act
        const terminated = await fetch(webhook('holder/terminate?reason=operator'), { method: 'POST' });
        await fixture.host.whenIdle();

        // Assess
        expect(terminated.status).toBe(202);
        expect(record(fixture.host, 'holder').runtimeStatus).toBe('Terminated');
        expect(record(fixture.host, 'waiter').runtimeStatus).toBe('Failed');
        expect(record(fixture.host, 'waiter').output).toContain("waits behind the lock of 'holder', which ended (Terminated)");
    });

    it('stops a plain call to the entity loudly too: it waits behind the ended holder like a lock request', async () => {
        // Prepare
        fixture = await startTerminatedHolder();

        // Act
        await startOrchestration(fixture.host, 'incrementCounter', { key: 'shared', locked: false }, 'caller');
        await fixture.host.whenIdle();

        // Assess
        expect(record(fixture.host, 'caller').runtimeStatus).toBe('Failed');
        expect(record(fixture.host, 'caller').output).toContain("its call 'get' to entity '@tally@shared' waits behind the lock of 'holder', which ended (Terminated)");
    });

    it('frees an entity whose holder was terminated when an operator raises release on it, as CleanEntityStorage does', async () => {
        // Prepare
        fixture = await startTerminatedHolder();
        const locked = (await (await fetch(webhook('?instanceIdPrefix=@tally@&showInput=false'))).json()) as { instanceId: string; runtimeStatus: string; customStatus: unknown }[];

        // Act
        const released = await postJson(webhook('@tally@shared/raiseEvent/release'), { parent: 'holder', id: 'fix-orphaned-lock' });
        await fixture.host.whenIdle();
        await startOrchestration(fixture.host, 'incrementCounter', { key: 'shared', locked: true }, 'next-holder');
        await fixture.host.whenIdle();

        // Assess
        expect(locked).toEqual([expect.objectContaining({ instanceId: '@tally@shared', runtimeStatus: 'Running', customStatus: { lockedBy: 'holder' } })]);
        expect(released.status).toBe(202);
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
