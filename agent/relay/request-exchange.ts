import { STATUS_CODES } from 'node:http';
import { WebSocket } from 'ws';
import { type Logger } from '../../lib/logger';
import { readFramedMessages, sendFramed } from './framed-channel';
import { CONTROL_CHANNEL_BODY_LIMIT, endToEndHeaders, type RequestMessage } from './protocol-messages';
import type { RelayedRequest, RelayedRequestHandler, RelayedResponse } from './types';

export interface ExchangeContext {
    readonly hybridConnection: string;
    readonly handler: RelayedRequestHandler;
    /** Opens a WebSocket to a rendezvous address given by the relay (trusting the configured CA). */
    readonly openRendezvous: (address: string) => Promise<WebSocket>;
    readonly logger: Logger;
    /** How long to wait for the relay to deliver a request over a fresh rendezvous socket. */
    readonly rendezvousReadTimeoutMs: number;
    /** How long a rendezvous socket is kept without a request before the listener closes it. */
    readonly rendezvousIdleTimeoutMs: number;
    /** Counts a request in progress, so that close() lets it answer. */
    readonly track: (work: Promise<void>) => void;
}

/** The relay reserves these for itself: a listener's 502 or 504 would read as a relay failure. */
const RELAY_RESERVED_STATUSES = new Set([502, 504]);

/** The path after the hybrid connection's own path: "/hc/ops/x?y" becomes "/ops/x?y". */
export function pathBelowHybridConnection(requestTarget: string, hybridConnection: string): string {
    const prefixes = [`/${hybridConnection}`, `/${encodeURIComponent(hybridConnection)}`];
    for (const prefix of prefixes) {
        if (!requestTarget.toLowerCase().startsWith(prefix.toLowerCase())) continue;
        const rest = requestTarget.slice(prefix.length);
        if (rest === '') return '/';
        if (rest.startsWith('/')) return rest;
        if (rest.startsWith('?')) return `/${rest}`;
    }
    return requestTarget;
}

async function invoke(context: ExchangeContext, request: RequestMessage, body: Buffer | undefined): Promise<RelayedResponse> {
    const relayed: RelayedRequest = {
        method: request.method ?? 'GET',
        path: pathBelowHybridConnection(request.requestTarget ?? '/', context.hybridConnection),
        headers: endToEndHeaders(request.requestHeaders ?? {}),
        body: body ?? Buffer.alloc(0),
    };
    try {
        const response = await context.handler(relayed);
        if (!RELAY_RESERVED_STATUSES.has(response.status)) return response;
        context.logger.warn('listener answer status replaced: the relay reserves it', { status: response.status, path: relayed.path });
        return { ...response, status: 500 };
    } catch (error) {
        context.logger.error('request handler failed', { path: relayed.path, error });
        return { status: 500, headers: {}, body: Buffer.alloc(0) };
    }
}

function responseMessage(requestId: string, response: RelayedResponse): unknown {
    return {
        response: {
            requestId,
            statusCode: response.status,
            statusDescription: STATUS_CODES[response.status] ?? 'Unknown',
            responseHeaders: endToEndHeaders(response.headers),
            body: response.body.length > 0,
        },
    };
}

/**
 * Serves, in order, every request the relay routes over a rendezvous socket and answers each there.
 * The guide ("Request message": "Once the rendezvous WebSocket has been established, the listener
 * SHOULD maintain it for further handling of requests and responses from the same client"; the
 * service routes all later requests of that sender connection over it, and drops the sender's
 * connection when the listener drops the socket) and hyco-https (`requestChannelListener` keeps
 * taking `request` messages on the socket) keep it open; it is closed here only after
 * `rendezvousIdleTimeoutMs` without a request, or when nothing arrives in time on a fresh one.
 */
function serveOverRendezvous(context: ExchangeContext, rendezvous: WebSocket, firstAnswer?: () => Promise<void>): void {
    let queue = Promise.resolve();
    let busy = 0;
    let idleTimer: NodeJS.Timeout | undefined;
    const closeWhenIdle = (afterMs: number, why: string): void => {
        clearTimeout(idleTimer);
        idleTimer = setTimeout(() => {
            if (busy === 0 && rendezvous.readyState === WebSocket.OPEN) rendezvous.close(1000, why);
        }, afterMs);
    };
    const enqueue = (work: () => Promise<void>): void => {
        busy += 1;
        clearTimeout(idleTimer);
        const served = queue.then(work);
        queue = served
            .catch(() => undefined)
            .finally(() => {
                busy -= 1;
                if (busy === 0) closeWhenIdle(context.rendezvousIdleTimeoutMs, 'idle');
            });
        context.track(served);
    };
    rendezvous.once('close', () => clearTimeout(idleTimer));
    // Listening before anything is sent: the relay may route the sender's next request here at once.
    readFramedMessages(
        rendezvous,
        (framed) => {
            const message = framed.message;
            if (message.kind !== 'request' || message.request.method === undefined) {
                context.logger.warn('unexpected message on a rendezvous socket; closing it', { kind: message.kind });
                rendezvous.close(1008, `unexpected ${message.kind} message`);
                return;
            }
            enqueue(async () => {
                const response = await invoke(context, message.request, framed.body);
                if (rendezvous.readyState !== WebSocket.OPEN) throw new Error('the rendezvous socket closed before the answer could be sent');
                await sendFramed(rendezvous, responseMessage(message.request.id ?? '', response), response.body);
            });
        },
        (reason) => {
            context.logger.warn('rendezvous protocol violation; closing it', { reason });
            rendezvous.terminate();
        },
    );
    if (firstAnswer !== undefined) enqueue(firstAnswer);
    else closeWhenIdle(context.rendezvousReadTimeoutMs, 'no request arrived');
}

/**
 * Serves a request that arrived whole on the control channel. The answer goes back on the control
 * channel when its body fits, otherwise (or when the channel has dropped meanwhile) over the
 * request's rendezvous address.
 */
export async function serveControlChannelRequest(context: ExchangeContext, control: WebSocket, request: RequestMessage, body: Buffer | undefined): Promise<void> {
    const requestId = request.id ?? '';
    const response = await invoke(context, request, body);
    const fitsControlChannel = response.body.length <= CONTROL_CHANNEL_BODY_LIMIT;
    if (fitsControlChannel && control.readyState === WebSocket.OPEN) {
        await sendFramed(control, responseMessage(requestId, response), response.body);
        return;
    }
    if (request.address === undefined) throw new Error('the relay gave no rendezvous address for a response that needs one');
    const rendezvous = await context.openRendezvous(request.address);
    // The relay now routes this sender's later requests over the rendezvous: keep serving them.
    serveOverRendezvous(context, rendezvous, () => sendFramed(rendezvous, responseMessage(requestId, response), response.body));
}

/** Serves a request the relay only announced: the whole request, and later ones of the same sender, come over the rendezvous. */
export async function serveRendezvousRequest(context: ExchangeContext, address: string): Promise<void> {
    serveOverRendezvous(context, await context.openRendezvous(address));
}
