import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../local/clock';
import { WorkScheduler } from '../../local/host/work-scheduler';

describe('the host work scheduler on the virtual clock', () => {
    it('moves the clock when queued work waits for a slot that sleeping work holds, instead of stalling', async () => {
        // Prepare
        const start = Date.UTC(2026, 0, 5, 9, 0, 0);
        const clock = new VirtualClock(start);
        const scheduler = new WorkScheduler(clock, 1, (error) => {
            throw error;
        });
        const finished: number[] = [];

        // Act
        for (let i = 0; i < 3; i++) {
            scheduler.enqueue(async () => {
                await clock.sleep(30_000);
                finished.push(clock.now() - start);
            });
        }
        const idle = await Promise.race([scheduler.whenIdle().then(() => 'idle'), new Promise((resolve) => setTimeout(() => resolve('stalled'), 2_000))]);
        scheduler.stop();

        // Assess
        expect(idle).toBe('idle');
        expect(finished).toEqual([30_000, 60_000, 90_000]);
    });

    it('moves the clock when running work waits on a resource that work sleeping on the clock holds', async () => {
        // Prepare: one connection; the holder answers after 30 s of virtual time, the second request waits for the connection.
        const start = Date.UTC(2026, 0, 5, 9, 0, 0);
        const clock = new VirtualClock(start);
        const scheduler = new WorkScheduler(clock, 10, (error) => {
            throw error;
        });
        let release: (() => void) | undefined;
        const connection = new Promise<void>((resolve) => {
            release = resolve;
        });
        const finished: number[] = [];

        // Act
        scheduler.enqueue(async () => {
            await clock.sleep(30_000);
            release?.();
            finished.push(clock.now() - start);
        });
        scheduler.enqueue(async () => {
            await connection;
            await clock.sleep(30_000);
            finished.push(clock.now() - start);
        });
        const idle = await Promise.race([scheduler.whenIdle().then(() => 'idle'), new Promise((resolve) => setTimeout(() => resolve('stalled'), 5_000))]);
        scheduler.stop();

        // Assess
        expect(idle).toBe('idle');
        expect(finished).toEqual([30_000, 60_000]);
    });
});
