import { API_ROUTES } from '../../functions/http/api-routes';
import { holdsRole } from '../../lib/auth/app-roles';

export interface Identity {
    readonly name: string;
    readonly roles: readonly string[];
}

/** Who is signed in, or why nobody is. */
export type SignIn = { readonly state: 'signedIn'; readonly identity: Identity } | { readonly state: 'signedOut' } | { readonly state: 'noAuthentication' };

interface Claim {
    readonly typ: string;
    readonly val: string;
}

// Role and name claims as App Service authentication returns them from /.auth/me, long or short names
// (https://learn.microsoft.com/azure/app-service/configure-authentication-user-identities).
const ROLE_CLAIMS = new Set(['roles', 'http://schemas.microsoft.com/ws/2008/06/identity/claims/role']);
const NAME_CLAIMS = ['name', 'preferred_username', 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name'];

/** Reads /.auth/me: App Service authentication answers 401 to nobody signed in and 404 where it is not enabled. */
export async function whoIsSignedIn(): Promise<SignIn> {
    const response = await fetch('/.auth/me', { credentials: 'same-origin', headers: { accept: 'application/json' } });
    if (response.status === 401) return { state: 'signedOut' };
    if (!response.ok) return { state: 'noAuthentication' };
    const body = (await response.json()) as readonly { user_id?: string; user_claims?: readonly Claim[] }[];
    const principal = body[0];
    if (principal === undefined) return { state: 'signedOut' };
    const claims = principal.user_claims ?? [];
    const name = NAME_CLAIMS.map((typ) => claims.find((c) => c.typ === typ)?.val).find((v) => v !== undefined) ?? principal.user_id ?? 'unknown';
    return { state: 'signedIn', identity: { name, roles: claims.filter((c) => ROLE_CLAIMS.has(c.typ)).map((c) => c.val) } };
}

/** What the console offers; the API decides in the end (it answers 403 to a role that may not). */
export function mayAct(signIn: SignIn): { readonly verify: boolean; readonly onboard: boolean } {
    // Without App Service authentication in front (the API's function key decides), every action is offered.
    if (signIn.state === 'noAuthentication') return { verify: true, onboard: true };
    if (signIn.state === 'signedOut') return { verify: false, onboard: false };
    // The roles the API's own routes require (an administrator holds the operator's too).
    const { roles } = signIn.identity;
    return { verify: holdsRole(roles, API_ROUTES.verifyTenant.requiredRole), onboard: holdsRole(roles, API_ROUTES.onboardTenant.requiredRole) };
}

export function signInUrl(): string {
    return `/.auth/login/aad?post_login_redirect_uri=${encodeURIComponent(window.location.pathname + window.location.hash)}`;
}
