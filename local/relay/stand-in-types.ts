import type { Logger } from '../../lib/logger';
import type { Clock } from '../clock';
import type { StandInLatency } from '../latency/stand-in-latency';
import type { ServerTlsMaterial, TestCertificateAuthority } from '../tls/test-authority';

export interface SasRule {
    readonly name: string;
    readonly key: string;
}

/** A hybrid connection with its two shared access rules, as configured on a real namespace. */
export interface StandInHybridConnection {
    readonly path: string;
    readonly listenRule: SasRule;
    readonly sendRule: SasRule;
}

export interface RelayStandInOptions {
    /** A server certificate, or the authority to issue one; by default a fresh TestCertificateAuthority. */
    readonly tls?: ServerTlsMaterial | TestCertificateAuthority;
    readonly hybridConnections: readonly StandInHybridConnection[];
    /** How long a listener has to answer before the sender gets 504 (Azure: 60 s). */
    readonly answerTimeoutMs?: number;
    /** Judges token expiry; real time by default. */
    readonly clock?: Clock;
    readonly logger?: Logger;
    /**
     * The host name rendezvous addresses name. The service hands out addresses on other gateway hosts
     * than the namespace (guide, "Accept message": `wss://dc-node.servicebus.windows.net:443/$hc/...`);
     * "localhost" here lets a test see that (the stand-in's certificate covers it). The namespace's host by default.
     */
    readonly rendezvousHost?: string;
    /** Simulated round-trip time, waited before routing each sender request (benchmarks); none by default. */
    readonly latency?: StandInLatency;
}

export type RelayChannel = 'control' | 'rendezvous';

/**
 * A failure injected into one sender request: `busy` answers 503 ServerBusy (Retry-After 1) before
 * forwarding; `reset` closes the sender's connection before forwarding; `timeout` forwards, lets the
 * listener run the request, then answers 504 as if its answer came too late; `drop` cuts the
 * listener's control channel once it has run the request (the answer is lost, the sender's
 * connection fails, the listener reconnects).
 */
export type RelaySendFaultKind = 'busy' | 'reset' | 'timeout' | 'drop';

export interface RelaySendFault {
    /** 1-based ordinal of the sender request on the hybrid connection, counted from injectSendFaults(). */
    readonly request: number;
    readonly kind: RelaySendFaultKind;
}

export interface ExchangeRecord {
    readonly path: string;
    readonly method: string;
    readonly requestTarget: string;
    readonly requestBytes: number;
    readonly responseBytes: number;
    readonly status: number;
    readonly requestChannel: RelayChannel;
    readonly responseChannel: RelayChannel;
}

export type StandInEvent =
    | { readonly type: 'listener-connected'; readonly path: string; readonly listenerId: string; readonly tokenExpiresAtSeconds: number }
    | { readonly type: 'listener-disconnected'; readonly path: string; readonly listenerId: string; readonly code: number }
    | { readonly type: 'token-renewed'; readonly path: string; readonly listenerId: string; readonly tokenExpiresAtSeconds: number; readonly atMs: number }
    | { readonly type: 'exchange-completed'; readonly record: ExchangeRecord }
    | { readonly type: 'rendezvous-connected'; readonly path: string }
    | { readonly type: 'relay-answered'; readonly path: string; readonly status: number; readonly reason: string };

export interface RelayStandIn {
    /** "127.0.0.1:<port>": what senders and listeners use as the namespace. */
    readonly namespace: string;
    /** The CA that senders and listeners must trust. */
    readonly caPem: string;
    listenerCount(path: string): number;
    /** Observes listener, token and exchange activity; returns the unsubscribe function. */
    onEvent(listener: (event: StandInEvent) => void): () => void;
    /** Cuts listener control channels now, as a network drop would; returns how many. */
    dropListeners(path?: string): number;
    /** A hybrid connection created at run time (through Azure Resource Manager: relay-management-stand-in.ts); replaces one of the same path. */
    addHybridConnection(hybridConnection: StandInHybridConnection): void;
    /** Deletes a hybrid connection; its listeners are cut. */
    removeHybridConnection(path: string): boolean;
    hasHybridConnection(path: string): boolean;
    /** Cuts listener control channels right after the next `count` answered requests. */
    dropListenersAfterRequests(count: number, path?: string): void;
    /**
     * Cuts listener control channels in the middle of the given sender requests (1-based, counted from
     * this call): the listener has run the request, but its answer is lost with the connection and
     * the sender's connection fails.
     */
    dropListenersDuringRequests(ordinals: readonly number[], path?: string): void;
    /** Fails the planned sender requests (replacing any earlier plan): see RelaySendFault. */
    injectSendFaults(faults: readonly RelaySendFault[], path?: string): void;
    /** Holds every sender request this long before routing it. */
    setDelayMs(ms: number): void;
    /** Answers the next `count` sender requests with 503, as an overloaded relay would. */
    refuseNext503(count: number): void;
    stop(): Promise<void>;
}
