import type { LatencyKind, StandInLatency } from '../../local/latency/stand-in-latency';

/** A stand-in latency that also counts the waits of each kind (to check a run against the model). */
export class CountingLatency implements StandInLatency {
    private readonly counts: Record<LatencyKind, number> = { graphCall: 0, relayRoundTrip: 0, exchangeOperation: 0, serverOperation: 0 };

    constructor(private readonly inner: StandInLatency) {}

    wait(kind: LatencyKind): Promise<void> {
        this.counts[kind] += 1;
        return this.inner.wait(kind);
    }

    count(kind: LatencyKind): number {
        return this.counts[kind];
    }
}
