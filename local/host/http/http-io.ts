import type { IncomingMessage, ServerResponse } from 'node:http';

const MAX_BODY_BYTES = 16 * 1024 * 1024;

/** A request body over the host's limit: answered 413, as the Functions host answers one over its own. */
export class RequestBodyTooLarge extends RangeError {}

export async function readBody(request: IncomingMessage): Promise<Buffer> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of request) {
        const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
        size += buffer.length;
        if (size > MAX_BODY_BYTES) throw new RequestBodyTooLarge(`Request body over ${MAX_BODY_BYTES} bytes.`);
        chunks.push(buffer);
    }
    return Buffer.concat(chunks);
}

export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    const text = JSON.stringify(body);
    response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
    response.end(text);
}

export function sendText(response: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
    response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
    response.end(text);
}

/** Errors in the shape ASP.NET's CreateErrorResponse gives them: `{ "Message": ... }`. */
export function sendError(response: ServerResponse, status: number, message: string): void {
    sendJson(response, status, { Message: message });
}

export function sendEmpty(response: ServerResponse, status: number, headers: Record<string, string> = {}): void {
    response.writeHead(status, { 'content-length': 0, ...headers });
    response.end();
}

/** The URL the client used, from the Host header (what `request.url` shows to functions). */
export function requestUrl(request: IncomingMessage, fallbackOrigin: string): URL {
    const host = request.headers.host;
    const origin = host ? `http://${host}` : fallbackOrigin;
    return new URL(request.url ?? '/', origin);
}
