import { z } from 'zod';
import type { RunError, Step, StepState } from './steps';

/**
 * The parts of the API's answers that the app writes and its CLIs read, one definition for both
 * (functions/http/api-schemas.ts for the OpenAPI document, local/cli and cli/ to parse answers).
 */
const stepStates = ['pending', 'running', 'succeeded', 'skipped', 'failed'] as const satisfies readonly StepState[];

export const stepSchema = z.object({
    id: z.string(),
    title: z.string(),
    state: z.enum(stepStates),
    detail: z.string().optional(),
    startedAt: z.string().optional(),
    endedAt: z.string().optional(),
}) satisfies z.ZodType<Step>;

export const runErrorSchema = z.object({ step: z.string(), code: z.string(), message: z.string(), remedy: z.string().optional() }) satisfies z.ZodType<RunError>;

/** The API's error body: `issues` names each bad field (400), `statusUrl` the run in the way (409). */
export const errorBodySchema = z.object({
    error: z.object({
        code: z.string().describe('Stable machine-readable code, e.g. "validation", "run_in_progress", "not_found".'),
        message: z.string(),
        issues: z.array(z.object({ field: z.string(), reason: z.string() })).optional().describe('Each bad field and why (400 only).'),
        statusUrl: z.string().optional(),
        remedy: z.string().optional().describe('What to do when the fix is not a change to the request (an allowlist, a binding, a role).'),
    }),
});
