import { z } from 'zod';
import { serverNameSchema, thumbprintSchema } from '../common-schemas';
import { sealedPrivateKeySchema } from '../sealing';

export const installCertificateParamsSchema = z.strictObject({
    thumbprint: thumbprintSchema.describe('The certificate to make present; servers that already hold it are left alone.'),
    source: z.discriminatedUnion('kind', [
        z.strictObject({
            kind: z.literal('sealedPfx'),
            sealed: sealedPrivateKeySchema.describe('A PFX (3DES, fresh password) sealed under the shared secret.'),
        }),
        z.strictObject({
            kind: z.literal('server'),
            server: serverNameSchema.describe('A server holding the certificate with an exportable private key; export and import stay on premises.'),
        }),
    ]),
    servers: z
        .array(serverNameSchema)
        .min(1)
        .max(200)
        .optional()
        .describe('Target servers; default: every Mailbox and ClientAccess server.'),
    privateKeyExportable: z.boolean().default(true).describe('Import-ExchangeCertificate -PrivateKeyExportable'),
});

export const serverInstallOutcomeSchema = z.object({
    server: z.string(),
    outcome: z.enum(['imported', 'alreadyPresent', 'failed']),
    error: z.string().nullable(),
});

export const installCertificateResultSchema = z.object({
    thumbprint: thumbprintSchema,
    servers: z.array(serverInstallOutcomeSchema),
});

export type InstallCertificateResult = z.infer<typeof installCertificateResultSchema>;
export type ServerInstallOutcome = z.infer<typeof serverInstallOutcomeSchema>;
