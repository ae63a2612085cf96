import { API_ROUTES } from '../../functions/http/api-routes';
import { holdsRole } from '../../lib/auth/app-roles';
import { api, ApiError } from './api';
import type { SignedInCaller } from './api-types';

/** Who is signed in, or nobody. */
export type SignIn = { readonly state: 'signedIn'; readonly identity: SignedInCaller } | { readonly state: 'signedOut' };

/**
 * Asks the API (GET /api/me), which reads the caller from the X-MS-CLIENT-PRINCIPAL headers App Service
 * authentication sets on every request. Not /.auth/me: App Service answers it only when its token store
 * is on ("Work with user identities in Azure App Service authentication", Access user claims by using
 * the API, https://learn.microsoft.com/azure/app-service/configure-authentication-user-identities), and
 * infra/ leaves the token store off. A 401 is nobody signed in; any other failure is shown as an error.
 */
export async function whoIsSignedIn(): Promise<SignIn> {
    try {
        return { state: 'signedIn', identity: await api.me() };
    } catch (error) {
        if (error instanceof ApiError && error.status === 401) return { state: 'signedOut' };
        throw error;
    }
}

/** What the console offers; the API decides in the end (it answers 403 to a role that may not). */
export function mayAct(signIn: SignIn): { readonly read: boolean; readonly verify: boolean; readonly onboard: boolean } {
    if (signIn.state === 'signedOut') return { read: false, verify: false, onboard: false };
    // The roles the API's own routes require (an administrator holds the operator's too).
    const { roles } = signIn.identity;
    return {
        read: holdsRole(roles, API_ROUTES.listTenants.requiredRole),
        verify: holdsRole(roles, API_ROUTES.verifyTenant.requiredRole),
        onboard: holdsRole(roles, API_ROUTES.onboardTenant.requiredRole),
    };
}

export function signInUrl(): string {
    return `/.auth/login/aad?post_login_redirect_uri=${encodeURIComponent(window.location.pathname + window.location.hash)}`;
}
