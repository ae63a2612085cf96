import https from 'node:https';
import type { Context, Middleware } from '@microsoft/microsoft-graph-client';

function headerEntries(headers: unknown): [string, string][] {
    if (headers === undefined || headers === null) return [];
    if (headers instanceof Headers) return [...headers.entries()];
    if (Array.isArray(headers)) return headers.filter((pair): pair is [string, string] => Array.isArray(pair) && pair.length === 2);
    return Object.entries(headers as Record<string, unknown>).flatMap(([name, value]): [string, string][] =>
        typeof value === 'string' || typeof value === 'number' ? [[name, String(value)]] : [],
    );
}

function urlOf(request: unknown): string {
    if (typeof request === 'string') return request;
    if (request instanceof URL) return request.toString();
    if (request instanceof Request) return request.url;
    throw new TypeError('The Graph request has no URL.');
}

function bodyBytes(body: unknown): Buffer | undefined {
    if (body === undefined || body === null) return undefined;
    if (typeof body === 'string') return Buffer.from(body);
    if (Buffer.isBuffer(body)) return body;
    if (body instanceof ArrayBuffer) return Buffer.from(body);
    if (ArrayBuffer.isView(body)) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
    throw new TypeError('The Graph request body must be a string or bytes.');
}

/**
 * The last middleware of the Graph client's chain: sends the request with node:https through the
 * given agent (or Node's default agent) and hands back a fetch Response. It replaces the SDK's
 * fetch-based HTTPMessageHandler so that the product's outbound settings (extra CA, routes for a
 * sandbox) apply to Graph exactly as to the Azure SDK clients.
 */
export class GraphHttpsTransport implements Middleware {
    constructor(
        private readonly agent: https.Agent | undefined,
        private readonly timeoutMs = 60_000,
    ) {}

    async execute(context: Context): Promise<void> {
        const url = urlOf(context.request as unknown);
        const options = context.options ?? {};
        const body = bodyBytes(options.body);
        const headers = Object.fromEntries(headerEntries(options.headers));
        context.response = await new Promise<Response>((resolve, reject) => {
            const request = https.request(
                url,
                { method: options.method ?? 'GET', headers: body === undefined ? headers : { ...headers, 'content-length': String(body.length) }, ...(this.agent === undefined ? {} : { agent: this.agent }) },
                (response) => {
                    const chunks: Buffer[] = [];
                    response.on('data', (chunk: Buffer) => chunks.push(chunk));
                    response.on('error', reject);
                    response.on('end', () => {
                        const status = response.statusCode ?? 0;
                        const responseHeaders = new Headers();
                        for (const [name, value] of Object.entries(response.headers)) {
                            if (value !== undefined) responseHeaders.set(name, Array.isArray(value) ? value.join(', ') : value);
                        }
                        const nullBody = status === 204 || status === 205 || status === 304;
                        resolve(new Response(nullBody ? null : Buffer.concat(chunks), { status, statusText: response.statusMessage ?? '', headers: responseHeaders }));
                    });
                },
            );
            request.setTimeout(this.timeoutMs, () => request.destroy(new Error(`no answer from ${new URL(url).host} within ${this.timeoutMs} ms`)));
            request.on('error', reject);
            request.end(body);
        });
    }
}
