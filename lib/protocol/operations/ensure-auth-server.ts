import { z } from 'zod';
import { CLOUDS } from '../../clouds';

export const MICROSOFT_STS_NAME = 'MicrosoftSts';
export const GLOBAL_ACS_METADATA_HOST = 'accounts.accesscontrol.windows.net';

/** The article's AuthMetadataUrl for a tenant domain. */
export function microsoftStsMetadataUrl(tenantDomain: string, host: string = GLOBAL_ACS_METADATA_HOST): string {
    return `https://${host}/metadata/json/1/?realm=${tenantDomain}`;
}

/** The ACS metadata hosts of the clouds the product knows (lib/clouds.ts): the only hosts an AuthServer may point at. */
export const KNOWN_ACS_METADATA_HOSTS: readonly string[] = [...new Set(Object.values(CLOUDS).map((cloud) => cloud.acsMetadataHost.toLowerCase()))];

const REALM = /^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/**
 * The realm of an AuthMetadataUrl when, and only when, the URL is exactly the article's form
 * (`https://<known ACS host>/metadata/json/1/?realm=<domain>`, compared without case): no user
 * info, no port, no other path, query or fragment. Exchange parses the URL with .NET, not WHATWG,
 * so the check is equality with the canonical text rather than a parse of the attacker's text
 * (`https://accounts.accesscontrol.windows.net@attacker.example/x` is refused). Issue 15, finding 3.
 */
export function trustedMetadataRealm(authMetadataUrl: string): string | null {
    const text = authMetadataUrl.toLowerCase();
    const realm = text.slice(text.lastIndexOf('=') + 1);
    if (!REALM.test(realm)) return null;
    return KNOWN_ACS_METADATA_HOSTS.some((host) => microsoftStsMetadataUrl(realm, host) === text) ? realm : null;
}

export const ensureAuthServerParamsSchema = z.strictObject({
    name: z
        .string()
        .refine((name): boolean => name === MICROSOFT_STS_NAME, `must be ${MICROSOFT_STS_NAME}: the only AuthServer the article creates`)
        .default(MICROSOFT_STS_NAME),
    authMetadataUrl: z
        .url({ protocol: /^https$/ })
        .max(2048)
        .refine((url) => trustedMetadataRealm(url) !== null, {
            message: `must be https://<ACS host of a known cloud>/metadata/json/1/?realm=<domain> (hosts: ${KNOWN_ACS_METADATA_HOSTS.join(', ')}), with no user info, port or other parts`,
        })
        .describe('e.g. https://accounts.accesscontrol.windows.net/metadata/json/1/?realm=contoso.com'),
});

export const ensureAuthServerResultSchema = z.object({
    name: z.string(),
    authMetadataUrl: z.string(),
    action: z.enum(['created', 'updated', 'unchanged']),
});

export type EnsureAuthServerParams = z.output<typeof ensureAuthServerParamsSchema>;
export type EnsureAuthServerResult = z.infer<typeof ensureAuthServerResultSchema>;
