/**
 * The headers App Service authentication ("Easy Auth") injects into each authenticated request, as
 * documented in "Work with user identities in Azure App Service authentication"
 * (https://learn.microsoft.com/azure/app-service/configure-authentication-user-identities): App
 * Service removes any the client sent, so they are present only when App Service set them. Header
 * names are matched case-insensitively.
 */
export const PRINCIPAL_HEADERS = {
    /** Base64 JSON of every claim: see ClientPrincipal. */
    principal: 'x-ms-client-principal',
    /** The caller's identifier as the identity provider sets it (Entra ID: the object id). */
    id: 'x-ms-client-principal-id',
    /** A human-readable name: a user principal name, or an application's name. */
    name: 'x-ms-client-principal-name',
    /** The identity provider ("aad"). */
    idp: 'x-ms-client-principal-idp',
} as const;

export interface ClientPrincipalClaim {
    readonly typ: string;
    readonly val: string;
}

/** The decoded `X-MS-CLIENT-PRINCIPAL` payload: `{auth_typ, name_typ, role_typ, claims:[{typ,val}]}` (same page, "Decode the client principal header"). */
export interface ClientPrincipal {
    readonly auth_typ: string;
    readonly name_typ: string;
    readonly role_typ: string;
    readonly claims: readonly ClientPrincipalClaim[];
}

/**
 * Claim types as App Service maps Entra ID token claims (its default claim mapping turns `oid` into
 * the objectidentifier URI; `roles` stays `roles`, the provider's role_typ).
 */
export const CLAIM_TYPES = {
    objectId: 'http://schemas.microsoft.com/identity/claims/objectidentifier',
    name: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name',
    upn: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn',
    roles: 'roles',
} as const;

function isClaim(value: unknown): value is ClientPrincipalClaim {
    return typeof value === 'object' && value !== null && typeof (value as { typ?: unknown }).typ === 'string' && typeof (value as { val?: unknown }).val === 'string';
}

/** The decoded header, or undefined when it is absent or not the documented shape (nothing is believed from a malformed principal). */
export function decodeClientPrincipal(headerValue: string | null | undefined): ClientPrincipal | undefined {
    if (headerValue === null || headerValue === undefined || headerValue.trim() === '') return undefined;
    let parsed: unknown;
    try {
        parsed = JSON.parse(Buffer.from(headerValue.trim(), 'base64').toString('utf8'));
    } catch {
        return undefined;
    }
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    const candidate = parsed as Record<string, unknown>;
    if (!Array.isArray(candidate.claims) || !candidate.claims.every(isClaim)) return undefined;
    const text = (value: unknown): string => (typeof value === 'string' ? value : '');
    return { auth_typ: text(candidate.auth_typ), name_typ: text(candidate.name_typ), role_typ: text(candidate.role_typ), claims: candidate.claims };
}

/** The inverse of decodeClientPrincipal: what App Service (or its local emulation) puts in the header. */
export function encodeClientPrincipal(principal: ClientPrincipal): string {
    return Buffer.from(JSON.stringify(principal), 'utf8').toString('base64');
}

/** Every value of claims of type `typ` (case-insensitive, as claim types are URIs or short names). */
export function claimValues(principal: ClientPrincipal, typ: string): string[] {
    const wanted = typ.toLowerCase();
    return principal.claims.filter((claim) => claim.typ.toLowerCase() === wanted).map((claim) => claim.val);
}
