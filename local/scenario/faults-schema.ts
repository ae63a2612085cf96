import { z } from 'zod';

export const statusFaultSchema = z.object({
    status: z
        .union([z.literal(429), z.literal(500), z.literal(503), z.literal(504), z.literal('reset'), z.literal('lostAnswer')])
        .describe(
            'The HTTP status to answer; "reset": close the connection without carrying out the request; "lostAnswer": carry it out, then close the connection before answering (the client sees ECONNRESET either way).',
        ),
    count: z.number().int().min(1).default(1).describe('How many consecutive matching requests fail.'),
    afterRequests: z.number().int().min(0).default(0).describe('Matching requests let through before the first failure.'),
    retryAfterSeconds: z.number().int().min(0).optional().describe('Sent as Retry-After with the failure; absent: no Retry-After header.'),
    match: z.string().optional().describe('Only requests whose "METHOD /path" contains this text, e.g. "PATCH" or "/pending".'),
});

export const KEY_VAULT_ROLES = ['Key Vault Certificates Officer', 'Key Vault Secrets User', 'Key Vault Secrets Officer'] as const;

export const faultsScenarioSchema = z
    .object({
        graph: z.array(statusFaultSchema).default([]).describe('Failures the Graph stand-in answers after validating the token.'),
        graphSilentDrops: z
            .array(z.uuid())
            .default([])
            .describe(
                'keyIds of key credentials the Graph stand-in silently loses on the next PATCH that keeps them (a concurrent writer or a service bug), to exercise the verify-after-write guard.',
            ),
        keyVault: z
            .object({
                creationDelaySeconds: z.number().min(0).default(0).describe('Time, on the world clock, until a created certificate completes.'),
                errors: z.array(statusFaultSchema).default([]).describe('Failures the Key Vault stand-in answers after validating the token.'),
                missingRoles: z
                    .array(z.enum(KEY_VAULT_ROLES))
                    .default([])
                    .describe('Data-plane roles the product identity lacks on the vault: certificate operations need the first, reading the PFX secret the second (403 ForbiddenByRbac).'),
            })
            .prefault({}),
        relay: z
            .object({
                dropListenerAfterRequests: z.array(z.number().int().min(1)).default([]).describe('Drop the listener control channel after the Nth request.'),
                dropListenerDuringRequests: z
                    .array(z.number().int().min(1))
                    .default([])
                    .describe('Drop the listener control channel in the middle of the Nth request: the agent has run it, but its reply is lost with the connection.'),
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
export type StatusFault = z.infer<typeof statusFaultSchema>;
export type KeyVaultRole = (typeof KEY_VAULT_ROLES)[number];
