import { randomUUID } from 'node:crypto';
import { type ClientOptions, WebSocket } from 'ws';
import { PermanentError, type PushProxyError, TransientError } from '../../lib/errors';
import { Logger, silentSink } from '../../lib/logger';
import { MAX_REQUEST_BODY_BYTES } from '../../lib/protocol/request-body';
import { parseRelayNamespace } from '../../lib/relay/relay-namespace';
import { createSasToken, relayResourceUri } from '../../lib/relay/sas-token';
import { scheduleKeepAlive, scheduleTokenRenewal } from './control-channel-timers';
import { type FramedMessage, readFramedMessages } from './framed-channel';
import { controlChannelFailure } from './listener-failures';
import { connectThroughProxy, NO_PROXY_POLICY, proxyFor, type ProxyPolicy } from './outbound-proxy';
import { DEFAULT_BACKOFF, reconnectDelayMs, type BackoffPolicy } from './reconnect-backoff';
import { type ExchangeContext, serveControlChannelRequest, serveRendezvousRequest } from './request-exchange';
import type { RelayedRequestHandler } from './types';
import { closeWebSocket, openWebSocket } from './websocket-connections';

export type ListenerState = 'idle' | 'connecting' | 'connected' | 'waiting-to-reconnect' | 'closing' | 'closed';

export interface ListenerStateChange {
    readonly state: ListenerState;
    readonly previous: ListenerState;
    /** Why the last connection ended or failed, when it did. */
    readonly error?: PushProxyError;
    readonly reconnectInMs?: number;
}

export interface HybridConnectionListenerOptions {
    /** "contoso.servicebus.windows.net", or "127.0.0.1:port" for the local stand-in. */
    readonly namespace: string;
    readonly hybridConnection: string;
    /** A shared access rule with the Listen right. */
    readonly listenRule: { readonly name: string; readonly key: string };
    readonly handler: RelayedRequestHandler;
    /** PEM of an extra CA to trust (local stand-ins); otherwise the system trust store. */
    readonly ca?: string;
    /** The outbound HTTP proxy for the control channel and the rendezvous sockets; direct by default. */
    readonly proxy?: ProxyPolicy;
    readonly tokenTtlSeconds?: number;
    /** Renew this long before expiry, or at half the token's remaining life when that is sooner. */
    readonly tokenRenewMarginSeconds?: number;
    readonly backoff?: Partial<BackoffPolicy>;
    /** Unsolicited pongs keep NATs and load balancers from dropping an idle control channel. */
    readonly keepAliveIntervalMs?: number;
    /**
     * How long a rendezvous socket is kept without a request before the listener closes it (the relay
     * then drops that sender connection; a sender retries a request that meets such a drop).
     */
    readonly rendezvousIdleTimeoutMs?: number;
    /** How long close() waits for requests in progress to be answered. */
    readonly shutdownGraceMs?: number;
    /**
     * The largest message read from a rendezvous socket (the request's body is one message); 1 MiB,
     * the agent's request limit, by default. A longer one is refused before it is held (see
     * openRendezvous).
     */
    readonly maxRequestBodyBytes?: number;
    readonly logger?: Logger;
    readonly now?: () => number;
    readonly random?: () => number;
}

const DEFAULT_TOKEN_TTL_SECONDS = 3600;
const DEFAULT_RENEW_MARGIN_SECONDS = 300;
const DEFAULT_KEEP_ALIVE_MS = 30_000;
const DEFAULT_SHUTDOWN_GRACE_MS = 10_000;
/** Longer than senders keep an idle connection (RelaySender: 15 s), so the sender's side normally ends it first. */
const DEFAULT_RENDEZVOUS_IDLE_MS = 120_000;
const HANDSHAKE_TIMEOUT_MS = 30_000;
/** Control-channel bodies are at most 64 kB; rendezvous sockets carry whole requests (maxRequestBodyBytes). */
const CONTROL_MAX_PAYLOAD = 1024 * 1024;

/**
 * Listens on an Azure Relay hybrid connection with the documented listener protocol: a control
 * channel WebSocket (`wss://<namespace>/$hc/<path>?sb-hc-action=listen`, Listen SAS token),
 * `request` messages in HTTP mode with rendezvous sockets for bodies over 64 kB, `renewToken`
 * before expiry, and reconnection with growing, capped, jittered delays.
 */
export class HybridConnectionListener {
    private current: ListenerState = 'idle';
    private control: WebSocket | undefined;
    private attempt = 0;
    private lastFailure: PushProxyError | undefined;
    private reconnectTimer: NodeJS.Timeout | undefined;
    private readonly stateListeners = new Set<(change: ListenerStateChange) => void>();
    private readonly inFlight = new Set<Promise<void>>();
    private readonly rendezvousSockets = new Set<WebSocket>();
    private readonly logger: Logger;
    private readonly now: () => number;
    private readonly backoff: BackoffPolicy;
    private readonly exchange: ExchangeContext;

    constructor(private readonly options: HybridConnectionListenerOptions) {
        parseRelayNamespace(options.namespace);
        this.logger = (options.logger ?? new Logger({}, silentSink)).child({ component: 'relay-listener', hybridConnection: options.hybridConnection });
        this.now = options.now ?? Date.now;
        this.backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
        this.exchange = {
            hybridConnection: options.hybridConnection,
            handler: options.handler,
            openRendezvous: (address) => this.openRendezvous(address),
            logger: this.logger,
            rendezvousReadTimeoutMs: 60_000,
            rendezvousIdleTimeoutMs: options.rendezvousIdleTimeoutMs ?? DEFAULT_RENDEZVOUS_IDLE_MS,
            track: (work) => this.track(work),
        };
    }

    get state(): ListenerState {
        return this.current;
    }

    /** Starts listening; reconnects by itself until close(). */
    start(): void {
        if (this.current !== 'idle') return;
        this.connect();
    }

    /**
     * Resolves once the control channel is up. Rejects when the listener closes first, or when the
     * relay refuses it for a reason retrying cannot fix (bad Listen rule or key, unknown hybrid
     * connection); the listener itself keeps retrying in the background.
     */
    connected(): Promise<void> {
        if (this.current === 'connected') return Promise.resolve();
        if (this.current === 'closed' || this.current === 'closing') return Promise.reject(this.closedError());
        if (this.lastFailure instanceof PermanentError) return Promise.reject(this.lastFailure);
        return new Promise<void>((resolve, reject) => {
            const unsubscribe = this.onStateChange((change) => {
                if (change.state === 'connected') {
                    unsubscribe();
                    resolve();
                } else if (change.state === 'closing' || change.state === 'closed') {
                    unsubscribe();
                    reject(this.closedError());
                } else if (change.error instanceof PermanentError) {
                    unsubscribe();
                    reject(change.error);
                }
            });
        });
    }

    onStateChange(listener: (change: ListenerStateChange) => void): () => void {
        this.stateListeners.add(listener);
        return () => this.stateListeners.delete(listener);
    }

    /** Stops reconnecting, closes the control channel, and lets requests in progress answer (bounded). */
    async close(): Promise<void> {
        if (this.current === 'closed' || this.current === 'closing') return;
        this.setState('closing');
        clearTimeout(this.reconnectTimer);
        const control = this.control;
        this.control = undefined;
        if (control !== undefined) await closeWebSocket(control, 'listener shutting down');
        await this.settleInFlight(this.options.shutdownGraceMs ?? DEFAULT_SHUTDOWN_GRACE_MS);
        for (const socket of this.rendezvousSockets) socket.terminate();
        this.setState('closed');
    }

    private closedError(): TransientError {
        return new TransientError('relay-listener-closed', `The listener on hybrid connection "${this.options.hybridConnection}" was closed`);
    }

    private setState(state: ListenerState, details: { error?: PushProxyError; reconnectInMs?: number } = {}): void {
        const previous = this.current;
        this.current = state;
        if (details.error !== undefined) this.lastFailure = details.error;
        if (state === 'connected') this.lastFailure = undefined;
        const change: ListenerStateChange = { state, previous, ...details };
        for (const listener of [...this.stateListeners]) listener(change);
    }

    private newToken(): string {
        return createSasToken({
            resourceUri: relayResourceUri(this.options.namespace, this.options.hybridConnection),
            keyName: this.options.listenRule.name,
            key: this.options.listenRule.key,
            ttlSeconds: this.options.tokenTtlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS,
            now: this.now,
        });
    }

    private listenUrl(): string {
        const { authority } = parseRelayNamespace(this.options.namespace);
        return `wss://${authority}/$hc/${encodeURIComponent(this.options.hybridConnection)}?sb-hc-action=listen&sb-hc-id=${randomUUID()}`;
    }

    private connect(): void {
        this.setState('connecting');
        const token = this.newToken();
        const url = this.listenUrl();
        const socket = new WebSocket(url, {
            headers: { ServiceBusAuthorization: token },
            perMessageDeflate: false,
            maxPayload: CONTROL_MAX_PAYLOAD,
            handshakeTimeout: HANDSHAKE_TIMEOUT_MS,
            ...this.connectionOptions(url),
        });
        this.control = socket;
        let refusedStatus: number | undefined;
        let failure: Error | undefined;
        const stops: (() => void)[] = [];
        socket.on('unexpected-response', (_request, response) => {
            refusedStatus = response.statusCode;
            response.resume();
            socket.terminate();
        });
        socket.on('error', (error) => {
            failure = error;
        });
        socket.on('open', () => {
            this.attempt = 0;
            stops.push(
                scheduleTokenRenewal(socket, {
                    firstToken: token,
                    newToken: () => this.newToken(),
                    marginMs: (this.options.tokenRenewMarginSeconds ?? DEFAULT_RENEW_MARGIN_SECONDS) * 1000,
                    now: this.now,
                    logger: this.logger,
                }),
                scheduleKeepAlive(socket, this.options.keepAliveIntervalMs ?? DEFAULT_KEEP_ALIVE_MS),
            );
            this.setState('connected');
            this.logger.info('listening on the relay');
        });
        readFramedMessages(
            socket,
            (framed) => this.onControlMessage(socket, framed),
            (reason) => this.logger.warn('control channel protocol violation', { reason }),
        );
        socket.on('close', (code: number, reason: Buffer) => {
            for (const stop of stops) stop();
            if (this.control !== socket) return;
            this.control = undefined;
            const who = { namespace: this.options.namespace, hybridConnection: this.options.hybridConnection, ruleName: this.options.listenRule.name };
            this.onControlChannelEnded(controlChannelFailure({ refusedStatus, closeCode: code, closeReason: reason.toString('utf8'), socketError: failure }, who));
        });
    }

    private onControlMessage(socket: WebSocket, { message, body }: FramedMessage): void {
        if (message.kind === 'request') {
            if (message.request.method !== undefined) this.track(serveControlChannelRequest(this.exchange, socket, message.request, body));
            else if (message.request.address !== undefined) this.track(serveRendezvousRequest(this.exchange, message.request.address));
            else this.logger.warn('request without method or address ignored');
        } else if (message.kind === 'accept') {
            this.track(this.rejectWebSocket(message.address));
        } else {
            this.logger.warn('unrecognized control channel message ignored', { kind: message.kind });
        }
    }

    private onControlChannelEnded(error: PushProxyError): void {
        if (this.current === 'closing' || this.current === 'closed') return;
        this.attempt += 1;
        const delay = reconnectDelayMs(this.attempt, this.backoff, this.options.random ?? Math.random);
        this.logger.warn('control channel lost; reconnecting', { code: error.code, error: error.message, attempt: this.attempt, reconnectInMs: delay });
        this.setState('waiting-to-reconnect', { error, reconnectInMs: delay });
        this.reconnectTimer = setTimeout(() => this.connect(), delay);
    }

    /**
     * TLS trust and, unless NO_PROXY exempts the host, the proxy tunnel for one WebSocket. Rendezvous
     * addresses name other gateway hosts than the namespace, so each URL is looked at on its own.
     */
    private connectionOptions(url: string): ClientOptions {
        const { hostname, port } = new URL(url);
        const proxy = proxyFor(this.options.proxy ?? NO_PROXY_POLICY, hostname.replace(/^\[(.*)\]$/, '$1'), port === '' ? 443 : Number(port));
        return {
            ...(this.options.ca === undefined ? {} : { ca: this.options.ca }),
            // ws types createConnection as net's synchronous one; Node's ClientRequest also takes the callback form used here.
            ...(proxy === undefined ? {} : { createConnection: connectThroughProxy(proxy) as unknown as ClientOptions['createConnection'] }),
        };
    }

    /**
     * The relay strips Content-Length (RFC 7230 headers are not forwarded: protocol guide, "Request
     * message"), so the only declared length is each frame's. ws's maxPayload refuses a frame whose
     * header declares more, and a fragmented message as soon as its fragments add up to more
     * (ws/lib/receiver.js, haveLength), before holding it: the socket is closed with 1009, "message
     * too big" (RFC 6455, 7.4.1), and the relay drops the sender's connection with it.
     */
    private async openRendezvous(address: string): Promise<WebSocket> {
        const limit = this.options.maxRequestBodyBytes ?? MAX_REQUEST_BODY_BYTES;
        const socket = await openWebSocket(address, {
            perMessageDeflate: false,
            maxPayload: limit,
            handshakeTimeout: HANDSHAKE_TIMEOUT_MS,
            ...this.connectionOptions(address),
        });
        socket.on('error', (error: Error & { code?: string }) => {
            if (error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') this.logger.warn(`request refused: a message over ${limit} bytes on a rendezvous socket, which is closed (1009)`, { code: 'body_too_large', limit });
            else this.logger.warn('rendezvous socket failed', { error: error.message });
        });
        this.rendezvousSockets.add(socket);
        socket.once('close', () => this.rendezvousSockets.delete(socket));
        return socket;
    }

    /** This agent serves HTTP only; WebSocket senders are turned away as the protocol describes. */
    private async rejectWebSocket(address: string): Promise<void> {
        const separator = address.includes('?') ? '&' : '?';
        const url = `${address}${separator}sb-hc-statusCode=501&sb-hc-statusDescription=${encodeURIComponent('WebSocket connections are not served')}`;
        await this.openRendezvous(url).then(
            (socket) => socket.close(1000),
            () => undefined, // the relay answers the rejection handshake with 410 by design
        );
    }

    private track(work: Promise<void>): void {
        const tracked = work.catch((error: unknown) => this.logger.warn('relayed request could not be answered', { error })).finally(() => this.inFlight.delete(tracked));
        this.inFlight.add(tracked);
    }

    /** Waits, within the grace, until no request is in progress: one that ends may have started another step (its answer over a rendezvous). */
    private async settleInFlight(graceMs: number): Promise<void> {
        if (this.inFlight.size === 0) return;
        let timer: NodeJS.Timeout | undefined;
        let graceOver = false;
        const grace = new Promise<void>((resolve) => {
            timer = setTimeout(() => {
                graceOver = true;
                resolve();
            }, graceMs);
        });
        while (this.inFlight.size > 0 && !graceOver) await Promise.race([Promise.allSettled([...this.inFlight]), grace]);
        clearTimeout(timer);
    }
}
