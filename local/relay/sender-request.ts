import type { IncomingMessage } from 'node:http';
import { isHopHeader } from '../../agent/relay/protocol-messages';

export function header(request: IncomingMessage, name: string): string | undefined {
    const value = request.headers[name];
    return Array.isArray(value) ? value[0] : value;
}

/** Path and query as the sender sent them, minus every `sb-hc-` parameter. */
export function targetWithoutRelayParameters(url: URL): string {
    const kept = [...url.searchParams.entries()].filter(([name]) => !name.toLowerCase().startsWith('sb-hc-'));
    const query = new URLSearchParams(kept).toString();
    return `${url.pathname}${query === '' ? '' : `?${query}`}`;
}

/** What reaches the listener: no hop headers, no relay credentials; Via names the relay. */
export function forwardedHeaders(request: IncomingMessage, authorizationWasToken: boolean, host: string): Record<string, string> {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) {
        if (value === undefined || isHopHeader(name) || name === 'servicebusauthorization') continue;
        if (name === 'authorization' && authorizationWasToken) continue;
        headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    headers.via = headers.via === undefined ? `1.1 ${host}` : `${headers.via}, 1.1 ${host}`;
    return headers;
}

/** The whole body, or undefined when it exceeds the limit. */
export function readBody(request: IncomingMessage, limit: number): Promise<Buffer | undefined> {
    return new Promise<Buffer | undefined>((resolve, reject) => {
        const chunks: Buffer[] = [];
        let size = 0;
        let tooLarge = false;
        request.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > limit) tooLarge = true;
            else chunks.push(chunk);
        });
        request.on('end', () => resolve(tooLarge ? undefined : Buffer.concat(chunks, size)));
        request.on('error', reject);
    });
}
