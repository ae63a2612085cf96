import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { CLAIM_TYPES, encodeClientPrincipal, PRINCIPAL_HEADERS, type ClientPrincipal, type ClientPrincipalClaim } from '../../../lib/auth/client-principal';
import { readBody, sendEmpty, sendJson } from './http-io';

/*
 * App Service authentication ("Easy Auth") as it sits in front of a Function App, for the local host.
 * Sources, each rule below refers to one:
 * [U] "Work with user identities in Azure App Service authentication"
 *     https://learn.microsoft.com/azure/app-service/configure-authentication-user-identities
 *     (X-MS-CLIENT-PRINCIPAL* headers; external requests are not allowed to set them).
 * [F] "Customize sign-ins and sign-outs" https://learn.microsoft.com/azure/app-service/configure-authentication-customize-sign-in-out
 *     (/.auth/login/<provider>, post_login_redirect_uri, /.auth/logout, post_logout_redirect_uri).
 * [T] "Work with OAuth tokens" https://learn.microsoft.com/azure/app-service/configure-authentication-oauth-tokens
 *     (/.auth/me answers the signed-in user's claims as JSON).
 * [S] [U], "Access user claims by using the API": /.auth/me answers only "if the token store is enabled for your
 *     app"; with it off, Easy Auth answers /.auth/me with 404 (microsoft/azure-container-apps#479, the same
 *     authentication module, where the token store was missing; MicrosoftDocs/azure-docs.fr-fr#688: /.auth/me and
 *     /.auth/refresh need the token store).
 * [A] "Authentication and authorization in Azure App Service" https://learn.microsoft.com/azure/app-service/overview-authentication-authorization
 *     (the module validates bearer tokens: signature, issuer, audience, expiry; AppServiceAuthSession cookie;
 *     unauthenticated requests: Return401 / AllowAnonymous; excluded paths skip authentication).
 * [E] "Configure Microsoft Entra authentication" https://learn.microsoft.com/azure/app-service/configure-authentication-provider-aad
 *     (allowed token audiences, issuer URL of the tenant; client-credentials callers are authorized by app roles).
 */

/** A token's claims once the emulation has validated it. */
export type TokenClaims = Readonly<Record<string, unknown>>;

export type BearerValidation = { readonly ok: true; readonly claims: TokenClaims } | { readonly ok: false; readonly reason: string };

/** A person the local sign-in page offers, with the app roles assigned to them. */
export interface SignInUser {
    readonly objectId: string;
    readonly upn: string;
    readonly displayName: string;
    readonly tenantId: string;
    readonly roles: readonly string[];
}

export interface AppServiceAuthOptions {
    /** Validates `Authorization: Bearer …` as the configured provider would (signature, issuer, audience, expiry) [A][E]. */
    readonly validateBearer: (authorization: string) => BearerValidation;
    /** The users the local sign-in page lists. */
    readonly signInUsers: readonly SignInUser[];
    /** authsettingsV2 globalValidation.unauthenticatedClientAction; Return401 as infra/ configures it. */
    readonly unauthenticatedClientAction: 'Return401' | 'AllowAnonymous';
    /** authsettingsV2 login.tokenStore.enabled: off, /.auth/me answers 404 [S]. By default as infra/ deploys it (infraTokenStoreEnabled()). */
    readonly tokenStoreEnabled?: boolean;
    /** authsettingsV2 globalValidation.excludedPaths: no authentication at all there (no principal either) [A]. */
    readonly excludedPaths: readonly string[];
    /** Sessions expire after this (App Service: 8 hours by default, login.cookieExpiration.timeToExpiration). */
    readonly sessionLifetimeMs?: number;
    readonly now?: () => number;
}

/** The front end the local host puts before the app's routes. */
export interface AppServiceAuthentication {
    /** Serves /.auth/*; false for any other path. */
    serve(request: IncomingMessage, response: ServerResponse, url: URL): Promise<boolean>;
    /** Before an /api request reaches its function: strips and injects principal headers; false when it answered (refused). */
    admit(request: IncomingMessage, response: ServerResponse, url: URL): boolean;
}

/**
 * Whether infra/ deploys App Service authentication with a token store: authsettingsV2 `login`, which
 * infra/modules/function-app.bicep loads from infra/app-service-auth-login.json. Read at run time, from
 * the sources or from dist/: the Function App's build (.funcignore leaves infra/ out) never needs it.
 */
export function infraTokenStoreEnabled(): boolean {
    const file = [join(__dirname, '..', '..', '..'), join(__dirname, '..', '..', '..', '..')].map((root) => join(root, 'infra', 'app-service-auth-login.json')).find((path) => existsSync(path));
    if (file === undefined) throw new Error(`infra/app-service-auth-login.json is not beside the local host (${__dirname}): the local App Service authentication reads its token store setting there`);
    const login = JSON.parse(readFileSync(file, 'utf8')) as { tokenStore?: { enabled?: unknown } };
    if (typeof login.tokenStore?.enabled !== 'boolean') throw new Error(`${file}: tokenStore.enabled must be true or false, as authsettingsV2 login.tokenStore.enabled takes it`);
    return login.tokenStore.enabled;
}

export const SESSION_COOKIE = 'AppServiceAuthSession';
const DEFAULT_SESSION_MS = 8 * 3600_000;
const CLAIM_URIS: Readonly<Record<string, string>> = {
    oid: CLAIM_TYPES.objectId,
    upn: CLAIM_TYPES.upn,
    tid: 'http://schemas.microsoft.com/identity/claims/tenantid',
};

function header(request: IncomingMessage, name: string): string | undefined {
    const value = request.headers[name];
    return Array.isArray(value) ? value[0] : value;
}

/** App Service's claim mapping [U]: short JWT claim names become the URIs .NET uses for oid, upn, tid; arrays become one claim per value. */
function principalClaims(claims: TokenClaims): ClientPrincipalClaim[] {
    const out: ClientPrincipalClaim[] = [];
    for (const [name, value] of Object.entries(claims)) {
        const typ = CLAIM_URIS[name] ?? name;
        for (const item of Array.isArray(value) ? value : [value]) {
            if (typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean') out.push({ typ, val: String(item) });
        }
    }
    return out;
}

function principalOf(claims: TokenClaims): { readonly principal: ClientPrincipal; readonly id: string; readonly name: string } {
    const id = typeof claims.oid === 'string' ? claims.oid : '';
    const name = typeof claims.upn === 'string' ? claims.upn : typeof claims.appid === 'string' ? claims.appid : id;
    return { principal: { auth_typ: 'aad', name_typ: CLAIM_TYPES.name, role_typ: CLAIM_TYPES.roles, claims: principalClaims(claims) }, id, name };
}

function userClaims(user: SignInUser): TokenClaims {
    return { oid: user.objectId, upn: user.upn, name: user.displayName, tid: user.tenantId, roles: user.roles, idtyp: 'user' };
}

function cookieValue(request: IncomingMessage, name: string): string | undefined {
    for (const part of (header(request, 'cookie') ?? '').split(';')) {
        const [key, ...rest] = part.trim().split('=');
        if (key === name) return rest.join('=');
    }
    return undefined;
}

/** Only a path on this site: App Service refuses external redirect targets not listed in allowedExternalRedirectUrls [F]. */
function sameSitePath(raw: string | null): string {
    return raw !== null && raw.startsWith('/') && !raw.startsWith('//') && !raw.startsWith('/\\') ? raw : '/';
}

function escapeHtml(text: string): string {
    return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function signInPage(users: readonly SignInUser[], redirect: string): string {
    const rows = users
        .map(
            (user) =>
                `<li><form method="post" action="/.auth/login/aad/callback"><input type="hidden" name="user" value="${escapeHtml(user.objectId)}"><input type="hidden" name="post_login_redirect_uri" value="${escapeHtml(redirect)}">` +
                `<button type="submit">${escapeHtml(user.upn)}</button> ${escapeHtml(user.roles.length === 0 ? 'no app role' : user.roles.join(', '))}</form></li>`,
        )
        .join('\n');
    return `<!doctype html><html><head><meta charset="utf-8"><title>Sign in (local)</title></head><body><h1>Sign in to the local push-proxy-orchestrator</h1><p>Local test users of the local tenant; on Azure, this is Microsoft Entra ID's sign-in.</p><ul>\n${rows}\n</ul></body></html>`;
}

function sendHtml(response: ServerResponse, status: number, html: string): void {
    response.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(html) });
    response.end(html);
}

/** Builds the emulation; the local host calls it for /.auth/* and before every /api route. */
export function appServiceAuthentication(options: AppServiceAuthOptions): AppServiceAuthentication {
    const now = options.now ?? Date.now;
    const tokenStoreEnabled = options.tokenStoreEnabled ?? infraTokenStoreEnabled();
    const lifetime = options.sessionLifetimeMs ?? DEFAULT_SESSION_MS;
    const sessions = new Map<string, { readonly user: SignInUser; readonly expiresAt: number }>();
    const excluded = new Set(options.excludedPaths.map((path) => path.toLowerCase()));

    const sessionUser = (request: IncomingMessage): SignInUser | undefined => {
        const id = cookieValue(request, SESSION_COOKIE);
        const session = id === undefined ? undefined : sessions.get(id);
        if (session === undefined || id === undefined) return undefined;
        if (session.expiresAt <= now()) {
            sessions.delete(id);
            return undefined;
        }
        return session.user;
    };

    const serve = async (request: IncomingMessage, response: ServerResponse, url: URL): Promise<boolean> => {
        const path = url.pathname.toLowerCase();
        if (path !== '/.auth' && !path.startsWith('/.auth/')) return false;
        const method = (request.method ?? 'GET').toUpperCase();
        if (method === 'GET' && path === '/.auth/login/aad') {
            sendHtml(response, 200, signInPage(options.signInUsers, sameSitePath(url.searchParams.get('post_login_redirect_uri'))));
            return true;
        }
        if (method === 'POST' && path === '/.auth/login/aad/callback') {
            const form = new URLSearchParams((await readBody(request)).toString('utf8'));
            const user = options.signInUsers.find((candidate) => candidate.objectId === form.get('user'));
            if (user === undefined) {
                sendJson(response, 400, { error: { code: 'unknown_user', message: 'the local sign-in page lists the only users that can sign in; choose one of them' } });
                return true;
            }
            const id = randomBytes(32).toString('base64url');
            sessions.set(id, { user, expiresAt: now() + lifetime });
            sendEmpty(response, 302, { location: sameSitePath(form.get('post_login_redirect_uri')), 'set-cookie': `${SESSION_COOKIE}=${id}; Path=/; HttpOnly; SameSite=Lax` });
            return true;
        }
        if (method === 'GET' && path === '/.auth/me') {
            if (!tokenStoreEnabled) {
                // [S] App Service's 404 has no documented body: the emulation says why, and where the caller is to be read instead.
                sendJson(response, 404, {
                    error: {
                        code: 'token_store_disabled',
                        message: 'App Service answers /.auth/me with 404 while its token store is off (authsettingsV2 login.tokenStore.enabled is false, as infra/app-service-auth-login.json sets it)',
                        remedy: 'Read the signed-in caller from the X-MS-CLIENT-PRINCIPAL headers App Service sets on each request: GET /api/me.',
                    },
                });
                return true;
            }
            const user = sessionUser(request);
            if (user === undefined) {
                sendJson(response, 401, { error: { code: 'unauthenticated', message: 'no session: sign in at /.auth/login/aad' } });
                return true;
            }
            // The shape App Service answers [T], without the provider's tokens it would add: nothing local reads them.
            sendJson(response, 200, [{ provider_name: 'aad', user_id: user.upn, user_claims: principalClaims(userClaims(user)), expires_on: new Date(now() + lifetime).toISOString() }]);
            return true;
        }
        if (method === 'GET' && path === '/.auth/logout') {
            const id = cookieValue(request, SESSION_COOKIE);
            if (id !== undefined) sessions.delete(id);
            sendEmpty(response, 302, { location: sameSitePath(url.searchParams.get('post_logout_redirect_uri')), 'set-cookie': `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0` });
            return true;
        }
        sendJson(response, 404, { error: { code: 'not_found', message: `the local App Service authentication serves GET /.auth/login/aad, POST /.auth/login/aad/callback, GET /.auth/me and GET /.auth/logout, not ${method} ${url.pathname}` } });
        return true;
    };

    const refuse = (response: ServerResponse, reason: string): false => {
        // App Service answers before the app runs [A]; its body is not documented, so the emulation says what happened, as JSON.
        sendJson(
            response,
            401,
            { error: { code: 'unauthenticated', message: `App Service authentication refused the request (${reason}); the function did not run`, remedy: 'Send Authorization: Bearer <token for the API app id URI>, or sign in at /.auth/login/aad.' } },
            { 'www-authenticate': 'Bearer realm="push-proxy-orchestrator"' },
        );
        return false;
    };

    const admit = (request: IncomingMessage, response: ServerResponse, url: URL): boolean => {
        // Whatever the client sent under these names is dropped: only App Service sets them [U].
        for (const name of Object.keys(request.headers)) {
            if (name.toLowerCase().startsWith('x-ms-client-principal')) delete request.headers[name];
        }
        if (excluded.has(url.pathname.toLowerCase())) return true;
        const authorization = header(request, 'authorization');
        let claims: TokenClaims | undefined;
        if (authorization !== undefined) {
            const checked = options.validateBearer(authorization);
            // An invalid token is refused whatever unauthenticatedClientAction says [A].
            if (!checked.ok) return refuse(response, `bearer token ${checked.reason}`);
            claims = checked.claims;
        } else {
            const user = sessionUser(request);
            if (user !== undefined) claims = userClaims(user);
        }
        if (claims === undefined) return options.unauthenticatedClientAction === 'AllowAnonymous' ? true : refuse(response, 'no token and no session');
        const { principal, id, name } = principalOf(claims);
        request.headers[PRINCIPAL_HEADERS.principal] = encodeClientPrincipal(principal);
        request.headers[PRINCIPAL_HEADERS.id] = id;
        request.headers[PRINCIPAL_HEADERS.name] = name;
        request.headers[PRINCIPAL_HEADERS.idp] = 'aad';
        return true;
    };

    return { serve, admit };
}
