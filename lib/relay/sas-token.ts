import { createHmac, timingSafeEqual } from 'node:crypto';
import { parseRelayNamespace } from './relay-namespace';

/**
 * Service Bus / Relay shared access signatures, in the documented form:
 * `SharedAccessSignature sr=<url-encoded resource>&sig=<url-encoded base64 HMAC-SHA256>&se=<expiry>&skn=<key name>`
 * where the HMAC, keyed with the key's text as given, covers "<url-encoded resource>\n<expiry>".
 */
export interface SasTokenInput {
    readonly resourceUri: string;
    readonly keyName: string;
    readonly key: string;
    readonly ttlSeconds: number;
    /** Milliseconds since the epoch; injectable for tests. */
    readonly now?: () => number;
}

const TOKEN_PREFIX = 'SharedAccessSignature ';

function sign(key: string, encodedResource: string, expiry: number): Buffer {
    return createHmac('sha256', key).update(`${encodedResource}\n${expiry}`).digest();
}

export function createSasToken(input: SasTokenInput): string {
    const now = input.now ?? Date.now;
    const expiry = Math.floor(now() / 1000) + Math.floor(input.ttlSeconds);
    const encodedResource = encodeURIComponent(input.resourceUri);
    const signature = sign(input.key, encodedResource, expiry).toString('base64');
    return `${TOKEN_PREFIX}sr=${encodedResource}&sig=${encodeURIComponent(signature)}&se=${expiry}&skn=${input.keyName}`;
}

/**
 * The resource a relay token is issued for: `http://<namespace host>/<hybrid connection>`, the form
 * the Relay documentation and its SDKs use for senders and listeners alike (no port, no `$hc`).
 */
export function relayResourceUri(namespace: string, hybridConnection: string): string {
    return `http://${parseRelayNamespace(namespace).hostname}/${hybridConnection}`;
}

interface ParsedSasToken {
    readonly encodedResource: string;
    readonly resource: string;
    readonly signature: Buffer;
    readonly expiry: number;
    readonly keyName: string;
}

function parseSasToken(token: string): ParsedSasToken | undefined {
    if (!token.startsWith(TOKEN_PREFIX)) return undefined;
    const fields = new Map<string, string>();
    for (const pair of token.slice(TOKEN_PREFIX.length).split('&')) {
        const separator = pair.indexOf('=');
        if (separator <= 0) return undefined;
        fields.set(pair.slice(0, separator), pair.slice(separator + 1));
    }
    const encodedResource = fields.get('sr');
    const sig = fields.get('sig');
    const se = fields.get('se');
    const skn = fields.get('skn');
    if (encodedResource === undefined || sig === undefined || se === undefined || skn === undefined || !/^\d+$/.test(se)) return undefined;
    try {
        return {
            encodedResource,
            resource: decodeURIComponent(encodedResource),
            signature: Buffer.from(decodeURIComponent(sig), 'base64'),
            expiry: Number(se),
            keyName: decodeURIComponent(skn),
        };
    } catch {
        return undefined;
    }
}

/** Seconds since the epoch at which the token expires, or undefined when it is not a SAS token. */
export function sasTokenExpiry(token: string): number | undefined {
    return parseSasToken(token)?.expiry;
}

export type SasRejection = 'malformed' | 'unknown-key' | 'bad-signature' | 'expired' | 'wrong-audience';

export type SasVerdict =
    | { readonly valid: true; readonly keyName: string; readonly expiresAtSeconds: number }
    | { readonly valid: false; readonly reason: SasRejection };

export interface SasVerification {
    /** The key of a named rule, or undefined when no such rule exists. */
    readonly keyFor: (keyName: string) => string | undefined;
    /** The resource being accessed; the token's resource must equal it or be a path prefix of it. */
    readonly resource: string;
    readonly now?: () => number;
}

/** Scheme and port do not matter to the audience (clients sign http://host/path or http://host:443/path). */
function normalizedResource(resource: string): string {
    return resource
        .replace(/^[a-z][a-z0-9+.-]*:\/\//i, '')
        .replace(/^([^/:]+):\d+/, '$1')
        .replace(/\/+$/, '')
        .toLowerCase();
}

function audienceCovers(audience: string, resource: string): boolean {
    const granted = normalizedResource(audience);
    const wanted = normalizedResource(resource);
    return wanted === granted || wanted.startsWith(`${granted}/`);
}

/** Checks a token the way the service does: known rule, signature, expiry, then audience. */
export function verifySasToken(token: string, verification: SasVerification): SasVerdict {
    const parsed = parseSasToken(token);
    if (parsed === undefined) return { valid: false, reason: 'malformed' };
    const key = verification.keyFor(parsed.keyName);
    if (key === undefined) return { valid: false, reason: 'unknown-key' };
    // The signer's own encoding of the resource is what was signed; re-encoding could differ in case.
    const expected = sign(key, parsed.encodedResource, parsed.expiry);
    if (parsed.signature.length !== expected.length || !timingSafeEqual(parsed.signature, expected)) return { valid: false, reason: 'bad-signature' };
    const nowSeconds = Math.floor((verification.now ?? Date.now)() / 1000);
    if (parsed.expiry <= nowSeconds) return { valid: false, reason: 'expired' };
    if (!audienceCovers(parsed.resource, verification.resource)) return { valid: false, reason: 'wrong-audience' };
    return { valid: true, keyName: parsed.keyName, expiresAtSeconds: parsed.expiry };
}
