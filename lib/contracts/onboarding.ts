import { z } from 'zod';
import type { RequestedBy } from '../auth/caller';
import { cloudNameSchema, keyTargetSchema, type CloudName, type KeyTarget } from './clouds';

export const hybridConnectionNameSchema = z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,49}$/, 'must be the hybrid connection name: 1 to 50 letters, digits, ".", "_" or "-"');

export const reverifyModeSchema = z.enum(['report', 'repair']);
export type ReverifyMode = z.infer<typeof reverifyModeSchema>;

/** Body of POST /api/tenants/{tenantDomain}/onboard. Unknown fields are refused, not ignored. */
export const onboardRequestSchema = z
    .object({
        tenantId: z.uuid('must be the Entra tenant id, a GUID').optional(),
        cloud: cloudNameSchema.default('global'),
        keyTarget: keyTargetSchema.default({ kind: 'firstPartyServicePrincipal' }),
        agent: z.object({ hybridConnection: hybridConnectionNameSchema }).strict(),
        certificate: z
            .object({
                validityMonths: z.number().int().min(1).max(60).default(24),
                keySize: z.union([z.literal(2048), z.literal(3072), z.literal(4096)]).default(2048),
                confirmThumbprint: z
                    .string()
                    .regex(/^[0-9A-Fa-f]{40}$/, 'must be a certificate thumbprint: 40 hexadecimal digits')
                    .transform((thumbprint) => thumbprint.toUpperCase())
                    .optional()
                    .describe('The thumbprint of the on-premises OAuth certificate to reuse, as the dry run shows it. Without it, a certificate found on premises whose key the key target does not hold is not registered: one is created in Key Vault.'),
            })
            .strict()
            .prefault({}),
        settleSeconds: z.number().int().min(0).max(900).default(120),
        probeAttempts: z.number().int().min(1).max(10).default(3),
        reverifyMode: reverifyModeSchema.default('report'),
        dryRun: z.boolean().default(false),
    })
    .strict();

export type OnboardRequest = z.infer<typeof onboardRequestSchema>;

/** Input of the onboardTenant orchestration: the validated request plus settings. No secrets. */
export interface OnboardTenantInput {
    /** Unique per run; the agent's operation ids derive from it, so a new run is never served an old result. */
    readonly runId: string;
    readonly tenantDomain: string;
    /** The MicrosoftSts AuthServer URL for this tenant in its cloud. */
    readonly authMetadataUrl: string;
    /** Enable-PushNotificationProxy -Uri: the push notification service of the tenant's cloud. */
    readonly pushNotificationUri: string;
    readonly tenantId?: string;
    readonly cloud: CloudName;
    readonly keyTarget: KeyTarget;
    readonly hybridConnection: string;
    /** The organization the tenant is bound to (registry), when it was onboarded before: another one fails the run. */
    readonly boundOrganizationGuid?: string;
    readonly certificate: { readonly validityMonths: number; readonly keySize: 2048 | 3072 | 4096; readonly confirmThumbprint?: string };
    readonly settleSeconds: number;
    readonly probeAttempts: number;
    readonly reverifyMode: ReverifyMode;
    readonly dryRun: boolean;
    readonly renewalWindowDays: number;
    /** Who asked for the run (the API's caller): kept in the run's output and the registry. Never a token. */
    readonly requestedBy: RequestedBy;
}
