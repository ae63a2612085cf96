import { createPublicKey, createSign, createVerify, type JsonWebKey, type KeyObject } from 'node:crypto';

/** Claims of the access tokens the local issuer hands out (the subset Entra ID tokens carry that the stand-ins check). */
export interface AccessTokenClaims {
    readonly aud: string;
    readonly iss: string;
    readonly iat: number;
    readonly nbf: number;
    readonly exp: number;
    readonly tid: string;
    readonly appid: string;
    readonly oid: string;
    readonly sub: string;
    readonly roles?: readonly string[];
    /** A user's token carries the user principal name and display name; an application's does not. */
    readonly upn?: string;
    readonly name?: string;
    readonly idtyp: 'app' | 'user';
    readonly ver: '1.0';
}

export interface PublicJwk extends JsonWebKey {
    readonly kid: string;
    readonly use: 'sig';
    readonly alg: 'RS256';
}

const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

export function signRs256(claims: AccessTokenClaims, privateKey: KeyObject, kid: string): string {
    const signingInput = `${encode({ typ: 'JWT', alg: 'RS256', kid })}.${encode(claims)}`;
    const signature = createSign('sha256').update(signingInput).sign(privateKey).toString('base64url');
    return `${signingInput}.${signature}`;
}

export type TokenCheck =
    | { readonly ok: true; readonly claims: AccessTokenClaims }
    | { readonly ok: false; readonly reason: 'missing' | 'malformed' | 'signature' | 'audience' | 'expired' | 'notYetValid' };

function parseJson(part: string): unknown {
    try {
        return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    } catch {
        return undefined;
    }
}

function isClaims(value: unknown): value is AccessTokenClaims {
    if (typeof value !== 'object' || value === null) return false;
    const claims = value as Record<string, unknown>;
    return typeof claims.aud === 'string' && typeof claims.exp === 'number' && typeof claims.nbf === 'number' && typeof claims.tid === 'string';
}

/**
 * Verifies RS256 bearer tokens with the issuer's published keys (JWKS), as a resource server does:
 * signature, audience, not-before and expiry (seconds, against `nowMs`).
 */
export class TokenVerifier {
    private readonly keys: ReadonlyMap<string, KeyObject>;

    constructor(jwks: { readonly keys: readonly PublicJwk[] }) {
        this.keys = new Map(jwks.keys.map((jwk) => [jwk.kid, createPublicKey({ key: jwk, format: 'jwk' })]));
    }

    check(authorizationHeader: string | undefined, audience: string, nowMs: number): TokenCheck {
        const match = /^Bearer\s+(\S+)$/i.exec(authorizationHeader ?? '');
        if (match === null) return { ok: false, reason: 'missing' };
        const [header, payload, signature] = (match[1] ?? '').split('.');
        if (header === undefined || payload === undefined || signature === undefined) return { ok: false, reason: 'malformed' };
        const parsedHeader = parseJson(header) as { alg?: unknown; kid?: unknown } | undefined;
        const claims = parseJson(payload);
        if (parsedHeader?.alg !== 'RS256' || typeof parsedHeader.kid !== 'string' || !isClaims(claims)) return { ok: false, reason: 'malformed' };
        const key = this.keys.get(parsedHeader.kid);
        const valid = key !== undefined && createVerify('sha256').update(`${header}.${payload}`).verify(key, Buffer.from(signature, 'base64url'));
        if (!valid) return { ok: false, reason: 'signature' };
        if (claims.aud.replace(/\/$/, '') !== audience.replace(/\/$/, '')) return { ok: false, reason: 'audience' };
        const nowSeconds = Math.floor(nowMs / 1000);
        if (claims.exp <= nowSeconds) return { ok: false, reason: 'expired' };
        if (claims.nbf > nowSeconds + 300) return { ok: false, reason: 'notYetValid' };
        return { ok: true, claims };
    }
}
