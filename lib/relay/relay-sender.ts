import { type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { TokenCredential } from '@azure/identity';
import type { RelayedResponse } from '../../agent/relay/types';
import { currentInvocationLogger, Logger, silentSink } from '../logger';
import { ConfigurationError, PushProxyError, TransientError } from '../errors';
import { RelayTokenSource, relayTokenScope } from './relay-entra';
import { retryEvent } from '../contracts/retry-policies';
import { relayNetworkFailure, relayResponseTooLarge, relayStatusFailure, relayTimeoutFailure, retryAfterMs, type RelayTarget } from './relay-failures';
import { parseRelayNamespace, type RelayNamespaceAddress } from './relay-namespace';
import { createSasToken, relayResourceUri } from './sas-token';
import type { AgentTransport, AgentTransportRequest } from './transport';

export interface RelaySenderOptions {
    /** "contoso.servicebus.windows.net", or "127.0.0.1:port" for the local stand-in. */
    readonly namespace: string;
    /** A shared access rule with the Send right on the hybrid connections addressed (the local stand-in). */
    readonly sendRule?: { readonly name: string; readonly key: string };
    /**
     * Or Microsoft Entra ID: a credential whose identity holds Azure Relay Sender on the namespace, and
     * the token scope (default: the namespace's cloud, relayTokenScope). Exactly one of the two.
     */
    readonly entra?: { readonly credential: TokenCredential; readonly scope?: string };
    /** PEM of an extra CA to trust (local stand-ins); otherwise the system trust store. */
    readonly ca?: string;
    /** Per-request limit unless the request sets one; above the relay's own 60 s, so its 504 surfaces first. */
    readonly defaultTimeoutMs?: number;
    readonly tokenTtlSeconds?: number;
    readonly maxResponseBytes?: number;
    /** How long an idle connection is kept for the next request; keep it well below the relay's own idle limit. */
    readonly idleConnectionTimeoutMs?: number;
    /** Connections open at once; further requests wait for one to be free. */
    readonly maxConnections?: number;
    readonly logger?: Logger;
    readonly now?: () => number;
}

const DEFAULT_TIMEOUT_MS = 70_000;
const DEFAULT_TOKEN_TTL_SECONDS = 15 * 60;
const DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024;
/**
 * A request sent on an idle connection the server has just closed fails (ECONNRESET); closing idle
 * connections first avoids that. Node also honours a shorter Keep-Alive hint from the server.
 */
const DEFAULT_IDLE_CONNECTION_TIMEOUT_MS = 15_000;
/** Above the activities a worker runs at once (host.json maxConcurrentActivityFunctions). */
const DEFAULT_MAX_CONNECTIONS = 64;
const MAX_IDLE_CONNECTIONS = 16;
/** How a kept connection that the other end has closed fails a request written to it. */
const DROPPED_CONNECTION_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);

/** Headers the sender sets itself; a caller's copy is dropped. */
const OWN_HEADERS = new Set(['servicebusauthorization', 'authorization', 'content-length', 'host', 'connection', 'transfer-encoding']);

function flattenHeaders(headers: IncomingHttpHeaders): Record<string, string> {
    const flat: Record<string, string> = {};
    for (const [name, value] of Object.entries(headers)) {
        if (value === undefined) continue;
        flat[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    return flat;
}

/**
 * Sends agent requests through Azure Relay Hybrid Connections: HTTPS POST to
 * `https://<namespace>/<hybridConnection><path>` with a Send SAS token in `ServiceBusAuthorization`,
 * or an Entra ID access token in `Authorization` (lib/relay/relay-entra.ts says why that works).
 * An answer carrying `Via` came from the listener and is returned as is; without it the relay
 * answered itself and the status becomes a TransientError or PermanentError.
 */
export class RelaySender implements AgentTransport {
    private readonly address: RelayNamespaceAddress;
    private readonly logger: Logger;
    private readonly now: () => number;
    /** Keeps connections (and their TLS sessions) open between requests. */
    private readonly agent: HttpsAgent;
    /** A new connection for the one retry of a request whose kept connection the relay had dropped. */
    private readonly freshAgent: HttpsAgent;
    private readonly entraTokens: RelayTokenSource | undefined;
    private inFlight = 0;
    private closed = false;

    constructor(private readonly options: RelaySenderOptions) {
        this.address = parseRelayNamespace(options.namespace);
        if ((options.sendRule === undefined) === (options.entra === undefined)) {
            throw new ConfigurationError('The relay sender needs exactly one of a Send rule and an Entra ID credential.', { remedy: 'Set PPO_RELAY_AUTH to entra or sas (see README, "App settings").' });
        }
        this.entraTokens = options.entra === undefined ? undefined : new RelayTokenSource(options.entra.credential, options.entra.scope ?? relayTokenScope(options.namespace), options.now);
        this.logger = (options.logger ?? new Logger({}, silentSink)).child({ component: 'relay-sender' });
        this.now = options.now ?? Date.now;
        this.agent = new HttpsAgent({
            keepAlive: true,
            maxSockets: options.maxConnections ?? DEFAULT_MAX_CONNECTIONS,
            maxFreeSockets: MAX_IDLE_CONNECTIONS,
            // Closes idle connections only: a request in progress is bounded by its own timeout.
            timeout: options.idleConnectionTimeoutMs ?? DEFAULT_IDLE_CONNECTION_TIMEOUT_MS,
            ...(options.ca === undefined ? {} : { ca: options.ca }),
        });
        this.freshAgent = new HttpsAgent({ keepAlive: false, ...(options.ca === undefined ? {} : { ca: options.ca }) });
    }

    async send(hybridConnection: string, request: AgentTransportRequest): Promise<RelayedResponse> {
        if (this.closed) throw new TransientError('relay-sender-closed', `The relay sender for ${this.options.namespace} was closed (its Send key changed); the call is retried with the new key.`);
        const target: RelayTarget = { namespace: this.options.namespace, hybridConnection, path: request.path };
        const timeoutMs = request.timeoutMs ?? this.options.defaultTimeoutMs ?? DEFAULT_TIMEOUT_MS;
        const started = this.now();
        this.inFlight += 1;
        try {
            const authorization = await this.authorizationFor(hybridConnection);
            const response = await this.exchange(hybridConnection, request, target, timeoutMs, authorization);
            this.logger.debug('relay request answered', { hybridConnection, path: request.path, status: response.status, durationMs: this.now() - started });
            return response;
        } catch (error) {
            const failure = error as PushProxyError;
            this.logger.warn('relay request failed', { hybridConnection, path: request.path, code: failure.code, transient: failure.transient, durationMs: this.now() - started });
            throw failure;
        } finally {
            this.inFlight -= 1;
            if (this.closed && this.inFlight === 0) this.destroyAgents();
        }
    }

    private destroyAgents(): void {
        this.agent.destroy();
        this.freshAgent.destroy();
    }

    /** Refuses further requests and closes the connections once the requests in flight have their answers. */
    close(): void {
        this.closed = true;
        if (this.inFlight === 0) this.destroyAgents();
    }

    /** The header that authorizes the request: a SAS token in ServiceBusAuthorization, or the Entra ID token in Authorization. */
    private async authorizationFor(hybridConnection: string): Promise<readonly [string, string]> {
        if (this.entraTokens !== undefined) return ['authorization', await this.entraTokens.token()];
        const rule = this.options.sendRule!;
        const token = createSasToken({
            resourceUri: relayResourceUri(this.options.namespace, hybridConnection),
            keyName: rule.name,
            key: rule.key,
            ttlSeconds: this.options.tokenTtlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS,
            now: this.now,
        });
        return ['servicebusauthorization', token];
    }

    private headersFor(request: AgentTransportRequest, authorization: readonly [string, string]): Record<string, string> {
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(request.headers)) {
            if (!OWN_HEADERS.has(name.toLowerCase())) headers[name] = value;
        }
        headers['content-length'] = String(request.body.length);
        headers[authorization[0]] = authorization[1];
        return headers;
    }

    /**
     * The relay drops a sender connection, without `Connection: close`, when the listener drops the
     * rendezvous kept for it ("If the listener chooses to drop the rendezvous WebSocket from its side,
     * the service will also drop the connection to the sender, irrespective of whether a subsequent
     * request might already be in progress": Azure Relay Hybrid Connections protocol, "Request
     * message"). A request sent on such a kept connection fails before any byte of its answer; it is
     * sent once more on a new connection, as .NET's HttpClient does. That is safe: agent operations
     * carry ids and the agent answers a repeated id from its store without running it again.
     */
    private async exchange(
        hybridConnection: string,
        request: AgentTransportRequest,
        target: RelayTarget,
        timeoutMs: number,
        authorization: readonly [string, string],
    ): Promise<RelayedResponse> {
        const deadline = this.now() + timeoutMs;
        const first = await this.attempt(request, target, timeoutMs, this.agent, authorization);
        if (!('droppedKeptConnection' in first)) return first.response;
        const notice = retryEvent({ service: 'relay', operation: request.path, attempt: 1, of: 2, errorClass: 'DroppedKeptConnection', errorCode: 'relay_connection_dropped', waitMs: 0 });
        (currentInvocationLogger() ?? this.logger).warn(`relay ${request.path}: the kept connection was dropped before the answer; sending once more on a new connection`, { hybridConnection, ...notice });
        const second = await this.attempt(request, target, Math.max(1, deadline - this.now()), this.freshAgent, authorization);
        if ('droppedKeptConnection' in second) throw second.droppedKeptConnection;
        return second.response;
    }

    private attempt(
        request: AgentTransportRequest,
        target: RelayTarget,
        timeoutMs: number,
        agent: HttpsAgent,
        authorization: readonly [string, string],
    ): Promise<{ response: RelayedResponse } | { droppedKeptConnection: PushProxyError }> {
        return new Promise((resolve, reject) => {
            let settled = false;
            const finish = (outcome: () => void): void => {
                if (settled) return;
                settled = true;
                clearTimeout(timer);
                outcome();
            };
            const outgoing = httpsRequest({
                host: this.address.hostname,
                port: this.address.port,
                method: 'POST',
                path: `/${encodeURIComponent(target.hybridConnection)}${request.path.startsWith('/') ? '' : '/'}${request.path}`,
                headers: this.headersFor(request, authorization),
                agent,
            });
            // Any byte from the relay counts as the start of an answer: after one, the request is never sent again.
            let answered = false;
            outgoing.once('socket', (socket) => {
                const onData = (): void => {
                    answered = true;
                };
                socket.on('data', onData);
                outgoing.once('close', () => socket.off('data', onData));
            });
            const timer = setTimeout(() => {
                finish(() => reject(relayTimeoutFailure(target, timeoutMs)));
                outgoing.destroy();
            }, timeoutMs);
            outgoing.on('error', (error) => {
                const failure = relayNetworkFailure(error, target);
                // Node reports a connection that ended before any byte of the answer as ECONNRESET ("socket hang up").
                const droppedBeforeAnswer = !answered && outgoing.reusedSocket && DROPPED_CONNECTION_CODES.has((error as NodeJS.ErrnoException).code ?? '');
                finish(() => (droppedBeforeAnswer ? resolve({ droppedKeptConnection: failure }) : reject(failure)));
            });
            outgoing.on('response', (incoming) => {
                this.readBody(incoming, target).then(
                    (body) => finish(() => {
                        const outcome = this.interpret(incoming, body, target);
                        if (outcome instanceof PushProxyError) reject(outcome);
                        else resolve({ response: outcome });
                    }),
                    (failure: Error) => finish(() => reject(failure)),
                );
            });
            outgoing.end(request.body);
        });
    }

    private readBody(incoming: IncomingMessage, target: RelayTarget): Promise<Buffer> {
        const limit = this.options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
        return new Promise<Buffer>((resolve, reject) => {
            // Refused by its declared length before a byte of it is read; a body without one is counted as it arrives.
            const declared = Number(incoming.headers['content-length'] ?? 0);
            if (declared > limit) {
                incoming.destroy();
                reject(relayResponseTooLarge(target, limit));
                return;
            }
            const chunks: Buffer[] = [];
            let size = 0;
            incoming.on('data', (chunk: Buffer) => {
                size += chunk.length;
                if (size > limit) {
                    incoming.destroy();
                    reject(relayResponseTooLarge(target, limit));
                    return;
                }
                chunks.push(chunk);
            });
            incoming.on('end', () => resolve(Buffer.concat(chunks, size)));
            incoming.on('error', (error) => reject(relayNetworkFailure(error, target)));
            incoming.on('close', () => {
                if (!incoming.complete) reject(relayNetworkFailure(Object.assign(new Error('response cut short'), { code: 'ECONNRESET' }), target));
            });
        });
    }

    private interpret(incoming: IncomingMessage, body: Buffer, target: RelayTarget): RelayedResponse | PushProxyError {
        const status = incoming.statusCode ?? 0;
        const headers = flattenHeaders(incoming.headers);
        // The relay adds Via to what the listener answered; its own errors carry none.
        const fromListener = headers.via !== undefined;
        if (fromListener || status < 400) return { status, headers, body };
        return relayStatusFailure(status, target, body.toString('utf8'), retryAfterMs(headers['retry-after'], this.now()));
    }
}
