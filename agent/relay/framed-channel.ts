import type { RawData, WebSocket } from 'ws';
import { parseRelayMessage, type ParsedMessage } from './protocol-messages';

/** A JSON message and, when its `body` flag was set, the binary message that followed it. */
export interface FramedMessage {
    readonly message: ParsedMessage;
    readonly body: Buffer | undefined;
}

function toBuffer(data: RawData): Buffer {
    if (Buffer.isBuffer(data)) return data;
    if (Array.isArray(data)) return Buffer.concat(data);
    return Buffer.from(data);
}

function announcesBody(message: ParsedMessage): boolean {
    if (message.kind === 'request') return message.request.body === true;
    if (message.kind === 'response') return message.response.body;
    return false;
}

/**
 * Pairs each JSON text message on a relay WebSocket with the binary body message that follows it.
 * Fragmented bodies arrive already joined (ws reassembles continuation frames).
 */
export function readFramedMessages(socket: WebSocket, onMessage: (framed: FramedMessage) => void, onViolation: (reason: string) => void): void {
    let awaitingBody: ParsedMessage | undefined;
    socket.on('message', (data: RawData, isBinary: boolean) => {
        if (isBinary) {
            if (awaitingBody === undefined) {
                onViolation('binary message without a preceding message that announced a body');
                return;
            }
            const header = awaitingBody;
            awaitingBody = undefined;
            onMessage({ message: header, body: toBuffer(data) });
            return;
        }
        if (awaitingBody !== undefined) {
            onViolation('text message while a body was expected');
            awaitingBody = undefined;
        }
        const message = parseRelayMessage(toBuffer(data).toString('utf8'));
        if (announcesBody(message)) awaitingBody = message;
        else onMessage({ message, body: undefined });
    });
}

/** Fragment size for bodies; each fragment is one WebSocket frame of the same message. */
const FRAGMENT_BYTES = 64 * 1024;

/**
 * Sends a JSON message and, when there is a body, the body as one binary message in fragments.
 * All frames are queued synchronously, so nothing else can interleave on a shared channel.
 */
export function sendFramed(socket: WebSocket, json: unknown, body: Buffer | undefined): Promise<void> {
    const sends: Promise<void>[] = [];
    const queue = (data: string | Buffer, options: { binary: boolean; fin: boolean }): void => {
        sends.push(
            new Promise<void>((resolve, reject) => {
                socket.send(data, { ...options, compress: false }, (error) => (error ? reject(error) : resolve()));
            }),
        );
    };
    queue(JSON.stringify(json), { binary: false, fin: true });
    if (body !== undefined && body.length > 0) {
        for (let offset = 0; offset < body.length; offset += FRAGMENT_BYTES) {
            queue(body.subarray(offset, offset + FRAGMENT_BYTES), { binary: true, fin: offset + FRAGMENT_BYTES >= body.length });
        }
    }
    return Promise.all(sends).then(() => undefined);
}
