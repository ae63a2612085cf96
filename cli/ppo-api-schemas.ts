import { z } from 'zod';
import { onboardAcceptedSchema, runViewSchema } from './run-api-schemas';

// The parts of the API's JSON ppo reads. Loose, so that --json prints what the API answered, fields
// this CLI does not know included.

export const runStartedSchema = onboardAcceptedSchema.loose();
export const fullRunViewSchema = runViewSchema.loose();

const tenantViewSchema = z
    .object({
        tenantDomain: z.string(),
        tenantId: z.string().nullable(),
        cloud: z.string(),
        keyTarget: z.object({ kind: z.string(), appId: z.string().optional() }).loose(),
        hybridConnection: z.string(),
        reverifyMode: z.string(),
        certificate: z.object({ thumbprint: z.string(), notAfter: z.string(), source: z.string() }).loose(),
        onboardedAt: z.string(),
        lastVerification: z.object({ at: z.string(), outcome: z.string(), summary: z.string() }).loose().nullable(),
    })
    .loose();

export const tenantListSchema = z.object({ tenants: z.array(tenantViewSchema) }).loose();

export const tenantDetailSchema = z
    .object({
        tenant: tenantViewSchema.nullable(),
        history: z.array(z.object({ runId: z.string(), kind: z.string(), outcome: z.string(), at: z.string(), summary: z.string() }).loose()),
        latestRun: fullRunViewSchema.nullable(),
    })
    .loose();

/** Output of a dry run (lib/contracts/onboarding-result.ts). */
export const onboardDryRunSchema = z.object({ outcome: z.literal('dryRun'), plannedChanges: z.array(z.string()) });

/** Output of reverifyTenant (lib/contracts/reverify.ts). */
export const verifyResultSchema = z.object({
    mode: z.string(),
    outcome: z.enum(['succeeded', 'drifted', 'repaired', 'failed']),
    checks: z.array(z.object({ id: z.string(), state: z.string(), detail: z.string() })),
    rotation: z.object({ kind: z.string(), from: z.string(), to: z.string() }).loose().nullable(),
});

export type RunStarted = z.infer<typeof runStartedSchema>;
export type FullRunView = z.infer<typeof fullRunViewSchema>;
export type TenantView = z.infer<typeof tenantViewSchema>;
export type TenantList = z.infer<typeof tenantListSchema>;
export type TenantDetail = z.infer<typeof tenantDetailSchema>;

/** POST /api/organizations: what the agent's configuration needs, shown once. Strict: it is never printed whole to a terminal. */
export const enrolledOrganizationSchema = z.object({
    organization: z.string(),
    agentConfiguration: z.object({
        relay: z.object({ namespace: z.string(), hybridConnection: z.string(), listenRuleName: z.string(), listenKey: z.string() }),
        sharedSecret: z.string(),
    }),
});

export const removedOrganizationSchema = z.object({ organization: z.string(), outcome: z.enum(['removed', 'absent']) });

/** GET /api/tenants/{tenantDomain}/consent. */
export const tenantConsentSchema = z
    .object({
        tenantDomain: z.string(),
        mode: z.enum(['single', 'multiTenant']),
        tenantId: z.string().nullable(),
        tenantIdSource: z.string().nullable(),
        consentUrl: z.string().optional(),
        consented: z.boolean().optional(),
    })
    .loose();

export type EnrolledOrganization = z.infer<typeof enrolledOrganizationSchema>;
export type RemovedOrganization = z.infer<typeof removedOrganizationSchema>;
export type TenantConsent = z.infer<typeof tenantConsentSchema>;
