import { openAgentRequestHandler } from '../../agent/open-agent-handler';
import type { AgentRequestHandler } from '../../agent/handler/request-handler';
import type { ExchangeShell } from '../../agent/exchange-shell';
import { HybridConnectionListener } from '../../agent/relay/hybrid-connection-listener';
import type { ProxyPolicy } from '../../agent/relay/outbound-proxy';
import type { RelayedRequest, RelayedResponse } from '../../agent/relay/types';
import type { Logger } from '../../lib/logger';

export interface LocalAgentOptions {
    readonly namespace: string;
    readonly hybridConnection: string;
    readonly listenRule: { readonly name: string; readonly key: string };
    readonly caPem: string;
    readonly sharedSecret: string;
    readonly dataFolder: string;
    readonly shell: ExchangeShell;
    /** Restart the agent right after the Nth operation has run, before its reply leaves. */
    readonly restartAfterOperations: readonly number[];
    /** Cuts the agent's relay connection as its process dying would (the local stack drops it at the relay stand-in). */
    readonly loseConnection?: () => void;
    /** The agent's outbound proxy, as on a server that reaches Azure only through one; direct by default. */
    readonly proxy?: ProxyPolicy;
    readonly logger?: Logger;
}

/**
 * The on-premises agent of a local world: the real request handler (its store and audit log in a
 * data folder) behind the real Hybrid Connections listener. A restart drops the reply in flight and
 * reopens both from the data folder, as a service restart would.
 */
export class LocalAgent {
    private handler: AgentRequestHandler | undefined;
    private listener: HybridConnectionListener | undefined;
    private operations = 0;
    private readonly restartAfter: Set<number>;
    private restarting: Promise<void> | undefined;
    private wanted = false;
    restarts = 0;

    constructor(private readonly options: LocalAgentOptions) {
        this.restartAfter = new Set(options.restartAfterOperations);
    }

    /** Also restarts after each of these operations (1-based), counted from now: fault injection in the middle of a world's life. */
    restartAfterOperations(ordinals: readonly number[]): void {
        for (const ordinal of ordinals) this.restartAfter.add(this.operations + ordinal);
    }

    /** True from start() until stop(), restarts included: the agent is meant to be connected. */
    get running(): boolean {
        return this.wanted;
    }

    async start(): Promise<void> {
        this.wanted = true;
        this.handler = await openAgentRequestHandler({ dataFolder: this.options.dataFolder, sharedSecret: this.options.sharedSecret, shell: this.options.shell });
        this.listener = new HybridConnectionListener({
            namespace: this.options.namespace,
            hybridConnection: this.options.hybridConnection,
            listenRule: this.options.listenRule,
            ca: this.options.caPem,
            shutdownGraceMs: 50,
            backoff: { initialDelayMs: 50, maxDelayMs: 1_000, multiplier: 2 },
            handler: (request) => this.handle(request),
            ...(this.options.proxy === undefined ? {} : { proxy: this.options.proxy }),
            ...(this.options.logger === undefined ? {} : { logger: this.options.logger }),
        });
        this.listener.start();
        await this.listener.connected();
    }

    /** Stops the agent and starts it again from its data folder. */
    async restart(): Promise<void> {
        this.restarts++;
        await this.shutDown();
        await this.start();
    }

    async stop(): Promise<void> {
        this.wanted = false;
        await this.shutDown();
    }

    private async shutDown(): Promise<void> {
        const listener = this.listener;
        this.listener = undefined;
        await listener?.close();
        await this.handler?.whenIdle();
        this.handler = undefined;
    }

    private async handle(request: RelayedRequest): Promise<RelayedResponse> {
        const handler = this.handler;
        if (!handler) return { status: 503, headers: {}, body: Buffer.from('agent restarting') };
        const response = await handler(request);
        if (request.path.startsWith('/ops/') && this.restartAfter.has(++this.operations)) {
            // The process dies with the reply unsent: its connection drops, then the service starts again.
            this.options.loseConnection?.();
            this.restarting = this.restart();
            await this.restarting;
            // The old process is gone: its reply never reaches the relay.
            return new Promise<RelayedResponse>(() => undefined);
        }
        return response;
    }

    /** Resolves once any restart in progress has finished. */
    async settled(): Promise<void> {
        await this.restarting;
    }
}
