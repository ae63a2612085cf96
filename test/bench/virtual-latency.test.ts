import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../local/clock';
import { WorkScheduler } from '../../local/host/work-scheduler';
import { clockLatency } from '../../local/latency/stand-in-latency';

const START = Date.UTC(2026, 0, 5, 9);

describe('simulated latencies on the virtual clock (bench B1)', () => {
    it('let parallel calls overlap and interleave with durable timers in time order', async () => {
        // Prepare
        const clock = new VirtualClock(START);
        const scheduler = new WorkScheduler(clock, 10, (error) => {
            throw error;
        });
        const latency = clockLatency(clock, { graphCall: 300, relayRoundTrip: 150, exchangeOperation: 2_000 });
        const seen: string[] = [];
        const at = (what: string): void => {
            seen.push(`${what}@${clock.now() - START}`);
        };

        // Act
        scheduler.enqueue(async () => {
            await latency.wait('relayRoundTrip');
            at('relay');
            await latency.wait('exchangeOperation');
            at('exchange');
        });
        scheduler.enqueue(async () => {
            await latency.wait('graphCall');
            at('graph');
        });
        scheduler.schedule({ at: START + 1_000, drivesClock: true, fire: () => at('timer') });
        await scheduler.whenIdle();
        scheduler.stop();

        // Assess
        expect(seen).toEqual(['relay@150', 'graph@300', 'timer@1000', 'exchange@2150']);
    });

    it('hold the clock while any running work is not waiting on it', async () => {
        // Prepare
        const clock = new VirtualClock(START);
        const scheduler = new WorkScheduler(clock, 10, (error) => {
            throw error;
        });
        let release: () => void = () => undefined;
        const realWork = new Promise<void>((resolve) => {
            release = resolve;
        });
        let sleptUntil = 0;

        // Act
        scheduler.enqueue(async () => {
            await clock.sleep(500);
            sleptUntil = clock.now() - START;
        });
        scheduler.enqueue(() => realWork);
        await new Promise((resolve) => setImmediate(resolve));
        const whileBusy = clock.now() - START;
        release();
        await scheduler.whenIdle();
        scheduler.stop();

        // Assess
        expect(whileBusy).toBe(0);
        expect(sleptUntil).toBe(500);
    });
});
