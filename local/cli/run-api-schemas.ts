import { z } from 'zod';

/** The parts of the API's JSON the CLIs read (README: GET /api/runs/{instanceId}); unknown fields are ignored. */
export const stepViewSchema = z.object({
    id: z.string(),
    title: z.string(),
    state: z.enum(['pending', 'running', 'succeeded', 'skipped', 'failed']),
    detail: z.string().optional(),
    startedAt: z.string().optional(),
    endedAt: z.string().optional(),
});

export const runErrorSchema = z.object({
    step: z.string(),
    code: z.string(),
    message: z.string(),
    remedy: z.string().optional(),
});

export const runViewSchema = z.object({
    instanceId: z.string(),
    orchestration: z.string().optional(),
    runtimeStatus: z.string(),
    createdTime: z.string().optional(),
    lastUpdatedTime: z.string().optional(),
    tenantDomain: z.string().nullable().optional(),
    steps: z.array(stepViewSchema),
    error: runErrorSchema.nullable(),
    output: z.unknown(),
});

/** The output of a succeeded onboarding (lib/contracts/onboarding-result.ts), as far as the demo shows it. */
export const onboardSucceededSchema = z.object({
    outcome: z.literal('succeeded'),
    certificate: z.object({ thumbprint: z.string(), notAfter: z.string(), source: z.enum(['created', 'reused']) }),
    authServer: z.enum(['created', 'updated', 'unchanged']),
    keyCredentials: z.object({ before: z.array(z.string()), after: z.array(z.string()) }),
    probe: z.object({ server: z.string(), resultType: z.literal('Succeeded'), attempts: z.number().int() }),
    /** What the run changed, in order; empty when everything was already in place. */
    changes: z.array(z.string()).optional(),
});

export const onboardAcceptedSchema = z.object({ instanceId: z.string(), statusUrl: z.string() });

/** The API's error body: `issues` names each bad field (400), `statusUrl` the run in the way (409). */
export const apiErrorSchema = z.object({
    error: z.object({
        code: z.string(),
        message: z.string(),
        issues: z.array(z.object({ field: z.string(), reason: z.string() })).optional(),
        statusUrl: z.string().optional(),
    }),
});

export type StepView = z.infer<typeof stepViewSchema>;
export type RunErrorView = z.infer<typeof runErrorSchema>;
export type RunView = z.infer<typeof runViewSchema>;
export type OnboardSucceededView = z.infer<typeof onboardSucceededSchema>;
