import { z } from 'zod';

const statusFault = z.object({
    status: z.union([z.literal(429), z.literal(500), z.literal(503), z.literal(504)]),
    count: z.number().int().min(1).default(1).describe('How many consecutive matching requests fail.'),
    afterRequests: z.number().int().min(0).default(0).describe('Matching requests let through before the first failure.'),
    retryAfterSeconds: z.number().int().min(0).optional(),
    match: z.string().optional().describe('Only requests whose method and path contain this text, e.g. "PATCH".'),
});

export const faultsScenarioSchema = z
    .object({
        graph: z.array(statusFault).default([]),
        keyVault: z
            .object({
                creationDelaySeconds: z.number().min(0).default(0).describe('Time, on the world clock, until a created certificate completes.'),
                errors: z.array(statusFault).default([]),
            })
            .prefault({}),
        relay: z
            .object({
                dropListenerAfterRequests: z.array(z.number().int().min(1)).default([]).describe('Drop the listener control channel after the Nth request.'),
                delayMs: z.number().int().min(0).default(0),
                refuseWith503: z.number().int().min(0).default(0).describe('Answer this many sends 503 before forwarding.'),
            })
            .prefault({}),
        agent: z
            .object({
                restartAfterOperations: z.array(z.number().int().min(1)).default([]).describe('Restart the agent after the Nth operation has started.'),
            })
            .prefault({}),
    })
    .prefault({});

export type FaultsScenario = z.infer<typeof faultsScenarioSchema>;
