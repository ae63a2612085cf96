import type { Logger } from '../lib/logger';
import { HybridConnectionListener } from './relay/hybrid-connection-listener';
import type { ProxyPolicy } from './relay/outbound-proxy';
import type { RelayedRequestHandler } from './relay/types';

/** What the CLI needs of a relay listener; the Hybrid Connections listener in agent/relay provides it. */
export interface AgentListener {
    start(): void;
    /** Resolves once the control channel is up; rejects when the relay refuses the listener for good. */
    connected(): Promise<void>;
    close(): Promise<void>;
}

export interface AgentListenerOptions {
    readonly namespace: string;
    readonly hybridConnection: string;
    readonly listenRule: { readonly name: string; readonly key: string };
    readonly handler: RelayedRequestHandler;
    readonly ca?: string;
    readonly proxy?: ProxyPolicy;
    readonly logger?: Logger;
}

export type AgentListenerFactory = (options: AgentListenerOptions) => AgentListener;

export const createHybridConnectionListener: AgentListenerFactory = (options) => new HybridConnectionListener(options);
