import type { ApiSchemaName } from './api-schemas';

export interface ApiRoute {
    /** The function name it is registered under. */
    readonly name: string;
    /** Route template below /api, as registered. */
    readonly route: string;
    readonly method: 'GET' | 'POST';
    readonly authLevel: 'anonymous' | 'function';
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
const tenantDomain = { tenantDomain: 'The Microsoft 365 tenant domain, e.g. contoso.com (IDN accepted, stored as punycode).' };

/** Every HTTP route of the app: functions/http/register.ts registers from here and the OpenAPI document is built from here. */
export const API_ROUTES = {
    onboardTenant: {
        name: 'onboardTenantStart',
        route: 'tenants/{tenantDomain}/onboard',
        method: 'POST',
        authLevel: 'function',
        summary: 'Start onboarding a tenant: the procedure of "Configure the push notification proxy for OWA for Devices", end to end.',
        pathParameters: tenantDomain,
        requestBody: 'onboardRequest',
        responses: {
            202: { description: 'Started; follow statusUrl (also the Location header).', schema: 'runStarted' },
            400: badRequest,
            409: { description: 'A run for this tenant is in progress, or the tenant is bound to another hybrid connection (`tenant_bound`, with the remedy); or a run is starting.', schema: 'errorBody' },
            ...bodyRefusals,
        },
    },
    verifyTenant: {
        name: 'verifyTenantStart',
        route: 'tenants/{tenantDomain}/verify',
        method: 'POST',
        authLevel: 'function',
        summary: 'Re-verify an onboarded tenant: every check, repairs in repair mode, certificate rotation when due.',
        pathParameters: tenantDomain,
        requestBody: 'verifyRequest',
        responses: {
            202: { description: 'Started; follow statusUrl (also the Location header).', schema: 'runStarted' },
            400: badRequest,
            404: { description: 'Never onboarded.', schema: 'errorBody' },
            409: { description: 'A run for this tenant is in progress or starting.', schema: 'errorBody' },
            ...bodyRefusals,
        },
    },
    rebindTenant: {
        name: 'rebindTenant',
        route: 'tenants/{tenantDomain}/rebind',
        method: 'POST',
        authLevel: 'function',
        summary: 'Re-bind an onboarded tenant to another hybrid connection and Exchange organization: an explicit administrator action. The next onboarding makes a certificate for the new organization.',
        pathParameters: tenantDomain,
        requestBody: 'rebindRequest',
        responses: {
            200: { description: 'Re-bound; the previous binding is returned.', schema: 'rebindResult' },
            400: badRequest,
            404: { description: 'Never onboarded.', schema: 'errorBody' },
            409: { description: 'A run for this tenant is in progress.', schema: 'errorBody' },
            ...bodyRefusals,
        },
    },
    listTenants: {
        name: 'listTenants',
        route: 'tenants',
        method: 'GET',
        authLevel: 'function',
        summary: 'Every onboarded tenant with its certificate, key credential and last verification.',
        pathParameters: {},
        responses: { 200: { description: 'The registry.', schema: 'tenantList' } },
    },
    getTenant: {
        name: 'getTenant',
        route: 'tenants/{tenantDomain}',
        method: 'GET',
        authLevel: 'function',
        summary: "One tenant's registry record, its verification history and its latest run.",
        pathParameters: tenantDomain,
        responses: {
            200: { description: 'The tenant.', schema: 'tenantDetail' },
            400: badRequest,
            404: { description: 'Never onboarded.', schema: 'errorBody' },
        },
    },
    getRun: {
        name: 'getRun',
        route: 'runs/{instanceId}',
        method: 'GET',
        authLevel: 'function',
        summary: 'A run: runtime status, the step table, and its result or structured error.',
        pathParameters: { instanceId: 'The instanceId returned when the run started; in `tenant-<domain>`, the domain is normalised as in the tenant routes.' },
        responses: {
            200: { description: 'The run.', schema: 'runView' },
            400: badRequest,
            404: { description: 'No such run.', schema: 'errorBody' },
        },
    },
    console: {
        name: 'console',
        route: 'console/{*path}',
        method: 'GET',
        authLevel: 'anonymous',
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
        summary: 'This document (OpenAPI 3.1).',
        pathParameters: {},
        responses: { 200: { description: 'The OpenAPI document.' } },
    },
} as const satisfies Record<string, ApiRoute>;

export function allRoutes(): readonly ApiRoute[] {
    return Object.values(API_ROUTES);
}
