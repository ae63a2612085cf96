import { z } from 'zod';

/** A key credential already on the key target before the run. */
export const scenarioKeyCredentialSchema = z.object({
    keyId: z.uuid().optional().describe('Generated when absent.'),
    displayName: z.string().default('CN=pre-existing'),
    certificate: z
        .string()
        .optional()
        .describe('id of an Exchange scenario certificate whose public key this is; a fresh certificate is generated when absent.'),
    startDateTime: z.iso.datetime().optional().describe('Defaults to the certificate\'s notBefore.'),
    endDateTime: z.iso.datetime().optional().describe('Defaults to the certificate\'s notAfter.'),
    usage: z.enum(['Verify', 'Sign']).default('Verify'),
    customKeyIdentifier: z.string().optional().describe('Defaults to the certificate thumbprint (upper-case hex), as Graph does.'),
});

export const entraScenarioSchema = z.object({
    tenantId: z.uuid(),
    keyTarget: z
        .discriminatedUnion('kind', [
            z.object({ kind: z.literal('firstPartyServicePrincipal') }),
            z.object({ kind: z.literal('application'), appId: z.uuid() }),
        ])
        .default({ kind: 'firstPartyServicePrincipal' }),
    keyTargetExists: z.boolean().default(true).describe('false: the lookup answers "not found" (Exchange Online not licensed).'),
    keyCredentials: z.array(scenarioKeyCredentialSchema).default([]),
    otherApplications: z
        .array(
            z.object({
                appId: z.uuid(),
                displayName: z.string().default('ExchangeServerApp'),
                keyCredentials: z.array(scenarioKeyCredentialSchema).default([]),
            }),
        )
        .default([])
        .describe('Further application registrations in the directory, e.g. the dedicated Exchange hybrid application an EvoSts AuthServer names.'),
    grantedRoles: z
        .array(z.string())
        .default(['Application.ReadWrite.All'])
        .describe('Graph application roles in the tokens the issuer hands out; remove to provoke 403.'),
    keyReplicationSeconds: z
        .number()
        .int()
        .min(0)
        .default(0)
        .describe(
            'How long a key credential just added goes unhonoured by token validation while Entra ID replicates it (the simulated probe fails with a token error meanwhile). Default 0.',
        ),
    maxKeyCredentialLifetimeDays: z
        .number()
        .int()
        .min(1)
        .optional()
        .describe(
            'A tenant app management policy capping key credential lifetimes: longer credentials are rejected with "Key credential end date is invalid." Absent: no policy.',
        ),
});

export type EntraScenario = z.infer<typeof entraScenarioSchema>;
export type ScenarioKeyCredential = z.infer<typeof scenarioKeyCredentialSchema>;
