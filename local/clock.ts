/**
 * Time for the local world (host timers, simulated Exchange, stand-ins). Real by default; virtual in
 * tests, where the local host advances it to each durable timer's fire time instead of waiting.
 */
export interface Clock {
    /** Milliseconds since the epoch. */
    now(): number;
    readonly virtual: boolean;
}

export class RealClock implements Clock {
    readonly virtual = false;
    now(): number {
        return Date.now();
    }
}

export interface VirtualClockOptions {
    /**
     * When true (the default) the local host moves this clock to the next durable timer as soon as it
     * has nothing else to run. When false, time moves only through `advanceTo`/`advanceBy`, which
     * lets a test decide what happens before a timer fires (an external event racing a timeout).
     */
    readonly autoAdvance?: boolean;
}

export type ClockListener = (now: number) => void;

export class VirtualClock implements Clock {
    readonly virtual = true;
    private auto: boolean;
    private holds = 0;
    private current: number;
    private readonly listeners = new Set<ClockListener>();
    private readonly sleeps: { readonly at: number; readonly wake: () => void }[] = [];

    constructor(start: number | Date = Date.UTC(2026, 0, 5, 9, 0, 0), options: VirtualClockOptions = {}) {
        this.current = typeof start === 'number' ? start : start.getTime();
        this.auto = options.autoAdvance ?? true;
    }

    /** True when the host may move this clock to the next durable timer: auto-advance is on and nothing holds it. */
    get autoAdvance(): boolean {
        return this.auto && this.holds === 0;
    }

    /**
     * Suspends auto-advance until the returned function is called (once is enough; more is harmless),
     * for a part of the world that catches up in real time: while a local agent reconnects, minutes
     * of durable retries must not fly past in a few milliseconds.
     */
    hold(): () => void {
        this.holds += 1;
        let released = false;
        return () => {
            if (released) return;
            released = true;
            this.holds -= 1;
            this.notify();
        };
    }

    /**
     * Turns auto-advance on or off, e.g. off while a test starts several orchestrations over HTTP
     * (which would otherwise race the clock), then on to let their timers run.
     */
    setAutoAdvance(on: boolean): void {
        this.auto = on;
        this.notify();
    }

    now(): number {
        return this.current;
    }

    /** Moves forward to `at`; never backwards. */
    advanceTo(at: number): void {
        if (at <= this.current) return;
        this.current = at;
        this.wakeDueSleeps();
        this.notify();
    }

    /**
     * Resolves once this clock has moved `ms` forward: a simulated latency (a stand-in's answer time)
     * on virtual time. The local host treats work that waits here as blocked on the clock, and moves
     * the clock to the earliest wake-up once everything it runs is blocked (see WorkScheduler).
     */
    sleep(ms: number): Promise<void> {
        if (ms <= 0) return Promise.resolve();
        return new Promise<void>((wake) => {
            this.sleeps.push({ at: this.current + ms, wake });
            this.notify();
        });
    }

    /** How many sleep() calls are waiting for the clock. */
    get sleepers(): number {
        return this.sleeps.length;
    }

    /** When the earliest pending sleep() wakes up, if any. */
    nextWakeAt(): number | undefined {
        let next: number | undefined;
        for (const sleep of this.sleeps) if (next === undefined || sleep.at < next) next = sleep.at;
        return next;
    }

    private wakeDueSleeps(): void {
        for (let i = this.sleeps.length - 1; i >= 0; i--) {
            const sleep = this.sleeps[i];
            if (sleep === undefined || sleep.at > this.current) continue;
            this.sleeps.splice(i, 1);
            sleep.wake();
        }
    }

    advanceBy(ms: number): void {
        this.advanceTo(this.current + Math.max(0, ms));
    }

    private notify(): void {
        for (const listener of [...this.listeners]) listener(this.current);
    }

    /** Called after every forward move (and auto-advance change); returns the function that stops listening. */
    onAdvance(listener: ClockListener): () => void {
        this.listeners.add(listener);
        return () => {
            this.listeners.delete(listener);
        };
    }
}

/** Structural, so a clock from another copy of this module (test runners reload modules) still counts. */
export function isVirtualClock(clock: Clock): clock is VirtualClock {
    const candidate = clock as Partial<VirtualClock>;
    return clock.virtual && typeof candidate.advanceTo === 'function' && typeof candidate.onAdvance === 'function';
}
