import { z } from 'zod';
import { isoTimeSchema, thumbprintSchema } from '../common-schemas';
import { authConfigSchema } from './inventory';

export const setAuthConfigParamsSchema = z.discriminatedUnion('action', [
    z.strictObject({
        action: z.literal('setCurrent').describe('Set-AuthConfig -CertificateThumbprint, when it is not already current.'),
        thumbprint: thumbprintSchema,
    }),
    z.strictObject({
        action: z.literal('stageNext').describe('Set-AuthConfig -NewCertificateThumbprint -NewCertificateEffectiveDate'),
        thumbprint: thumbprintSchema,
        effectiveDate: isoTimeSchema,
    }),
    z.strictObject({
        action: z.literal('publish').describe('Set-AuthConfig -PublishCertificate: the next certificate becomes current.'),
        thumbprint: thumbprintSchema.describe('The staged certificate expected to become current; unchanged when it already is.'),
    }),
    z.strictObject({
        action: z.literal('clearPrevious').describe('Set-AuthConfig -ClearPreviousCertificate'),
    }),
]);

export const setAuthConfigResultSchema = z.object({
    action: z.enum(['setCurrent', 'stageNext', 'publish', 'clearPrevious']),
    changed: z.boolean(),
    authConfig: authConfigSchema,
});

export type SetAuthConfigParams = z.output<typeof setAuthConfigParamsSchema>;
export type SetAuthConfigResult = z.infer<typeof setAuthConfigResultSchema>;
