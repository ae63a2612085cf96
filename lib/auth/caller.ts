import { ANY_SIGNED_IN, meetsRequirement, type RoleRequirement } from './app-roles';
import { CLAIM_TYPES, claimValues, decodeClientPrincipal, PRINCIPAL_HEADERS, type ClientPrincipal } from './client-principal';

/** Who is calling the API: a person or a service, from the principal App Service authenticated. */
export interface Caller {
    /** The Entra ID object id of the user or service principal. */
    readonly id: string;
    /** The user principal name, or the application's display name or appid. */
    readonly name: string;
    /** The caller's app roles, as the token carried them (holdsRole decides what they allow). */
    readonly roles: readonly string[];
}

/** Who asked for a run or a registry change, as runs and records keep it: never a token. */
export interface RequestedBy {
    readonly id: string;
    readonly name: string;
}

/** The requester of runs nobody asked for over HTTP (the re-verification timer). */
export const SCHEDULE_REQUESTER: RequestedBy = { id: 'schedule', name: 'the re-verification schedule (PPO_REVERIFY_SCHEDULE)' };

export function requestedByOf(caller: Caller): RequestedBy {
    return { id: caller.id, name: caller.name };
}

/** Headers as both @azure/functions' HttpRequest and fetch's Headers expose them. */
export interface HeaderSource {
    get(name: string): string | null;
}

function first(values: readonly string[]): string | undefined {
    return values.find((value) => value.trim() !== '');
}

function callerName(principal: ClientPrincipal, headerName: string | null): string | undefined {
    return (
        first(headerName === null ? [] : [headerName]) ??
        first(claimValues(principal, principal.name_typ || CLAIM_TYPES.name)) ??
        first(claimValues(principal, CLAIM_TYPES.upn)) ??
        first(claimValues(principal, 'preferred_username')) ??
        first(claimValues(principal, 'appid')) ??
        first(claimValues(principal, 'azp'))
    );
}

/**
 * The caller App Service authentication vouches for, from the X-MS-CLIENT-PRINCIPAL* headers; undefined
 * when there is none (no sign-in, or a principal without an object id). These headers are believed
 * only because App Service strips any a client sends: the app must never be reachable except through it.
 */
export function callerFromHeaders(headers: HeaderSource): Caller | undefined {
    const principal = decodeClientPrincipal(headers.get(PRINCIPAL_HEADERS.principal));
    if (principal === undefined) return undefined;
    const id = first([headers.get(PRINCIPAL_HEADERS.id) ?? '']) ?? first(claimValues(principal, CLAIM_TYPES.objectId)) ?? first(claimValues(principal, 'oid'));
    if (id === undefined) return undefined;
    const name = callerName(principal, headers.get(PRINCIPAL_HEADERS.name)) ?? id;
    const roleType = principal.role_typ || CLAIM_TYPES.roles;
    const roles = [...new Set([...claimValues(principal, roleType), ...(roleType === CLAIM_TYPES.roles ? [] : claimValues(principal, CLAIM_TYPES.roles))])];
    return { id, name, roles };
}

export type Authorization =
    | { readonly ok: true; readonly caller: Caller }
    | { readonly ok: false; readonly status: 401 | 403; readonly code: 'unauthenticated' | 'forbidden'; readonly message: string; readonly requiredRole: RoleRequirement };

/**
 * Whether App Service authentication is on for this app: App Service injects WEBSITE_AUTH_ENABLED
 * ("Environment variables and app settings in Azure App Service", authentication section,
 * https://learn.microsoft.com/azure/app-service/reference-app-settings). Without it nothing strips
 * client-sent X-MS-CLIENT-PRINCIPAL headers, so none is believed.
 */
export function platformAuthenticationOn(env: Readonly<Record<string, string | undefined>>): boolean {
    return env.WEBSITE_AUTH_ENABLED?.toLowerCase() === 'true';
}

/**
 * Whether the request's caller may use a route that requires `required`: 401 without a caller (or
 * when App Service authentication is off, `platformOn` false), 403 without the role.
 */
export function authorize(headers: HeaderSource, required: RoleRequirement, platformOn = true): Authorization {
    if (!platformOn) {
        return { ok: false, status: 401, code: 'unauthenticated', requiredRole: required, message: 'App Service authentication is not enabled on this Function App, so no caller can be believed: run `azd provision` after the post-provision hook created the API app registration' };
    }
    const caller = callerFromHeaders(headers);
    if (caller === undefined) {
        const needs = required === ANY_SIGNED_IN ? 'a signed-in caller' : `the app role ${required}`;
        return { ok: false, status: 401, code: 'unauthenticated', requiredRole: required, message: `sign in with Microsoft Entra ID: this route requires ${needs}` };
    }
    if (!meetsRequirement(caller.roles, required)) {
        const held = caller.roles.length === 0 ? 'no app role' : caller.roles.join(', ');
        return { ok: false, status: 403, code: 'forbidden', requiredRole: required, message: `${caller.name} has ${held}; this route requires the app role ${required} (or a higher one)` };
    }
    return { ok: true, caller };
}
