import type { StatusFault } from '../scenario/faults-schema';

export interface InjectedFault {
    /** An HTTP status, or "reset" / "lostAnswer": the stand-in closes the connection without answering (see statusFaultSchema). */
    readonly status: StatusFault['status'];
    readonly retryAfterSeconds: number | undefined;
}

/** What a stand-in answers for a "reset" or "lostAnswer" fault: no answer, the connection closed. */
export const CONNECTION_RESET = { status: 0, reset: true } as const;

/**
 * Scripted failures for a stand-in: each fault lets `afterRequests` matching requests through, then
 * fails the next `count` ones. Matching is on "METHOD /path" containing `match`.
 */
export class FaultInjector {
    private readonly faults: { readonly spec: StatusFault; seen: number }[];

    constructor(specs: readonly StatusFault[] = []) {
        this.faults = specs.map((spec) => ({ spec, seen: 0 }));
    }

    add(spec: StatusFault): void {
        this.faults.push({ spec, seen: 0 });
    }

    next(method: string, path: string): InjectedFault | undefined {
        const line = `${method.toUpperCase()} ${path}`;
        for (const fault of this.faults) {
            if (fault.spec.match !== undefined && !line.includes(fault.spec.match)) continue;
            fault.seen += 1;
            const index = fault.seen - fault.spec.afterRequests;
            if (index >= 1 && index <= fault.spec.count) return { status: fault.spec.status, retryAfterSeconds: fault.spec.retryAfterSeconds };
        }
        return undefined;
    }
}
