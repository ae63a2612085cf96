import { z } from 'zod';
import { APP_ROLES } from '../../lib/auth/app-roles';
import { errorBodySchema, runErrorSchema, stepSchema } from '../../lib/contracts/api-view-schemas';
import { hybridConnectionNameSchema, onboardRequestSchema, reverifyModeSchema } from '../../lib/contracts/onboarding';

/** Body of POST /api/tenants/{tenantDomain}/verify. */
export const verifyRequestSchema = z.object({ mode: reverifyModeSchema.optional().describe("report (default: the tenant's mode) or repair") }).strict();

/** Body of POST /api/tenants/{tenantDomain}/rebind: the administrator's explicit new binding. */
export const rebindRequestSchema = z
    .object({
        agent: z.object({ hybridConnection: hybridConnectionNameSchema }).strict(),
        organizationGuid: z.guid('must be the Exchange organization GUID (Get-OrganizationConfig).').describe('The organization the tenant is bound to from now on.'),
    })
    .strict();

const requestedBySchema = z
    .object({ id: z.string().describe('Entra ID object id of the user or service principal'), name: z.string().describe('User principal name, or the application') })
    .describe('Who asked: the signed-in caller (never a token).');

const bindingSchema = z.object({ hybridConnection: z.string(), organizationGuid: z.string().nullable() });

export const rebindResultSchema = z.object({ tenantDomain: z.string(), binding: bindingSchema, previous: bindingSchema, requestedBy: requestedBySchema });

/** Response shapes of the API, for the OpenAPI document; handlers build them with the same field names. */
export const runStartedSchema = z.object({
    instanceId: z.string(),
    runId: z.string(),
    tenantDomain: z.string(),
    statusUrl: z.string().describe('GET it for the step table and result; also in the Location header.'),
});

export const runViewSchema = z.object({
    instanceId: z.string(),
    orchestration: z.string(),
    runtimeStatus: z.string().describe('Pending, Running, Completed, Failed, Terminated'),
    createdTime: z.string(),
    lastUpdatedTime: z.string(),
    tenantDomain: z.string().nullable(),
    steps: z.array(stepSchema),
    error: runErrorSchema.nullable(),
    output: z.unknown().describe('The run result once Completed (see README, "Run results").'),
    requestedBy: requestedBySchema.nullable().describe('Who asked for the run; null for runs started before callers were recorded.'),
});

const lastVerificationSchema = z
    .object({ at: z.string(), outcome: z.string(), summary: z.string(), checks: z.array(z.object({ id: z.string(), state: z.string(), detail: z.string() })) })
    .nullable();

export const tenantViewSchema = z.object({
    tenantDomain: z.string(),
    tenantId: z.string().nullable(),
    cloud: z.string(),
    keyTarget: z.object({ kind: z.string(), appId: z.string().optional() }),
    hybridConnection: z.string(),
    organizationGuid: z.string().nullable().optional().describe('The Exchange organization the tenant is bound to; null before its binding was recorded.'),
    reverifyMode: reverifyModeSchema,
    certificate: z.object({ thumbprint: z.string(), notAfter: z.string(), source: z.enum(['created', 'reused']), keyVaultName: z.string().nullable(), keyVaultVersion: z.string().nullable() }),
    keyCredentialId: z.string().nullable(),
    rotationDueAt: z.string().describe('When re-verification rotates the certificate: its expiry less PPO_RENEWAL_WINDOW_DAYS'),
    onboardedAt: z.string().describe('When the tenant was first recorded'),
    lastRunAt: z.string().optional().describe('When the latest onboarding run recorded it'),
    partial: z
        .object({
            runId: z.string(),
            instanceId: z.string(),
            at: z.string(),
            error: z.object({ step: z.string(), code: z.string(), message: z.string() }),
            changes: z.array(z.string()),
        })
        .optional()
        .describe('Present while the latest onboarding failed after changing something: the tenant is partially onboarded'),
    requestedBy: requestedBySchema.optional().describe('Who asked for the latest change of the record: its onboarding, or a re-bind.'),
    lastVerification: lastVerificationSchema,
});

export const tenantListSchema = z.object({ tenants: z.array(tenantViewSchema) });

export const tenantDetailSchema = z.object({
    tenant: tenantViewSchema.nullable(),
    history: z.array(z.object({ runId: z.string(), kind: z.string(), outcome: z.string(), at: z.string(), summary: z.string() }).loose()),
    latestRun: runViewSchema.nullable(),
});

/** GET /api/me: the caller App Service authenticated, from X-MS-CLIENT-PRINCIPAL (lib/auth/caller.ts). */
export const signedInCallerSchema = z.object({
    name: z.string().describe('User principal name, or the application'),
    roles: z.array(z.enum(APP_ROLES)).describe("The API's app roles the caller holds (other values of the roles claim are ignored); none for a caller without a role."),
});

/** Body of POST /api/organizations. */
export const enrollRequestSchema = z
    .object({ name: hybridConnectionNameSchema.describe('The organization\'s name: its hybrid connection and the suffix of its agent secret.') })
    .strict();

export const enrolledOrganizationSchema = z.object({
    organization: z.string(),
    agentConfiguration: z
        .object({
            relay: z.object({ namespace: z.string(), hybridConnection: z.string(), listenRuleName: z.string(), listenKey: z.string() }),
            sharedSecret: z.string(),
        })
        .describe("The agent configuration's relay and sharedSecret (agent/config.ts). Shown once: store it as the deployment guide says."),
});

export const removedOrganizationSchema = z.object({ organization: z.string(), outcome: z.enum(['removed', 'absent']) });

export const tenantConsentSchema = z.object({
    tenantDomain: z.string(),
    mode: z.enum(['single', 'multiTenant']),
    tenantId: z.string().nullable(),
    tenantIdSource: z.enum(['request', 'registry', 'discovered']).nullable(),
    consentUrl: z.string().optional().describe("Multi-tenant: the link the customer's administrator opens once to consent."),
    consented: z.boolean().optional(),
    detail: z.string().nullable().optional().describe("Why consent is taken as missing: Entra ID's or Graph's answer."),
});

/** The schemas API_ROUTES names for request bodies and responses. */
export const API_SCHEMAS = {
    onboardRequest: onboardRequestSchema,
    verifyRequest: verifyRequestSchema,
    rebindRequest: rebindRequestSchema,
    rebindResult: rebindResultSchema,
    errorBody: errorBodySchema,
    tenantConsent: tenantConsentSchema,
    enrollRequest: enrollRequestSchema,
    enrolledOrganization: enrolledOrganizationSchema,
    removedOrganization: removedOrganizationSchema,
    runStarted: runStartedSchema,
    runView: runViewSchema,
    tenantList: tenantListSchema,
    tenantDetail: tenantDetailSchema,
    signedInCaller: signedInCallerSchema,
} as const satisfies Record<string, z.ZodType>;

export type ApiSchemaName = keyof typeof API_SCHEMAS;
