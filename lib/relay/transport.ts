import type { RelayedResponse } from '../../agent/relay/types';

/** One HTTP request to an agent, addressed by its hybrid connection. */
export interface AgentTransportRequest {
    /** The path below the hybrid connection, e.g. "/ops/inventory". */
    readonly path: string;
    /** Lower-cased header names; the transport adds its own authorization. */
    readonly headers: Readonly<Record<string, string>>;
    readonly body: Buffer;
    readonly timeoutMs?: number;
}

/**
 * Carries signed agent requests to the on-premises side. Relay-level failures (no listener,
 * bad SAS, unknown hybrid connection, timeouts) throw TransientError or PermanentError from
 * lib/errors; whatever the agent itself answered is returned as is.
 */
export interface AgentTransport {
    send(hybridConnection: string, request: AgentTransportRequest): Promise<RelayedResponse>;
}
