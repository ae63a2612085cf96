import { app } from '@azure/functions';
import * as df from 'durable-functions';
import { loadOnFirstCall } from '../../lib/load-on-first-call';
import { API_ROUTES, type ApiRoute } from './api-routes';

function binding(route: ApiRoute) {
    return { route: route.route, methods: [route.method], authLevel: route.authLevel };
}

/** Every HTTP function, from the route table; a handler's module (its zod schemas, the app's services) loads on its first request. */
const { onboardTenant, getRun, listTenants, getTenant, openApi, verifyTenant, rebindTenant, console: consoleRoute } = API_ROUTES;
df.app.client.http(onboardTenant.name, { ...binding(onboardTenant), handler: loadOnFirstCall(async () => (await import('./onboard-tenant.js')).startOnboarding) });
df.app.client.http(getRun.name, { ...binding(getRun), handler: loadOnFirstCall(async () => (await import('./get-run.js')).getRun) });
df.app.client.http(listTenants.name, { ...binding(listTenants), handler: loadOnFirstCall(async () => (await import('./tenants.js')).listTenants) });
df.app.client.http(getTenant.name, { ...binding(getTenant), handler: loadOnFirstCall(async () => (await import('./tenants.js')).getTenant) });
app.http(openApi.name, { ...binding(openApi), handler: loadOnFirstCall(async () => (await import('./openapi.js')).serveOpenApi) });
df.app.client.http(verifyTenant.name, { ...binding(verifyTenant), handler: loadOnFirstCall(async () => (await import('./verify-tenant.js')).startVerification) });
df.app.client.http(rebindTenant.name, { ...binding(rebindTenant), handler: loadOnFirstCall(async () => (await import('./rebind-tenant.js')).rebindTenant) });
app.http(consoleRoute.name, { ...binding(consoleRoute), handler: loadOnFirstCall(async () => (await import('./console-assets.js')).serveConsole) });
