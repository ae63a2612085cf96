import type https from 'node:https';
import { PermanentError, TransientError } from '../errors';
import { requestJson, type JsonAnswer } from './https-json';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The directory (tenant) id of a domain, from the directory's OpenID configuration:
 * GET {authority}/{domain}/v2.0/.well-known/openid-configuration answers for any verified domain of
 * the directory, and its `issuer` is "{authority}/{tenant id}/v2.0"
 * (https://learn.microsoft.com/entra/identity-platform/v2-protocols-oidc, "Find your app's OpenID
 * configuration document URI" and the issuer of the document). An unknown domain answers 400
 * (AADSTS90002, tenant not found).
 */
export async function discoverTenantId(loginAuthority: string, domain: string, agent: https.Agent | undefined): Promise<string> {
    const url = `${loginAuthority}/${encodeURIComponent(domain)}/v2.0/.well-known/openid-configuration`;
    const { status, body } = await getJson(url, agent);
    if (status === 400 || status === 404) {
        throw new PermanentError('tenant_not_found', `No Microsoft Entra directory has the domain ${domain} (its OpenID configuration answered HTTP ${status}).`, {
            remedy: 'Check the tenant domain (a verified domain of the customer\'s Microsoft 365 tenant), or give tenantId.',
        });
    }
    if (status !== 200) throw new TransientError('tenant_discovery_failed', `The OpenID configuration of ${domain} answered HTTP ${status}.`);
    const issuer = typeof body === 'object' && body !== null ? (body as { issuer?: unknown }).issuer : undefined;
    const tenantId = typeof issuer === 'string' ? /\/([^/]+)\/v2\.0\/?$/.exec(issuer)?.[1] : undefined;
    if (tenantId === undefined || !GUID.test(tenantId)) {
        throw new PermanentError('tenant_not_found', `The OpenID configuration of ${domain} names no directory id in its issuer.`, { remedy: 'Give tenantId in the request.' });
    }
    return tenantId.toLowerCase();
}

async function getJson(url: string, agent: https.Agent | undefined): Promise<JsonAnswer> {
    try {
        return await requestJson(url, { agent, timeoutMs: 30_000 });
    } catch (error) {
        throw new TransientError('tenant_discovery_failed', `The OpenID configuration could not be read: ${(error as Error).message}`);
    }
}
