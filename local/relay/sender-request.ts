import type { IncomingMessage } from 'node:http';
import { isHopHeader } from '../../agent/relay/protocol-messages';

export function header(request: IncomingMessage, name: string): string | undefined {
    const value = request.headers[name];
    return Array.isArray(value) ? value[0] : value;
}

function isRelayParameter(segment: string): boolean {
    const name = segment.split('=', 1)[0] ?? '';
    let decoded = name;
    try {
        decoded = decodeURIComponent(name.replace(/\+/g, ' '));
    } catch {
        // A malformed escape is not a relay parameter; it is passed on as sent.
    }
    return decoded.toLowerCase().startsWith('sb-hc-');
}

/**
 * The request target exactly as the sender sent it (no re-encoding, no reordering, parameters
 * without `=` kept), minus every `sb-hc-` parameter: the guide's `requestTarget` "includes the query
 * string portion, which is stripped of ALL `sb-hc-` prefixed parameters" (Azure Relay Hybrid
 * Connections protocol, "Request message").
 */
export function rawTargetWithoutRelayParameters(rawTarget: string): string {
    const at = rawTarget.indexOf('?');
    if (at === -1) return rawTarget;
    const kept = rawTarget
        .slice(at + 1)
        .split('&')
        .filter((segment) => segment !== '' && !isRelayParameter(segment));
    return `${rawTarget.slice(0, at)}${kept.length === 0 ? '' : `?${kept.join('&')}`}`;
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
