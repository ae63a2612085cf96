import { isVirtualClock, type Clock } from '../clock';

/**
 * The calls of a local world that take time in the real one, each simulated by one wait.
 * serverOperation: one remote operation on one server inside an agent operation (an import, a
 * service restart), which the scripts run one server after the other.
 */
export type LatencyKind = 'graphCall' | 'relayRoundTrip' | 'exchangeOperation' | 'serverOperation';

export type LatencyMs = Readonly<Record<Exclude<LatencyKind, 'serverOperation'>, number>> & { readonly serverOperation?: number };

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
            const ms = latencyMs[kind] ?? 0;
            if (isVirtualClock(clock)) return clock.sleep(ms);
            return new Promise((resolve) => setTimeout(resolve, ms));
        },
    };
}
