import type { IncomingMessage } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { ServerTlsMaterial } from '../tls/test-authority';

/** One request as a stand-in sees it; kept in the stand-in's request log for tests and the demo. */
export interface StandInRequest {
    readonly method: string;
    /** The Host header without port, lower-cased: the name the client believed it was calling. */
    readonly host: string;
    /** The Host header as sent, port included: the origin the client believes it calls (https://<authority>). */
    readonly authority: string;
    readonly path: string;
    readonly query: URLSearchParams;
    readonly headers: Readonly<Record<string, string | undefined>>;
    readonly body: Buffer;
}

export interface StandInResponse {
    readonly status: number;
    /** Close the connection instead of answering, as a network failure would (the client sees ECONNRESET). */
    readonly reset?: boolean;
    readonly headers?: Readonly<Record<string, string>>;
    /** Serialised as JSON unless a Buffer or string. */
    readonly body?: unknown;
}

export type StandInHandler = (request: StandInRequest) => StandInResponse | Promise<StandInResponse>;

export interface RunningStandIn {
    readonly port: number;
    readonly address: { readonly host: string; readonly port: number };
    close(): Promise<void>;
}

function readBody(request: IncomingMessage): Promise<Buffer> {
    return new Promise((resolve, reject) => {
        const chunks: Buffer[] = [];
        request.on('data', (chunk: Buffer) => chunks.push(chunk));
        request.on('end', () => resolve(Buffer.concat(chunks)));
        request.on('error', reject);
    });
}

function headerRecord(request: IncomingMessage): Record<string, string | undefined> {
    const out: Record<string, string | undefined> = {};
    for (const [name, value] of Object.entries(request.headers)) out[name] = Array.isArray(value) ? value.join(', ') : value;
    return out;
}

function encodeBody(body: unknown): { bytes: Buffer; json: boolean } {
    if (body === undefined) return { bytes: Buffer.alloc(0), json: false };
    if (Buffer.isBuffer(body)) return { bytes: body, json: false };
    if (typeof body === 'string') return { bytes: Buffer.from(body), json: false };
    return { bytes: Buffer.from(JSON.stringify(body)), json: true };
}

/** An HTTPS server on 127.0.0.1 (random port) that hands parsed requests to `handler`. */
export async function startHttpsStandIn(tls: ServerTlsMaterial, handler: StandInHandler): Promise<RunningStandIn> {
    const server = https.createServer({ cert: tls.certPem, key: tls.keyPem }, (req, res) => {
        void (async () => {
            try {
                const url = new URL(req.url ?? '/', 'https://stand-in.invalid');
                const authority = (req.headers.host ?? '').toLowerCase();
                const host = authority.replace(/:\d+$/, '');
                const response = await handler({ method: req.method ?? 'GET', host, authority, path: url.pathname, query: url.searchParams, headers: headerRecord(req), body: await readBody(req) });
                if (response.reset === true) {
                    req.socket.destroy();
                    return;
                }
                const { bytes, json } = encodeBody(response.body);
                res.writeHead(response.status, {
                    ...(json ? { 'content-type': 'application/json; charset=utf-8' } : {}),
                    ...(response.status === 204 ? {} : { 'content-length': String(bytes.length) }),
                    ...response.headers,
                });
                res.end(response.status === 204 ? undefined : bytes);
            } catch (error) {
                res.writeHead(500, { 'content-type': 'application/json' });
                res.end(JSON.stringify({ error: { code: 'StandInFailure', message: (error as Error).message } }));
            }
        })();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return {
        port,
        address: { host: '127.0.0.1', port },
        close: () =>
            new Promise<void>((resolve) => {
                server.closeAllConnections();
                server.close(() => resolve());
            }),
    };
}
