import { app } from '@azure/functions';
import * as df from 'durable-functions';
import { loadOnFirstCall } from '../../lib/load-on-first-call';
import { API_ROUTES, UNMATCHED_ROUTE, type ApiRoute } from './api-routes';
import { authorized, type AuthorizedHandler } from './authorized';

function binding(route: ApiRoute) {
    return { route: route.route, methods: [route.method], authLevel: route.authLevel };
}

type RoleRoute = ApiRoute & { readonly requiredRole: NonNullable<ApiRoute['requiredRole']> };

/** A route that requires a role: registered with the role check in front of its handler (authorized.ts). */
function registerAuthorized(route: RoleRoute, load: () => Promise<AuthorizedHandler>): void {
    df.app.client.http(route.name, { ...binding(route), handler: authorized(route.requiredRole, loadOnFirstCall(load)) });
}

/** Every HTTP function, from the route table; a handler's module (its zod schemas, the app's services) loads on its first request. */
const { onboardTenant, getSignedInCaller, getRun, listTenants, getTenant, openApi, verifyTenant, rebindTenant, getTenantConsent, enrollOrganization, removeOrganization, console: consoleRoute } = API_ROUTES;
registerAuthorized(onboardTenant, async () => (await import('./onboard-tenant.js')).startOnboarding);
registerAuthorized(getSignedInCaller, async () => (await import('./signed-in-caller.js')).getSignedInCaller);
registerAuthorized(getRun, async () => (await import('./get-run.js')).getRun);
registerAuthorized(listTenants, async () => (await import('./tenants.js')).listTenants);
registerAuthorized(getTenant, async () => (await import('./tenants.js')).getTenant);
app.http(openApi.name, { ...binding(openApi), handler: loadOnFirstCall(async () => (await import('./openapi.js')).serveOpenApi) });
registerAuthorized(verifyTenant, async () => (await import('./verify-tenant.js')).startVerification);
registerAuthorized(rebindTenant, async () => (await import('./rebind-tenant.js')).rebindTenant);
registerAuthorized(getTenantConsent, async () => (await import('./tenant-consent.js')).getTenantConsent);
registerAuthorized(enrollOrganization, async () => (await import('./organizations.js')).enrollOrganization);
registerAuthorized(removeOrganization, async () => (await import('./organizations.js')).removeOrganization);
app.http(consoleRoute.name, { ...binding(consoleRoute), handler: loadOnFirstCall(async () => (await import('./console-assets.js')).serveConsole) });
app.http(UNMATCHED_ROUTE.name, {
    route: UNMATCHED_ROUTE.route,
    methods: [...UNMATCHED_ROUTE.methods],
    authLevel: UNMATCHED_ROUTE.authLevel,
    handler: loadOnFirstCall(async () => (await import('./unmatched-route.js')).answerUnmatched),
});
