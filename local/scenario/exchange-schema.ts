import { z } from 'zod';

/** A certificate in the simulated organization; generated for real at load time from this spec. */
export const scenarioCertificateSchema = z.object({
    id: z.string().min(1).describe('Label used by other parts of the scenario to refer to this certificate.'),
    friendlyName: z.string().default('Microsoft Exchange Server Auth Certificate'),
    subject: z.string().min(1).describe('Subject CN, e.g. "Microsoft Exchange Server Auth Certificate".'),
    domains: z.array(z.string().min(1)).default([]).describe('DNS names (CertificateDomains).'),
    services: z.array(z.enum(['None', 'IMAP', 'POP', 'UM', 'IIS', 'SMTP', 'Federation', 'UMCallRouter'])).default(['SMTP']),
    keySize: z.number().int().min(1024).max(4096).default(2048),
    notBefore: z.iso.datetime().describe('Validity start (ISO 8601).'),
    notAfter: z.iso.datetime().describe('Validity end (ISO 8601).'),
    exportable: z.boolean().default(true),
    servers: z.array(z.string().min(1)).default([]).describe('Servers whose store holds this certificate with its private key.'),
    serversWithoutPrivateKey: z
        .array(z.string().min(1))
        .default([])
        .describe('Servers whose store holds only the public certificate (HasPrivateKey false).'),
});

export const scenarioServerSchema = z.object({
    name: z.string().min(1),
    fqdn: z.string().min(1),
    adminDisplayVersion: z.string().regex(/^Version \d+\.\d+ \(Build \d+\.\d+\)$/, 'must look like "Version 15.0 (Build 1497.2)"'),
    roles: z.array(z.enum(['Mailbox', 'ClientAccess', 'Edge'])).min(1),
    site: z.string().default('Default-First-Site-Name'),
    reachable: z.boolean().default(true).describe('false: remote calls to this server fail (Get-ExchangeCertificate -Server, Import, service restart, probe).'),
});

/** The Exchange side of a scenario: the simulated organization (local/exchange) is built from it. */
export const exchangeScenarioSchema = z.object({
    organization: z.object({ name: z.string().min(1), guid: z.uuid() }),
    agentServer: z
        .string()
        .min(1)
        .optional()
        .describe('Server the agent\'s shell is connected to (Set-AuthConfig checks its store); default: the first Mailbox server.'),
    userDnsDomain: z.string().min(1).describe('The USERDNSDOMAIN of the agent host.'),
    acceptedDomains: z.array(z.string().min(1)).min(1).describe('The first is the default accepted domain.'),
    servers: z.array(scenarioServerSchema).min(1),
    certificates: z.array(scenarioCertificateSchema).default([]),
    authConfig: z
        .object({
            currentCertificate: z.string().nullable().default(null).describe('id of the current AuthConfig certificate'),
            nextCertificate: z.string().nullable().default(null),
            nextCertificateEffectiveDate: z.iso.datetime().nullable().default(null),
            previousCertificate: z.string().nullable().default(null),
        })
        .prefault({}),
    authServers: z
        .array(
            z.object({
                name: z.string().min(1),
                authMetadataUrl: z.url(),
                enabled: z.boolean().default(true),
                type: z.string().optional().describe('Get-AuthServer Type; default MicrosoftACS. The EvoSts AuthServer the Hybrid Configuration Wizard creates is AzureAD.'),
                applicationIdentifier: z.uuid().optional().describe('Get-AuthServer ApplicationIdentifier: on an EvoSts AuthServer, the dedicated Exchange hybrid application.'),
            }),
        )
        .default([])
        .describe('AuthServer objects present before the run, e.g. MicrosoftSts.'),
    pushProxy: z
        .object({
            enabled: z.boolean(),
            organization: z.string().nullable().default(null).describe('Enable-PushNotificationProxy -Organization'),
            healthManagerRestartedSince: z
                .boolean()
                .default(true)
                .describe('When enabled at load: whether MSExchangeHM has been restarted (and settled) since, on every server.'),
        })
        .prefault({ enabled: false }),
    healthManager: z
        .object({
            settleSeconds: z.number().int().min(0).default(120).describe('Time after a restart of MSExchangeHM before the probe can pass (the article waits 120 s).'),
        })
        .prefault({}),
    probe: z
        .object({
            scripted: z
                .array(z.enum(['Succeeded', 'Failed']))
                .default([])
                .describe('Results returned by the first probes, in order, before the computed result applies.'),
            scriptedError: z.string().default('Scripted probe failure.').describe('Error text of a scripted Failed result.'),
        })
        .prefault({}),
});

export type ExchangeScenario = z.infer<typeof exchangeScenarioSchema>;
export type ScenarioCertificate = z.infer<typeof scenarioCertificateSchema>;
export type ScenarioServer = z.infer<typeof scenarioServerSchema>;
