import { z } from 'zod';
import { runErrorSchema, stepSchema } from '../lib/contracts/api-view-schemas';

/** The parts of the API's JSON the CLIs read (README: GET /api/runs/{instanceId}); unknown fields are ignored. */
export const runViewSchema = z.object({
    instanceId: z.string(),
    orchestration: z.string().optional(),
    runtimeStatus: z.string(),
    createdTime: z.string().optional(),
    lastUpdatedTime: z.string().optional(),
    tenantDomain: z.string().nullable().optional(),
    steps: z.array(stepSchema),
    error: runErrorSchema.nullable(),
    output: z.unknown(),
});

/** Where the run installed the certificate; a run that completed before it was written this way listed a report per server. */
const installedSchema = z
    .union([
        z.object({ imported: z.array(z.string()), present: z.array(z.string()) }),
        z.array(z.object({ server: z.string(), action: z.string() })).transform((reports) => ({
            imported: reports.filter((report) => report.action === 'imported').map((report) => report.server),
            present: reports.filter((report) => report.action === 'present').map((report) => report.server),
        })),
    ])
    .default({ imported: [], present: [] });

/** The output of a succeeded onboarding (lib/contracts/onboarding-result.ts), as far as the demo shows it. */
export const onboardSucceededSchema = z.object({
    outcome: z.literal('succeeded'),
    certificate: z.object({ thumbprint: z.string(), notAfter: z.string(), source: z.enum(['created', 'reused']), keyVaultName: z.string().nullable().default(null) }),
    installed: installedSchema,
    authServer: z.enum(['created', 'updated', 'unchanged']),
    keyCredentials: z.object({ before: z.array(z.string()), after: z.array(z.string()) }),
    probe: z.object({ server: z.string(), resultType: z.literal('Succeeded'), attempts: z.number().int() }),
    /** What the run changed, in order; empty when everything was already in place. */
    changes: z.array(z.string()).optional(),
});

/** A failed onboarding's output in the run view: what it changed before it stopped. */
export const onboardFailedSchema = z.object({ outcome: z.literal('failed'), changes: z.array(z.string()) });

export const onboardAcceptedSchema = z.object({ instanceId: z.string(), statusUrl: z.string() });

export type StepView = z.infer<typeof stepSchema>;
export type RunErrorView = z.infer<typeof runErrorSchema>;
export type RunView = z.infer<typeof runViewSchema>;
export type OnboardSucceededView = z.infer<typeof onboardSucceededSchema>;
