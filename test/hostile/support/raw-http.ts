import { request } from 'node:http';

export interface RawRequest {
    readonly method: string;
    /** The request target exactly as sent: no normalisation, no encoding added. */
    readonly path: string;
    readonly headers?: Readonly<Record<string, string>>;
    readonly body?: Buffer;
}

export interface RawResponse {
    readonly status: number;
    readonly headers: Readonly<Record<string, string | string[] | undefined>>;
    readonly body: Buffer;
}

/**
 * One HTTP/1.1 request to 127.0.0.1 with the request target sent verbatim (fetch would resolve
 * dot segments and re-encode the path before the server saw it).
 */
export function rawRequest(baseUrl: string, raw: RawRequest): Promise<RawResponse> {
    const { port } = new URL(baseUrl);
    return new Promise<RawResponse>((resolve, reject) => {
        // An explicit length: Node sends a GET body without one (nor chunking), which no server can frame.
        const length = raw.body === undefined ? {} : { 'content-length': String(raw.body.length) };
        const outgoing = request({ host: '127.0.0.1', port: Number(port), method: raw.method, path: raw.path, headers: { ...raw.headers, ...length }, agent: false });
        outgoing.on('error', reject);
        outgoing.on('response', (incoming) => {
            const chunks: Buffer[] = [];
            incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
            incoming.on('error', reject);
            incoming.on('end', () => resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, body: Buffer.concat(chunks) }));
        });
        outgoing.end(raw.body);
    });
}

export interface ErrorBody {
    readonly error: { readonly code: string; readonly message: string; readonly issues?: readonly { field: string; reason: string }[] };
}

/** The API's error body, or undefined when the response carries something else. */
export function errorBodyOf(response: RawResponse): ErrorBody | undefined {
    let parsed: unknown;
    try {
        parsed = JSON.parse(response.body.toString('utf8'));
    } catch {
        return undefined;
    }
    if (typeof parsed !== 'object' || parsed === null || !('error' in parsed)) return undefined;
    const error: unknown = parsed.error;
    if (typeof error !== 'object' || error === null) return undefined;
    const { code, message } = error as { code?: unknown; message?: unknown };
    return typeof code === 'string' && typeof message === 'string' ? (parsed as ErrorBody) : undefined;
}
