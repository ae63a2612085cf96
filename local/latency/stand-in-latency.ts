import { isVirtualClock, type Clock } from '../clock';

/** The calls of a local world that take time in the real one, each simulated by one wait. */
export type LatencyKind = 'graphCall' | 'relayRoundTrip' | 'exchangeOperation';

export type LatencyMs = Readonly<Record<LatencyKind, number>>;

/**
 * Simulated answer times of the stand-ins (benchmarks): each Graph request, each relay round trip
 * and each Exchange operation waits its latency before it is answered. On a virtual clock the wait
 * is virtual time (VirtualClock.sleep), so a two-minute onboarding costs no real time.
 */
export interface StandInLatency {
    wait(kind: LatencyKind): Promise<void>;
}

export function clockLatency(clock: Clock, latencyMs: LatencyMs): StandInLatency {
    return {
        wait(kind) {
            const ms = latencyMs[kind];
            if (isVirtualClock(clock)) return clock.sleep(ms);
            return new Promise((resolve) => setTimeout(resolve, ms));
        },
    };
}
