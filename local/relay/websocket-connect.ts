import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, type RawData, type WebSocketServer } from 'ws';
import { refuseUpgrade } from './relay-replies';
import { rawTargetWithoutRelayParameters } from './sender-request';

/**
 * The sender side of WebSocket connections (Azure Relay Hybrid Connections protocol, "Connect
 * operation", "Accept message", "Accept handshake", "Rejecting the socket"): a sender's
 * `sb-hc-action=connect` handshake is held while the service sends the chosen listener an `accept`
 * message (`address`, `id`, `connectHeaders`: every header the sender supplied, Sec-WebSocket-Protocol
 * included); the listener then connects to the address with `sb-hc-action=accept` and both sockets are
 * joined, "without any intervention or interpretation by the service", or it rejects by connecting
 * with `sb-hc-statusCode` and `sb-hc-statusDescription`, which the service answers with 410 while the
 * sender's handshake fails with that status.
 */
interface PendingConnect {
    readonly request: IncomingMessage;
    readonly socket: Duplex;
    readonly head: Buffer;
    readonly timer: NodeJS.Timeout;
}

/**
 * "The maximum to assume is 30 seconds" for an accept address (guide, "Accept message"). The text of
 * the refusal is the service's as Power Automate's machine runtime reports it ("ConnectionNotEstablished
 * - None of the connected listeners accepted the connections within the allowed timeout"); its status
 * is not documented, and 504 is the stand-in's choice.
 */
const ACCEPT_WINDOW_MS = 30_000;

/** Close codes a peer may not send in a close frame (RFC 6455 section 7.4.1); the other side gets 1011 instead. */
function forwardableCode(code: number): number {
    return code === 1005 || code === 1006 || code === 1015 || code < 1000 ? 1011 : code;
}

export class WebSocketConnects {
    private readonly pending = new Map<string, PendingConnect>();

    constructor(
        private readonly sockets: WebSocketServer,
        private readonly namespace: () => string,
    ) {}

    /** Holds a sender's authorized connect handshake and announces it to the listener over its control channel. */
    offer(request: IncomingMessage, socket: Duplex, head: Buffer, control: WebSocket): void {
        const id = randomUUID();
        const url = new URL(request.url ?? '/', 'https://relay');
        const target = rawTargetWithoutRelayParameters(request.url ?? '/');
        const separator = target.includes('?') ? '&' : '?';
        const address = `wss://${this.namespace()}${target}${separator}sb-hc-action=accept&sb-hc-id=${id}`;
        const connectHeaders: Record<string, string> = {};
        for (const [name, value] of Object.entries(request.headers)) {
            if (value === undefined || name === 'servicebusauthorization') continue;
            connectHeaders[name] = Array.isArray(value) ? value.join(', ') : value;
        }
        const timer = setTimeout(() => {
            this.pending.delete(id);
            refuseUpgrade(socket, 504, 'ConnectionNotEstablished: none of the connected listeners accepted the connection within the allowed timeout');
        }, ACCEPT_WINDOW_MS);
        this.pending.set(id, { request, socket, head, timer });
        socket.once('close', () => {
            clearTimeout(timer);
            this.pending.delete(id);
        });
        control.send(JSON.stringify({ accept: { address, id: url.searchParams.get('sb-hc-id') ?? id, connectHeaders } }));
    }

    /** A listener's handshake on an accept address: join it to the sender, or pass its rejection on. */
    answer(request: IncomingMessage, socket: Duplex, head: Buffer, url: URL): void {
        const id = url.searchParams.get('sb-hc-id') ?? '';
        const sender = this.pending.get(id);
        if (sender === undefined) return refuseUpgrade(socket, 403, 'Forbidden: the URL is not valid');
        this.pending.delete(id);
        clearTimeout(sender.timer);
        const rejectedWith = url.searchParams.get('sb-hc-statuscode') ?? url.searchParams.get('sb-hc-statusCode');
        if (rejectedWith !== null) {
            const status = /^[1-5]\d\d$/.test(rejectedWith) ? Number(rejectedWith) : 500;
            refuseUpgrade(sender.socket, status, url.searchParams.get('sb-hc-statusDescription') ?? 'Rejected by the listener');
            return refuseUpgrade(socket, 410, 'Gone: the rejection was passed to the sender');
        }
        this.sockets.handleUpgrade(request, socket, head, (listenerSide) => {
            this.sockets.handleUpgrade(sender.request, sender.socket, sender.head, (senderSide) => join(senderSide, listenerSide));
        });
    }

    stop(): void {
        for (const pending of this.pending.values()) {
            clearTimeout(pending.timer);
            pending.socket.destroy();
        }
        this.pending.clear();
    }
}

/**
 * Relays messages both ways. Guide: the listener's socket is shut down with 1001 when "The sender
 * client shuts down the connection"; the sender's with 1000 when "The listener shut down the socket".
 */
function join(sender: WebSocket, listener: WebSocket): void {
    const relay = (from: WebSocket, to: WebSocket) => (data: RawData, isBinary: boolean) => {
        if (to.readyState === WebSocket.OPEN) to.send(data as Buffer, { binary: isBinary });
    };
    sender.on('message', relay(sender, listener));
    listener.on('message', relay(listener, sender));
    sender.once('close', () => {
        if (listener.readyState === WebSocket.OPEN) listener.close(1001, 'The sender client shut down the connection');
    });
    listener.once('close', (code: number) => {
        if (sender.readyState === WebSocket.OPEN) sender.close(forwardableCode(code) === 1011 ? 1011 : 1000, 'The listener shut down the socket');
    });
}
