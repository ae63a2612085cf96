import { z } from 'zod';

export const MICROSOFT_STS_NAME = 'MicrosoftSts';
export const GLOBAL_ACS_METADATA_HOST = 'accounts.accesscontrol.windows.net';

/** The article's AuthMetadataUrl for a tenant domain. */
export function microsoftStsMetadataUrl(tenantDomain: string, host: string = GLOBAL_ACS_METADATA_HOST): string {
    return `https://${host}/metadata/json/1/?realm=${tenantDomain}`;
}

export const ensureAuthServerParamsSchema = z.strictObject({
    name: z
        .string()
        .regex(/^[A-Za-z0-9_.-]{1,64}$/)
        .default(MICROSOFT_STS_NAME),
    authMetadataUrl: z
        .url({ protocol: /^https$/ })
        .max(2048)
        .describe('e.g. https://accounts.accesscontrol.windows.net/metadata/json/1/?realm=contoso.com'),
});

export const ensureAuthServerResultSchema = z.object({
    name: z.string(),
    authMetadataUrl: z.string(),
    action: z.enum(['created', 'updated', 'unchanged']),
});

export type EnsureAuthServerParams = z.output<typeof ensureAuthServerParamsSchema>;
export type EnsureAuthServerResult = z.infer<typeof ensureAuthServerResultSchema>;
