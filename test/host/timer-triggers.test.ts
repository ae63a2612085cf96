import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../local/clock';
import { parseSchedule } from '../../local/host/timers/ncrontab';
import { ledger } from '../fixtures/app/ledger';
import { postJson, startFixtureHost, type FixtureHost } from './support/fixture-host';
import { output } from './support/history';

const MONDAY_9AM = Date.UTC(2026, 0, 5, 9, 0, 0);

describe('NCRONTAB schedules', () => {
    it.each([
        ['0 0 2 * * *', '2026-01-05T09:00:00Z', '2026-01-06T02:00:00.000Z'],
        ['0 */5 * * * *', '2026-01-05T09:02:30Z', '2026-01-05T09:05:00.000Z'],
        ['30 * * * * *', '2026-01-05T09:00:30Z', '2026-01-05T09:01:30.000Z'],
        ['0 30 9 * * 1-5', '2026-01-10T12:00:00Z', '2026-01-12T09:30:00.000Z'],
        ['0 30 9 * Jan Mon', '2026-01-27T10:00:00Z', '2027-01-04T09:30:00.000Z'],
        ['0 0 9-17/4 * * *', '2026-01-05T09:00:00Z', '2026-01-05T13:00:00.000Z'],
        ['0 0 0 29 2 *', '2026-01-05T00:00:00Z', '2028-02-29T00:00:00.000Z'],
        ['0 15 10 * * *', '2026-01-05T10:15:00Z', '2026-01-06T10:15:00.000Z'],
        ['00:10:00', '2026-01-05T09:00:00Z', '2026-01-05T09:10:00.000Z'],
    ])('"%s" after %s is %s', (expression, after, expected) => {
        // Act
        const next = parseSchedule(expression).next(Date.parse(after));

        // Assess
        expect(new Date(next).toISOString()).toBe(expected);
    });

    it.each([
        ['too few fields', '0 * *'],
        ['an hour out of range', '0 0 25 * * *'],
        ['a day of week out of range', '0 0 0 * * 8'],
        ['a bad step', '*/0 * * * * *'],
    ])('rejects a schedule with %s', (_label, expression) => {
        // Act
        const parse = () => parseSchedule(expression);

        // Assess
        expect(parse).toThrow(/Invalid timer schedule/);
    });
});

describe('timer triggers and the admin endpoint', () => {
    let fixture: FixtureHost | undefined;

    afterEach(async () => {
        await fixture?.host.stop();
        fixture = undefined;
        ledger().timers.length = 0;
        ledger().genericInputs.length = 0;
    });

    it('fires the schedule (read from an app setting) with a real Timer when the clock reaches it', async () => {
        // Prepare
        const clock = new VirtualClock(MONDAY_9AM, { autoAdvance: false });
        fixture = await startFixtureHost({ clock });
        await fixture.host.whenIdle();
        const before = ledger().timers.length;

        // Act
        clock.advanceTo(Date.UTC(2026, 0, 6, 2, 0, 0));
        await fixture.host.whenIdle();

        // Assess
        expect(before).toBe(0);
        expect(ledger().timers).toEqual([
            {
                isPastDue: false,
                schedule: { adjustForDST: true },
                scheduleStatus: { last: '2026-01-06T02:00:00.000Z', next: '2026-01-07T02:00:00.000Z', lastUpdated: '2026-01-06T02:00:00.000Z' },
            },
        ]);
        // The timer's time went through an activity (echo): the extension rewrites ISO-8601 strings (see azure-fidelity.test.ts).
        expect(output(fixture.host, 'nightly-1')).toBe('2026-01-06T02:00:00Z');
    });

    it('leaves out the schedule status of a schedule more frequent than once a minute (useMonitor defaults to false)', async () => {
        // Prepare
        const clock = new VirtualClock(MONDAY_9AM, { autoAdvance: false });
        fixture = await startFixtureHost({ clock, env: { NIGHTLY_SCHEDULE: '*/10 * * * * *' } });

        // Act
        clock.advanceBy(10_000);
        await fixture.host.whenIdle();

        // Assess
        expect(ledger().timers).toEqual([{ isPastDue: false, schedule: { adjustForDST: true }, scheduleStatus: null }]);
    });

    it('fires once, past due, when the clock jumps over several occurrences', async () => {
        // Prepare
        const clock = new VirtualClock(MONDAY_9AM, { autoAdvance: false });
        fixture = await startFixtureHost({ clock });

        // Act
        clock.advanceBy(3 * 24 * 3600_000);
        await fixture.host.whenIdle();

        // Assess
        expect(ledger().timers).toHaveLength(1);
        expect(ledger().timers[0]).toMatchObject({ isPastDue: true, scheduleStatus: { last: '2026-01-06T02:00:00.000Z', next: '2026-01-09T02:00:00.000Z' } });
    });

    it.each([
        ['a timer trigger with a Timer that has no schedule status', 'nightly', { input: '' }, () => ledger().timers, [{ isPastDue: false, schedule: { adjustForDST: true }, scheduleStatus: null }]],
        ['another non-HTTP trigger with the input', 'queueWork', { input: 'hello' }, () => ledger().genericInputs, ['hello']],
    ])('runs %s on POST /admin/functions/<name> with the master key (202)', async (_label, name, body, seen, expected) => {
        // Prepare
        fixture = await startFixtureHost({ clock: new VirtualClock(MONDAY_9AM) });

        // Act
        const response = await postJson(`${fixture.host.baseUrl}/admin/functions/${name}`, body, { 'x-functions-key': 'test-function-key' });
        await fixture.host.whenIdle();

        // Assess
        expect(response.status).toBe(202);
        expect(seen()).toMatchObject(expected);
    });

    it.each([
        ['without the key', 'nightly', {}, 401],
        ['for an unknown function', 'nothing', { 'x-functions-key': 'test-function-key' }, 404],
        ['for an HTTP function', 'hello', { 'x-functions-key': 'test-function-key' }, 400],
        ['for an orchestrator', 'fanOut', { 'x-functions-key': 'test-function-key' }, 400],
    ])('refuses the admin endpoint %s', async (_label, name, headers: Record<string, string>, status) => {
        // Prepare
        fixture = await startFixtureHost({ clock: new VirtualClock(MONDAY_9AM) });

        // Act
        const response = await postJson(`${fixture.host.baseUrl}/admin/functions/${name}`, {}, headers);

        // Assess
        expect(response.status).toBe(status);
    });

    it('refuses to start with a schedule it cannot parse, naming the schedule', async () => {
        // Act
        const start = startFixtureHost({ env: { NIGHTLY_SCHEDULE: '0 0 25 * * *' } });

        // Assess
        await expect(start).rejects.toThrow('Invalid timer schedule "0 0 25 * * *": "25" is outside 0-23.');
    });

    it('fireFunction settles when the invocation has finished and rejects what cannot be fired', async () => {
        // Prepare
        fixture = await startFixtureHost({ clock: new VirtualClock(MONDAY_9AM) });

        // Act
        await fixture.host.fireFunction('queueWork', { job: 1 });
        const refused = fixture.host.fireFunction('hello');

        // Assess
        expect(ledger().genericInputs).toEqual([{ job: 1 }]);
        await expect(refused).rejects.toThrow(/cannot be fired on demand: it is an HTTP function/);
    });
});
