import type { RelaySendFault, RelaySendFaultKind } from './stand-in-types';

/**
 * Which sender requests of a hybrid connection fail, and how: the plan counts the requests that
 * reach the relay with a valid Send token (1-based, from when the plan was set).
 */
export class SendFaultPlan {
    private seen = 0;
    private readonly byRequest: ReadonlyMap<number, RelaySendFaultKind>;

    constructor(
        faults: readonly RelaySendFault[],
        private readonly path: string | undefined,
    ) {
        this.byRequest = new Map(faults.map((fault) => [fault.request, fault.kind]));
    }

    /** Counts one sender request on `path` and returns the fault planned for it, if any. */
    next(path: string): RelaySendFaultKind | undefined {
        if (this.path !== undefined && this.path !== path) return undefined;
        this.seen += 1;
        return this.byRequest.get(this.seen);
    }
}
