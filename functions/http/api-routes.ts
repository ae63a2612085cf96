import type { RoleRequirement } from '../../lib/auth/app-roles';
import type { ApiSchemaName } from './api-schemas';

export interface ApiRoute {
    /** The function name it is registered under. */
    readonly name: string;
    /** Route template below /api, as registered. */
    readonly route: string;
    readonly method: 'GET' | 'POST' | 'DELETE';
    /**
     * 'anonymous' for every route: App Service authentication in front of the app authenticates the
     * caller and the route's role is checked in the app. Microsoft advises App Service authentication
     * over shared access keys in production ("Work with access keys in Azure Functions",
     * https://learn.microsoft.com/azure/azure-functions/function-keys-how-to); a key would identify nobody.
     */
    readonly authLevel: 'anonymous' | 'function';
    /**
     * The app role a caller needs (lib/auth/app-roles.ts: an administrator holds the operator's and the
     * reader's too), or AnySignedIn for any caller App Service authenticated; register.ts checks it
     * before the handler runs. null: public, excluded from App Service authentication
     * (unauthenticatedPaths(), which infra/public-paths.json repeats for Azure).
     */
    readonly requiredRole: RoleRequirement | null;
    /**
     * For a public route whose template is not one path: the exact paths App Service authentication
     * must exclude (excludedPaths takes paths, not route templates).
     */
    readonly publicPaths?: readonly string[];
    readonly summary: string;
    readonly pathParameters: Readonly<Record<string, string>>;
    /** Schemas by their name in API_SCHEMAS (api-schemas.ts), so that registering the routes loads no zod. */
    readonly requestBody?: ApiSchemaName;
    readonly responses: Readonly<Record<number, { readonly description: string; readonly schema?: ApiSchemaName }>>;
}

const badRequest = { description: 'A field is invalid; `error.issues` names each one and why. Nothing was started.', schema: 'errorBody' } as const;
/** Kept equal to MAX_BODY_BYTES (read-json-body.ts) by test/api/openapi.test.ts; not imported, so that registering the routes stays cheap. */
const BODY_LIMIT_BYTES = 65_536;
const bodyRefusals = {
    413: { description: `The body is larger than ${BODY_LIMIT_BYTES} bytes, the API's limit. Nothing was started.`, schema: 'errorBody' },
    415: { description: 'A body was sent without `content-type: application/json` (UTF-8). Nothing was started.', schema: 'errorBody' },
    503: { description: 'The durable task hub did not accept the start; nothing was started, try again.', schema: 'errorBody' },
} as const;
/** Every route that requires a role answers these before looking at the request. */
const authRefusals = {
    401: { description: 'No signed-in caller: send `Authorization: Bearer <token>` for the API (scope `<API app id URI>/.default`). Nothing was done.', schema: 'errorBody' },
    403: { description: 'The caller lacks the app role the route requires; `error.requiredRole` names it. Nothing was done.', schema: 'errorBody' },
} as const;
const tenantDomain = { tenantDomain: 'The Microsoft 365 tenant domain, e.g. contoso.com (IDN accepted, stored as punycode).' };

/** Every HTTP route of the app: functions/http/register.ts registers from here and the OpenAPI document is built from here. */
export const API_ROUTES = {
    onboardTenant: {
        name: 'onboardTenantStart',
        route: 'tenants/{tenantDomain}/onboard',
        method: 'POST',
        authLevel: 'anonymous',
        requiredRole: 'PushProxy.Operator',
        summary: 'Start onboarding a tenant: the procedure of "Configure the push notification proxy for OWA for Devices", end to end.',
        pathParameters: tenantDomain,
        requestBody: 'onboardRequest',
        responses: {
            202: { description: 'Started; follow statusUrl (also the Location header).', schema: 'runStarted' },
            400: badRequest,
            409: { description: 'A run for this tenant is in progress, or the tenant is bound to another hybrid connection (`tenant_bound`, with the remedy); or a run is starting.', schema: 'errorBody' },
            ...authRefusals,
            ...bodyRefusals,
        },
    },
    verifyTenant: {
        name: 'verifyTenantStart',
        route: 'tenants/{tenantDomain}/verify',
        method: 'POST',
        authLevel: 'anonymous',
        requiredRole: 'PushProxy.Operator',
        summary: 'Re-verify an onboarded tenant: every check, repairs in repair mode, certificate rotation when due.',
        pathParameters: tenantDomain,
        requestBody: 'verifyRequest',
        responses: {
            202: { description: 'Started; follow statusUrl (also the Location header).', schema: 'runStarted' },
            400: badRequest,
            404: { description: 'Never onboarded.', schema: 'errorBody' },
            409: { description: 'A run for this tenant is in progress or starting.', schema: 'errorBody' },
            ...authRefusals,
            ...bodyRefusals,
        },
    },
    rebindTenant: {
        name: 'rebindTenant',
        route: 'tenants/{tenantDomain}/rebind',
        method: 'POST',
        authLevel: 'anonymous',
        requiredRole: 'PushProxy.Administrator',
        summary: 'Re-bind an onboarded tenant to another hybrid connection and Exchange organization: an explicit administrator action. The next onboarding makes a certificate for the new organization.',
        pathParameters: tenantDomain,
        requestBody: 'rebindRequest',
        responses: {
            200: { description: 'Re-bound; the previous binding is returned.', schema: 'rebindResult' },
            400: badRequest,
            404: { description: 'Never onboarded.', schema: 'errorBody' },
            409: { description: 'A run for this tenant is in progress.', schema: 'errorBody' },
            ...authRefusals,
            ...bodyRefusals,
        },
    },
    listTenants: {
        name: 'listTenants',
        route: 'tenants',
        method: 'GET',
        authLevel: 'anonymous',
        requiredRole: 'PushProxy.Reader',
        summary: 'Every onboarded tenant with its certificate, key credential and last verification.',
        pathParameters: {},
        responses: { 200: { description: 'The registry.', schema: 'tenantList' }, ...authRefusals },
    },
    getTenant: {
        name: 'getTenant',
        route: 'tenants/{tenantDomain}',
        method: 'GET',
        authLevel: 'anonymous',
        requiredRole: 'PushProxy.Reader',
        summary: "One tenant's registry record, its verification history and its latest run.",
        pathParameters: tenantDomain,
        responses: {
            200: { description: 'The tenant.', schema: 'tenantDetail' },
            400: badRequest,
            404: { description: 'Never onboarded.', schema: 'errorBody' },
            ...authRefusals,
        },
    },
    getTenantConsent: {
        name: 'getTenantConsent',
        route: 'tenants/{tenantDomain}/consent',
        method: 'GET',
        authLevel: 'anonymous',
        requiredRole: 'PushProxy.Reader',
        summary:
            "A tenant's Entra ID directory (from ?tenantId=, the registry, or the domain's OpenID configuration), the admin-consent link of the provider's multi-tenant application there, and whether its administrator consented.",
        pathParameters: tenantDomain,
        responses: {
            200: { description: 'The directory and its consent (mode `single`: the deployment works in its own directory; no consent to give).', schema: 'tenantConsent' },
            400: badRequest,
            404: { description: 'No Entra ID directory has this domain (`tenant_not_found`).', schema: 'errorBody' },
            ...authRefusals,
        },
    },
    enrollOrganization: {
        name: 'enrollOrganization',
        route: 'organizations',
        method: 'POST',
        authLevel: 'anonymous',
        requiredRole: 'PushProxy.Administrator',
        summary: "Enroll an Exchange organization without redeploying: its hybrid connection and Listen rule on the relay namespace, its agent's shared secret in Key Vault. Returns, once, what the agent's configuration needs.",
        pathParameters: {},
        requestBody: 'enrollRequest',
        responses: {
            201: { description: "Enrolled. The body holds the agent's Listen key and shared secret: it is not stored anywhere else and not shown again.", schema: 'enrolledOrganization' },
            400: badRequest,
            409: { description: 'An organization of that name is enrolled (`organization_exists`).', schema: 'errorBody' },
            413: bodyRefusals[413],
            415: bodyRefusals[415],
            501: { description: 'PPO_RELAY_RESOURCE_ID is not set: this deployment does not enroll at run time (`enrollment_not_configured`).', schema: 'errorBody' },
            502: { description: 'Azure Resource Manager or Key Vault refused (the remedy names the role).', schema: 'errorBody' },
            ...authRefusals,
        },
    },
    removeOrganization: {
        name: 'removeOrganization',
        route: 'organizations/{name}',
        method: 'DELETE',
        authLevel: 'anonymous',
        requiredRole: 'PushProxy.Administrator',
        summary: "Revoke an organization's agent: deletes its hybrid connection (and its Listen rule) and its shared secret. Its tenants can no longer be onboarded or verified until it is enrolled again and re-bound.",
        pathParameters: { name: 'The organization (hybrid connection) name.' },
        responses: {
            200: { description: 'Removed, or was already absent.', schema: 'removedOrganization' },
            400: badRequest,
            501: { description: 'PPO_RELAY_RESOURCE_ID is not set (`enrollment_not_configured`).', schema: 'errorBody' },
            502: { description: 'Azure Resource Manager or Key Vault refused.', schema: 'errorBody' },
            ...authRefusals,
        },
    },
    getSignedInCaller: {
        name: 'getSignedInCaller',
        route: 'me',
        method: 'GET',
        authLevel: 'anonymous',
        // Anyone App Service signed in, no role needed: the answer is what they may do, and the console
        // reads it because App Service's own /.auth/me needs the token store, which infra/ leaves off.
        requiredRole: 'AnySignedIn',
        summary: 'Who is calling, as the API sees them: their name and the app roles that decide what they may do.',
        pathParameters: {},
        responses: {
            200: { description: 'The signed-in caller.', schema: 'signedInCaller' },
            401: authRefusals[401],
        },
    },
    getRun: {
        name: 'getRun',
        route: 'runs/{instanceId}',
        method: 'GET',
        authLevel: 'anonymous',
        requiredRole: 'PushProxy.Reader',
        summary: 'A run: runtime status, the step table, and its result or structured error.',
        pathParameters: { instanceId: 'The instanceId returned when the run started; in `tenant-<domain>`, the domain is normalised as in the tenant routes.' },
        responses: {
            200: { description: 'The run.', schema: 'runView' },
            400: badRequest,
            404: { description: 'No such run.', schema: 'errorBody' },
            ...authRefusals,
        },
    },
    console: {
        name: 'console',
        route: 'console/{*path}',
        method: 'GET',
        authLevel: 'anonymous',
        // The page and its files hold no data: it signs the person in (/.auth/login/aad) and calls the routes above as them.
        requiredRole: null,
        // Fixed names (scripts/build-console.mjs versions them in a query string): each is excluded from App Service authentication.
        publicPaths: ['/api/console', '/api/console/', '/api/console/index.html', '/api/console/app.js', '/api/console/style.css'],
        summary: "The operator's console (a web page); it calls the routes above as the signed-in person.",
        pathParameters: { path: 'A file of the console; empty for the page.' },
        responses: {
            200: { description: 'The page (text/html) or one of its files.' },
            301: { description: '/api/console redirects to /api/console/.' },
            404: { description: 'The console has no such file.', schema: 'errorBody' },
            503: { description: 'The console was not built with the app (`npm run build`).', schema: 'errorBody' },
        },
    },
    openApi: {
        name: 'openApiDocument',
        route: 'openapi.json',
        method: 'GET',
        authLevel: 'anonymous',
        requiredRole: null,
        summary: 'This document (OpenAPI 3.1).',
        pathParameters: {},
        responses: { 200: { description: 'The OpenAPI document.' } },
    },
} as const satisfies Record<string, ApiRoute>;

/**
 * The route that answers a path or method no route above takes, with JSON instead of the Functions
 * host's empty 404 (functions/http/unmatched-route.ts). Not in API_ROUTES: it is no operation, and no
 * path of it is public (App Service authentication still signs callers in before it answers).
 * It takes only what the others leave: the host sorts function routes literal segments first, then
 * parameters (more constraints first), longer templates before shorter (RouteComparison in
 * Azure/azure-webjobs-sdk-extensions, src/WebJobs.Extensions.Http/Routing/WebJobsRouteBuilder.cs), and
 * a route whose methods exclude the request's does not match (HttpMethodRouteConstraint), so a
 * known path with another method falls through to it as well.
 */
export const UNMATCHED_ROUTE = {
    name: 'unmatchedRoute',
    route: '{*path}',
    // Every method the trigger binding can name (HttpMethod in @azure/functions) but CONNECT and TRACE,
    // which the library's request (undici's Request) refuses: the function would fail, not answer.
    methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'],
    authLevel: 'anonymous',
} as const;

export function allRoutes(): readonly ApiRoute[] {
    return Object.values(API_ROUTES);
}

/** The paths no role guards (requiredRole null), for App Service authentication's excludedPaths. */
export function unauthenticatedPaths(): string[] {
    return allRoutes()
        .filter((route) => route.requiredRole === null)
        .flatMap((route) => route.publicPaths ?? [`/api/${route.route}`]);
}
