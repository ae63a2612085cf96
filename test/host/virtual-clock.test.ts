import { afterEach, describe, expect, it } from 'vitest';
import { isVirtualClock, RealClock, VirtualClock } from '../../local/clock';
import { startFixtureHost, startOrchestration, type FixtureHost } from './support/fixture-host';
import { output, record } from './support/history';

const START = Date.UTC(2026, 0, 5, 9, 0, 0);

describe('VirtualClock', () => {
    it('moves only forward and tells its listeners', () => {
        // Prepare
        const clock = new VirtualClock(START);
        const seen: number[] = [];
        const stop = clock.onAdvance((now) => seen.push(now));

        // Act
        clock.advanceBy(1_000);
        clock.advanceTo(START);
        stop();
        clock.advanceBy(1_000);

        // Assess
        expect(clock.now()).toBe(START + 2_000);
        expect(seen).toEqual([START + 1_000]);
    });

    it.each([
        ['a virtual clock', new VirtualClock(), true],
        ['the real clock', new RealClock(), false],
    ])('recognizes %s', (_label, clock, expected) => {
        // Assess
        expect(isVirtualClock(clock)).toBe(expected);
    });
});

describe('durable timers on a virtual clock', () => {
    let fixture: FixtureHost | undefined;

    afterEach(async () => {
        await fixture?.host.stop();
        fixture = undefined;
    });

    it('waits for the test to move time when auto-advance is off', async () => {
        // Prepare
        const clock = new VirtualClock(START, { autoAdvance: false });
        fixture = await startFixtureHost({ clock });
        await startOrchestration(fixture.host, 'waitTwoMinutes', undefined, 'manual');

        // Act
        await fixture.host.whenIdle();
        const beforeAdvance = record(fixture.host, 'manual').runtimeStatus;
        clock.advanceBy(119_000);
        await fixture.host.whenIdle();
        const justBefore = record(fixture.host, 'manual').runtimeStatus;
        clock.advanceBy(1_000);
        await fixture.host.whenIdle();

        // Assess
        expect([beforeAdvance, justBefore]).toEqual(['Running', 'Running']);
        expect(record(fixture.host, 'manual').runtimeStatus).toBe('Completed');
    });

    it('fires durable timers and schedule occurrences in time order, moving the clock to each', async () => {
        // Prepare
        const clock = new VirtualClock(START, { autoAdvance: false });
        fixture = await startFixtureHost({ clock, env: { NIGHTLY_SCHEDULE: '0 30 9 * * *' } });
        await startOrchestration(fixture.host, 'awaitApproval', undefined, 'one-hour');
        await startOrchestration(fixture.host, 'waitTwoMinutes', undefined, 'two-minutes');

        // Act
        clock.setAutoAdvance(true);
        await fixture.host.whenIdle();

        // Assess
        expect(output(fixture.host, 'two-minutes')).toMatchObject({ resumedAt: '2026-01-05T09:02:00.000Z' });
        // The timer's time went through an activity (echo): the extension rewrites ISO-8601 strings (see azure-fidelity.test.ts).
        expect(output(fixture.host, 'nightly-1')).toBe('2026-01-05T09:30:00Z');
        expect(output(fixture.host, 'one-hour')).toEqual({ outcome: 'timed out', at: '2026-01-05T10:00:00.000Z' });
        expect(record(fixture.host, 'two-minutes').lastUpdatedTime).toBeLessThan(record(fixture.host, 'nightly-1').lastUpdatedTime);
        expect(fixture.host.clock.now()).toBe(START + 3_600_000);
    });

    it('does not move the clock for timer-trigger schedules alone', async () => {
        // Prepare
        fixture = await startFixtureHost({ clock: new VirtualClock(START) });

        // Act
        await fixture.host.whenIdle();

        // Assess
        expect(fixture.host.clock.now()).toBe(START);
    });
});
