import { z } from 'zod';
import { isoTimeSchema, thumbprintSchema } from '../common-schemas';
import { exchangeSessionsSchema } from '../exchange-sessions';

export const inventoryParamsSchema = z.strictObject({});

export const exchangeBuildSchema = z.object({
    major: z.number().int(),
    minor: z.number().int(),
    build: z.number().int(),
    revision: z.number().int(),
    text: z.string(),
    comparable: z.number().int(),
});

/** One server as the Exchange shell reports it (before the agent parses the build). */
export const shellServerSchema = z.object({
    name: z.string().min(1),
    fqdn: z.string().min(1),
    roles: z.array(z.string()),
    site: z.string().nullable(),
    adminDisplayVersion: z.string(),
});

export const inventoryServerSchema = shellServerSchema.extend({
    build: exchangeBuildSchema.nullable().describe('AdminDisplayVersion parsed; null when it has an unknown shape.'),
});

export const inventoryCertificateSchema = z.object({
    thumbprint: thumbprintSchema,
    friendlyName: z.string(),
    subject: z.string(),
    issuer: z.string(),
    domains: z.array(z.string()).describe('CertificateDomains'),
    services: z.array(z.string()).describe('AllowedServices flags by name, e.g. ["IMAP","POP","SMTP"]'),
    keySize: z.number().int(),
    notBefore: isoTimeSchema,
    notAfter: isoTimeSchema,
    hasPrivateKey: z.boolean(),
    privateKeyExportable: z.boolean(),
    keyStorage: z
        .enum(['csp', 'cng', 'unknown'])
        .default('unknown')
        .describe('Where the private key is: a CryptoAPI CSP key, a CNG key (X509Certificate2.PrivateKey throws on it in .NET Framework), or unknown (no key, or a deserialized object).'),
    derBase64: z.string().describe('The public certificate (DER) in base64: what the key target registers.'),
});

export const serverCertificatesSchema = z.object({
    server: z.string(),
    reachable: z.boolean(),
    error: z.string().nullable(),
    certificates: z.array(inventoryCertificateSchema),
});

export const authConfigSchema = z.object({
    currentThumbprint: thumbprintSchema.nullable(),
    nextThumbprint: thumbprintSchema.nullable(),
    nextEffectiveDate: isoTimeSchema.nullable(),
    previousThumbprint: thumbprintSchema.nullable(),
});

export const authServerSchema = z.object({
    name: z.string(),
    authMetadataUrl: z.string().nullable(),
    enabled: z.boolean(),
    realm: z.string().nullable(),
    type: z.string().nullable().default(null).describe('Get-AuthServer Type: MicrosoftACS, AzureAD (the EvoSts AuthServer), ADFS...'),
    applicationIdentifier: z.string().nullable().default(null).describe('Get-AuthServer ApplicationIdentifier: the dedicated Exchange hybrid application an EvoSts AuthServer names.'),
});

/** The object Enable-PushNotificationProxy returns (the article shows it). */
export const pushNotificationAppSchema = z.object({
    identity: z.string(),
    displayName: z.string(),
    enabled: z.boolean(),
    organization: z.string().nullable(),
    uri: z.string().nullable(),
});

export const acceptedDomainSchema = z.object({
    domainName: z.string(),
    domainType: z.string(),
    isDefault: z.boolean(),
});

/** What the Exchange shell returns; the agent adds the parsed build to each server. */
export const shellInventorySchema = z.object({
    organization: z.object({ name: z.string(), guid: z.string() }),
    userDnsDomain: z.string().nullable().describe('USERDNSDOMAIN of the agent host; null when it is not in a domain.'),
    acceptedDomains: z.array(acceptedDomainSchema),
    servers: z.array(shellServerSchema),
    certificates: z.array(serverCertificatesSchema).describe('Get-ExchangeCertificate per server.'),
    authConfig: authConfigSchema,
    authServers: z.array(authServerSchema),
    pushNotificationApp: pushNotificationAppSchema.nullable(),
});

export const inventoryResultSchema = shellInventorySchema.extend({
    servers: z.array(inventoryServerSchema),
    exchangeSessions: exchangeSessionsSchema
        .optional()
        .describe('How many Exchange sessions the agent runs side by side (its shell.sessions); absent from an agent that runs one.'),
});

export type ShellInventory = z.infer<typeof shellInventorySchema>;
export type InventoryResult = z.infer<typeof inventoryResultSchema>;
export type InventoryServer = z.infer<typeof inventoryServerSchema>;
export type InventoryCertificate = z.infer<typeof inventoryCertificateSchema>;
export type ServerCertificates = z.infer<typeof serverCertificatesSchema>;
export type AuthConfigState = z.infer<typeof authConfigSchema>;
export type AuthServerState = z.infer<typeof authServerSchema>;
export type PushNotificationApp = z.infer<typeof pushNotificationAppSchema>;
export type AcceptedDomain = z.infer<typeof acceptedDomainSchema>;
