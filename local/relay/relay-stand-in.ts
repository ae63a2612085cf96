import { once } from 'node:events';
import { type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { readFramedMessages } from '../../agent/relay/framed-channel';
import { isHopHeader } from '../../agent/relay/protocol-messages';
import { Logger, silentSink } from '../../lib/logger';
import { RealClock, type Clock } from '../clock';
import { type ServerTlsMaterial, TestCertificateAuthority } from '../tls/test-authority';
import { KeptRendezvous } from './kept-rendezvous';
import { ListenerRegistry, type ListenerConnection } from './listener-registry';
import { RelayExchange, type ForwardedRequest, type ListenerAnswer } from './relay-exchange';
import { refuseUpgrade, replyAsRelay } from './relay-replies';
import { forwardedHeaders, header, rawTargetWithoutRelayParameters, readBody } from './sender-request';
import { authorizeRelayToken } from './stand-in-auth';
import { SendFaultPlan } from './send-faults';
import { WebSocketConnects } from './websocket-connect';
import type { RelaySendFault, RelayStandIn, RelayStandInOptions, StandInEvent, StandInHybridConnection } from './stand-in-types';

export type { ExchangeRecord, RelaySendFault, RelaySendFaultKind, RelayStandIn, RelayStandInOptions, SasRule, StandInEvent, StandInHybridConnection } from './stand-in-types';

const HOST = '127.0.0.1';
const DEFAULT_ANSWER_TIMEOUT_MS = 60_000;
const MAX_REQUEST_BYTES = 64 * 1024 * 1024;
const MAX_WEBSOCKET_PAYLOAD = 64 * 1024 * 1024;
/** How long an idle sender connection stays open: longer than senders keep theirs (RelaySender: 15 s), as a relay front end does. */
const SENDER_IDLE_LIMIT_MS = 60_000;

/**
 * Starts an Azure Relay Hybrid Connections stand-in on loopback: HTTPS for senders, WSS for
 * listeners (control channel and rendezvous), SAS checks with separate Listen and Send rules.
 */
export async function startRelayStandIn(options: RelayStandInOptions): Promise<RelayStandIn> {
    const standIn = new RelayStandInServer(options);
    await standIn.listen();
    return standIn;
}

class RelayStandInServer implements RelayStandIn {
    namespace = '';
    readonly caPem: string;
    private readonly server: Server;
    private readonly sockets = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: MAX_WEBSOCKET_PAYLOAD });
    private readonly listeners = new ListenerRegistry();
    private readonly exchanges = new Map<string, RelayExchange>();
    /** The sender connection each exchange came on, and the rendezvous kept for a sender connection. */
    private readonly senderOf = new WeakMap<RelayExchange, Socket>();
    private readonly keptFor = new WeakMap<Socket, KeptRendezvous>();
    private readonly connects = new WebSocketConnects(this.sockets, () => this.namespace);
    private readonly eventListeners = new Set<(event: StandInEvent) => void>();
    private readonly clock: Clock;
    private readonly logger: Logger;
    private readonly answerTimeoutMs: number;
    private delayMs = 0;
    private refusalsLeft = 0;
    private dropAfter: { remaining: number; path: string | undefined } | undefined;
    private dropDuring: { seen: number; ordinals: ReadonlySet<number>; path: string | undefined } | undefined;
    private sendFaults = new SendFaultPlan([], undefined);
    private readonly pendingDelays = new Set<() => void>();
    private stopped = false;
    /** The namespace's hybrid connections: the configured ones, and those created or deleted through Azure Resource Manager since. */
    private readonly hybridConnections: StandInHybridConnection[];

    constructor(private readonly options: RelayStandInOptions) {
        this.hybridConnections = [...options.hybridConnections];
        const tls = serverTls(options.tls);
        this.caPem = tls.caPem;
        this.clock = options.clock ?? new RealClock();
        this.logger = (options.logger ?? new Logger({}, silentSink)).child({ component: 'relay-stand-in' });
        this.answerTimeoutMs = options.answerTimeoutMs ?? DEFAULT_ANSWER_TIMEOUT_MS;
        this.server = createServer({ key: tls.keyPem, cert: tls.certPem }, (request, response) => {
            this.onSenderRequest(request, response).catch((error: unknown) => {
                this.logger.error('sender request failed in the stand-in', { error });
                if (!response.headersSent) replyAsRelay(response, 500, 'InternalError: the stand-in failed');
                else response.destroy();
            });
        });
        this.server.keepAliveTimeout = SENDER_IDLE_LIMIT_MS;
        this.server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => this.onUpgrade(request, socket, head));
    }

    async listen(): Promise<void> {
        this.server.listen(0, HOST);
        await once(this.server, 'listening');
        this.namespace = `${HOST}:${(this.server.address() as AddressInfo).port}`;
    }

    /** Where rendezvous addresses point: another host name for the same port when the options ask for one. */
    private gatewayAuthority(): string {
        const host = this.options.rendezvousHost;
        return host === undefined ? this.namespace : `${host}:${(this.server.address() as AddressInfo).port}`;
    }

    addHybridConnection(hybridConnection: StandInHybridConnection): void {
        this.removeHybridConnection(hybridConnection.path);
        this.hybridConnections.push(hybridConnection);
    }

    removeHybridConnection(path: string): boolean {
        const index = this.hybridConnections.findIndex((hc) => hc.path.toLowerCase() === path.toLowerCase());
        if (index < 0) return false;
        this.hybridConnections.splice(index, 1);
        // A deleted entity's listeners lose their control channel (the service closes it).
        this.dropListeners(path);
        return true;
    }

    hasHybridConnection(path: string): boolean {
        return this.hybridConnections.some((hc) => hc.path.toLowerCase() === path.toLowerCase());
    }

    listenerCount(path: string): number {
        return this.listeners.count(path);
    }

    onEvent(listener: (event: StandInEvent) => void): () => void {
        this.eventListeners.add(listener);
        return () => this.eventListeners.delete(listener);
    }

    dropListeners(path?: string): number {
        const dropped = this.listeners.all(path);
        for (const connection of dropped) connection.socket.terminate();
        return dropped.length;
    }

    dropListenersAfterRequests(count: number, path?: string): void {
        this.dropAfter = { remaining: count, path };
    }

    dropListenersDuringRequests(ordinals: readonly number[], path?: string): void {
        this.dropDuring = { seen: 0, ordinals: new Set(ordinals), path };
    }

    injectSendFaults(faults: readonly RelaySendFault[], path?: string): void {
        this.sendFaults = new SendFaultPlan(faults, path);
    }

    setDelayMs(ms: number): void {
        this.delayMs = Math.max(0, ms);
    }

    refuseNext503(count: number): void {
        this.refusalsLeft = Math.max(0, count);
    }

    async stop(): Promise<void> {
        this.stopped = true;
        for (const release of this.pendingDelays) release();
        this.connects.stop();
        for (const exchange of this.exchanges.values()) exchange.fail('relay-stopped');
        for (const connection of this.listeners.all()) connection.socket.terminate();
        for (const client of this.sockets.clients) client.terminate();
        this.sockets.close();
        const closed = once(this.server, 'close');
        this.server.close();
        this.server.closeAllConnections();
        await closed;
    }

    /** A fault-injected wait that stop() cuts short. */
    private delay(ms: number): Promise<void> {
        return new Promise<void>((resolve) => {
            const release = (): void => {
                clearTimeout(timer);
                this.pendingDelays.delete(release);
                resolve();
            };
            const timer = setTimeout(release, ms);
            this.pendingDelays.add(release);
        });
    }

    private emit(event: StandInEvent): void {
        for (const listener of [...this.eventListeners]) listener(event);
    }

    private hybridConnectionAt(path: string): StandInHybridConnection | undefined {
        const lower = path.toLowerCase();
        return this.hybridConnections.find((hc) => lower === `/${hc.path.toLowerCase()}` || lower.startsWith(`/${hc.path.toLowerCase()}/`));
    }

    // ---- senders (HTTPS) ----

    private async onSenderRequest(request: IncomingMessage, response: ServerResponse): Promise<void> {
        const url = new URL(request.url ?? '/', `https://${this.namespace}`);
        const hybridConnection = this.hybridConnectionAt(decodeURIComponent(url.pathname));
        const answerAsRelay = (status: number, reason: string, headers: Record<string, string> = {}): void => {
            request.resume();
            this.emit({ type: 'relay-answered', path: hybridConnection?.path ?? url.pathname, status, reason });
            replyAsRelay(response, status, reason, headers);
        };
        // The service's text for a path that names no hybrid connection; "no listeners" is another 404 (see onUpgrade).
        if (hybridConnection === undefined) return answerAsRelay(404, 'Endpoint does not exist');

        const headerToken = header(request, 'servicebusauthorization');
        const queryToken = url.searchParams.get('sb-hc-token') ?? undefined;
        const usesAuthorizationHeader = headerToken === undefined && queryToken === undefined;
        const token = headerToken ?? queryToken ?? header(request, 'authorization');
        const auth = authorizeRelayToken(token, hybridConnection, 'Send', HOST, this.clock);
        if (!auth.granted) return answerAsRelay(auth.status, auth.detail);

        const fault = this.sendFaults.next(hybridConnection.path);
        if (fault === 'busy') return answerAsRelay(503, 'ServerBusy: the relay cannot take the request now', { 'retry-after': '1' });
        if (fault === 'reset') {
            request.resume();
            return void response.destroy();
        }
        if (this.refusalsLeft > 0) {
            this.refusalsLeft -= 1;
            return answerAsRelay(503, 'ServerBusy: the relay cannot take the request now', { 'retry-after': '1' });
        }
        const body = await readBody(request, MAX_REQUEST_BYTES);
        if (body === undefined) return answerAsRelay(413, 'RequestTooLarge: the request body is too large');
        if (this.delayMs > 0) await this.delay(this.delayMs);
        if (this.options.latency !== undefined) await this.options.latency.wait('relayRoundTrip');
        if (this.stopped) return void response.destroy();

        // A sender connection with a rendezvous goes on over it; the others go to a listener's control channel.
        const kept = this.keptFor.get(request.socket);
        const via = kept?.open === true ? kept : this.listeners.pick(hybridConnection.path);
        if (via === undefined) return answerAsRelay(502, 'NoListener: there is no active listener for this hybrid connection');

        const forwarded: ForwardedRequest = {
            method: request.method ?? 'GET',
            requestTarget: rawTargetWithoutRelayParameters(request.url ?? '/'),
            headers: forwardedHeaders(request, usesAuthorizationHeader, HOST),
            body,
        };
        const answer = await this.route(hybridConnection.path, via, forwarded, request.socket);
        if (answer === 'undeliverable') return answerAsRelay(502, 'NoListener: the listener went away before the request reached it');
        if (answer === 'timeout') return answerAsRelay(504, 'GatewayTimeout: the listener did not answer in time');
        if (fault === 'timeout') return answerAsRelay(504, 'GatewayTimeout: the listener did not answer in time');
        if (fault === 'drop') this.dropListeners(hybridConnection.path);
        if (answer === 'dropped' || fault === 'drop' || this.dropsDuring(hybridConnection.path)) {
            response.destroy();
            return;
        }
        this.writeListenerAnswer(response, answer.answered);
        this.completed(hybridConnection.path, forwarded, answer.answered, answer.requestChannel);
    }

    private async route(
        path: string,
        via: ListenerConnection | KeptRendezvous,
        forwarded: ForwardedRequest,
        sender: Socket,
    ): Promise<'undeliverable' | 'timeout' | 'dropped' | { answered: ListenerAnswer; requestChannel: 'control' | 'rendezvous' }> {
        const exchange = new RelayExchange(path, forwarded, (id) => `wss://${this.gatewayAuthority()}/$hc/${encodeURIComponent(path)}?sb-hc-action=request&sb-hc-id=${id}`);
        this.exchanges.set(exchange.id, exchange);
        this.senderOf.set(exchange, sender);
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<'timeout'>((resolve) => {
            timer = setTimeout(() => resolve('timeout'), this.answerTimeoutMs);
        });
        try {
            const dispatching = via instanceof KeptRendezvous ? exchange.dispatchOverRendezvous(via) : exchange.dispatch(via.socket);
            const dispatched = await dispatching.then(
                () => true,
                () => false,
            );
            if (!dispatched) return 'undeliverable';
            const outcome = await Promise.race([exchange.outcome, timeout]);
            if (outcome === 'timeout') return 'timeout';
            if ('failed' in outcome) return 'dropped';
            return { answered: outcome.answered, requestChannel: exchange.requestChannel };
        } finally {
            clearTimeout(timer);
            this.exchanges.delete(exchange.id);
            exchange.dispose();
        }
    }

    /** True when this answered request is one the fault drops the control channel in the middle of. */
    private dropsDuring(path: string): boolean {
        const drop = this.dropDuring;
        if (drop === undefined || (drop.path !== undefined && drop.path !== path)) return false;
        drop.seen += 1;
        if (!drop.ordinals.has(drop.seen)) return false;
        this.dropListeners(path);
        return true;
    }

    private writeListenerAnswer(response: ServerResponse, answer: ListenerAnswer): void {
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(answer.headers)) if (!isHopHeader(name)) headers[name.toLowerCase()] = value;
        headers.via = headers.via === undefined ? `1.1 ${HOST}` : `${headers.via}, 1.1 ${HOST}`;
        headers['content-length'] = String(answer.body.length);
        response.writeHead(answer.status, answer.description ?? '', headers);
        response.end(answer.body);
    }

    private completed(path: string, forwarded: ForwardedRequest, answer: ListenerAnswer, requestChannel: 'control' | 'rendezvous'): void {
        this.emit({
            type: 'exchange-completed',
            record: {
                path,
                method: forwarded.method,
                requestTarget: forwarded.requestTarget,
                requestBytes: forwarded.body.length,
                responseBytes: answer.body.length,
                status: answer.status,
                requestChannel,
                responseChannel: answer.channel,
            },
        });
        const drop = this.dropAfter;
        if (drop === undefined || (drop.path !== undefined && drop.path !== path)) return;
        drop.remaining -= 1;
        if (drop.remaining > 0) return;
        this.dropAfter = undefined;
        this.dropListeners(drop.path);
    }

    // ---- listeners (WSS) ----

    private onUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
        const url = new URL(request.url ?? '/', `https://${this.namespace}`);
        const prefix = '/$hc/';
        const path = decodeURIComponent(url.pathname);
        if (!path.startsWith(prefix)) return refuseUpgrade(socket, 404, 'Endpoint does not exist');
        const action = url.searchParams.get('sb-hc-action');
        // A sender may add a suffix to the path ("hyco/suffix?param=value": guide, "Web Socket connect protocol"), which the accept address keeps.
        const below = path.slice(prefix.length - 1);
        const hybridConnection = action === 'connect' || action === 'accept' ? this.hybridConnectionAt(below) : this.hybridConnections.find((hc) => `/${hc.path.toLowerCase()}` === below.toLowerCase());
        if (hybridConnection === undefined) return refuseUpgrade(socket, 404, 'Endpoint does not exist');
        if (action === 'listen') return this.acceptListener(request, socket, head, url, hybridConnection);
        if (action === 'request') return this.acceptRendezvous(request, socket, head, url);
        if (action === 'connect') return this.offerConnect(request, socket, head, url, hybridConnection);
        if (action === 'accept') return this.connects.answer(request, socket, head, url);
        // Guide, "Responding via rendezvous": 400 "Unrecognized action or URL not valid".
        return refuseUpgrade(socket, 400, `InvalidRequest: unrecognized action "${action ?? ''}"`);
    }

    /**
     * A sender's WebSocket connect: Send token as for HTTP; without a listener the service answers
     * "404 There are no listeners connected for the endpoint" (seen from Azure Arc's and Power
     * Automate's relay clients), which heals when a listener connects.
     */
    private offerConnect(request: IncomingMessage, socket: Duplex, head: Buffer, url: URL, hybridConnection: StandInHybridConnection): void {
        const token = header(request, 'servicebusauthorization') ?? url.searchParams.get('sb-hc-token') ?? undefined;
        const auth = authorizeRelayToken(token, hybridConnection, 'Send', HOST, this.clock);
        if (!auth.granted) return refuseUpgrade(socket, auth.status, auth.detail);
        const listener = this.listeners.pick(hybridConnection.path);
        if (listener === undefined) return refuseUpgrade(socket, 404, 'There are no listeners connected for the endpoint');
        this.connects.offer(request, socket, head, listener.socket);
    }

    private acceptListener(request: IncomingMessage, socket: Duplex, head: Buffer, url: URL, hybridConnection: StandInHybridConnection): void {
        const token = header(request, 'servicebusauthorization') ?? url.searchParams.get('sb-hc-token') ?? undefined;
        const auth = authorizeRelayToken(token, hybridConnection, 'Listen', HOST, this.clock);
        if (!auth.granted) return refuseUpgrade(socket, auth.status, auth.detail);
        this.sockets.handleUpgrade(request, socket, head, (ws) => {
            const connection = this.listeners.add(hybridConnection.path, ws);
            this.expireAt(connection, auth.expiresAtSeconds);
            readFramedMessages(
                ws,
                (framed) => {
                    const message = framed.message;
                    if (message.kind === 'response') this.exchanges.get(message.response.requestId)?.answer(message.response, framed.body, 'control');
                    else if (message.kind === 'renewToken') this.renew(connection, hybridConnection, message.token);
                },
                (reason) => ws.close(1008, `protocol violation: ${reason}`),
            );
            ws.on('close', (code: number) => {
                this.listeners.remove(connection);
                this.emit({ type: 'listener-disconnected', path: hybridConnection.path, listenerId: connection.id, code });
            });
            this.emit({ type: 'listener-connected', path: hybridConnection.path, listenerId: connection.id, tokenExpiresAtSeconds: auth.expiresAtSeconds });
        });
    }

    /** The service drops a control channel at its token's expiry unless renewToken replaced the token. */
    private expireAt(connection: ListenerConnection, expiresAtSeconds: number): void {
        clearTimeout(connection.expiryTimer);
        connection.expiryTimer = setTimeout(() => connection.socket.close(1008, 'ExpiredToken: the listener token has expired'), Math.max(0, expiresAtSeconds * 1000 - this.clock.now()));
    }

    private renew(connection: ListenerConnection, hybridConnection: StandInHybridConnection, token: string): void {
        const auth = authorizeRelayToken(token, hybridConnection, 'Listen', HOST, this.clock);
        if (!auth.granted) {
            connection.socket.close(1008, `renewToken refused: ${auth.detail}`);
            return;
        }
        this.expireAt(connection, auth.expiresAtSeconds);
        this.emit({ type: 'token-renewed', path: hybridConnection.path, listenerId: connection.id, tokenExpiresAtSeconds: auth.expiresAtSeconds, atMs: this.clock.now() });
    }

    private acceptRendezvous(request: IncomingMessage, socket: Duplex, head: Buffer, url: URL): void {
        const exchange = this.exchanges.get(url.searchParams.get('sb-hc-id') ?? '');
        const sender = exchange === undefined ? undefined : this.senderOf.get(exchange);
        if (exchange === undefined || sender === undefined || exchange.hasRendezvous) return refuseUpgrade(socket, 403, 'Forbidden: the rendezvous address is not valid or has expired');
        this.sockets.handleUpgrade(request, socket, head, (ws) => {
            const kept = new KeptRendezvous(ws, sender, () => {
                if (this.keptFor.get(sender) === kept) this.keptFor.delete(sender);
            });
            this.keptFor.set(sender, kept);
            this.emit({ type: 'rendezvous-connected', path: exchange.path });
            exchange.takeOver(kept).catch((error: unknown) => {
                this.logger.warn('request could not be handed over on the rendezvous', { error });
                ws.terminate();
            });
        });
    }
}

function serverTls(tls: RelayStandInOptions['tls']): ServerTlsMaterial {
    if (tls instanceof TestCertificateAuthority) return tls.issueServerCertificate();
    return tls ?? new TestCertificateAuthority().issueServerCertificate();
}
