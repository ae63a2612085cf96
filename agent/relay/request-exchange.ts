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

async function respondOverRendezvous(context: ExchangeContext, address: string, requestId: string, response: RelayedResponse): Promise<void> {
    const rendezvous = await context.openRendezvous(address);
    try {
        await sendFramed(rendezvous, responseMessage(requestId, response), response.body);
    } finally {
        rendezvous.close(1000, 'response sent');
    }
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
    await respondOverRendezvous(context, request.address, requestId, response);
}

function nextRequest(context: ExchangeContext, socket: WebSocket): Promise<{ request: RequestMessage; body: Buffer | undefined }> {
    return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no request arrived on the rendezvous socket')), context.rendezvousReadTimeoutMs);
        const fail = (reason: string): void => {
            clearTimeout(timer);
            reject(new Error(reason));
        };
        socket.once('close', () => fail('rendezvous socket closed before a request arrived'));
        readFramedMessages(
            socket,
            (framed) => {
                if (framed.message.kind !== 'request') return fail(`unexpected ${framed.message.kind} message on the rendezvous socket`);
                clearTimeout(timer);
                resolve({ request: framed.message.request, body: framed.body });
            },
            fail,
        );
    });
}

/** Serves a request the relay only announced: the whole request is fetched from the rendezvous address. */
export async function serveRendezvousRequest(context: ExchangeContext, address: string): Promise<void> {
    const rendezvous = await context.openRendezvous(address);
    try {
        const { request, body } = await nextRequest(context, rendezvous);
        const response = await invoke(context, request, body);
        await sendFramed(rendezvous, responseMessage(request.id ?? '', response), response.body);
    } finally {
        rendezvous.close(1000, 'response sent');
    }
}
