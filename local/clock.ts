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

export class VirtualClock implements Clock {
    readonly virtual = true;
    private current: number;

    constructor(start: number | Date = Date.UTC(2026, 0, 5, 9, 0, 0)) {
        this.current = typeof start === 'number' ? start : start.getTime();
    }

    now(): number {
        return this.current;
    }

    /** Moves forward to `at`; never backwards. */
    advanceTo(at: number): void {
        if (at > this.current) this.current = at;
    }

    advanceBy(ms: number): void {
        this.current += Math.max(0, ms);
    }
}
