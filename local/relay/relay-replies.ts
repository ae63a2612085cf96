import { randomUUID } from 'node:crypto';
import { STATUS_CODES, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

function escapeXml(text: string): string {
    return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The service's own error body: code and detail with a tracking id, and no Via header. */
function errorBody(status: number, detail: string): string {
    return `<Error><Code>${status}</Code><Detail>${escapeXml(detail)}. TrackingId:${randomUUID()}</Detail></Error>`;
}

export function replyAsRelay(response: ServerResponse, status: number, detail: string, extraHeaders: Record<string, string> = {}): void {
    const body = errorBody(status, detail);
    response.writeHead(status, STATUS_CODES[status] ?? 'Error', {
        'content-type': 'application/xml; charset=utf-8',
        'content-length': String(Buffer.byteLength(body)),
        ...extraHeaders,
    });
    response.end(body);
}

/** Fails a WebSocket handshake with an HTTP status, as the service does for listeners. */
export function refuseUpgrade(socket: Duplex, status: number, detail: string): void {
    const body = errorBody(status, detail);
    socket.end(
        `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\n` +
            'Content-Type: application/xml; charset=utf-8\r\n' +
            `Content-Length: ${Buffer.byteLength(body)}\r\n` +
            'Connection: close\r\n\r\n' +
            body,
    );
}
