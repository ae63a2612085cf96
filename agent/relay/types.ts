/**
 * What the Hybrid Connections listener hands to the agent for each relayed HTTP request, and what
 * the agent answers. The listener knows nothing of operations or signatures; the agent knows
 * nothing of the relay.
 */
export interface RelayedRequest {
    readonly method: string;
    /** Path and query after the hybrid connection's own path, e.g. "/ops/inventory". */
    readonly path: string;
    /** Lower-cased header names. */
    readonly headers: Readonly<Record<string, string>>;
    readonly body: Buffer;
}

export interface RelayedResponse {
    readonly status: number;
    readonly headers: Readonly<Record<string, string>>;
    readonly body: Buffer;
}

export type RelayedRequestHandler = (request: RelayedRequest) => Promise<RelayedResponse>;
