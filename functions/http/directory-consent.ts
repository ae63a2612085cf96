import { appServices } from '../../lib/app-services';
import { PushProxyError } from '../../lib/errors';
import { ConsentRequiredError } from '../../lib/identity/consent-required';

/** Where a tenant's directory id came from. */
export type TenantIdSource = 'request' | 'registry' | 'discovered';

export type DirectoryConsent =
    | { readonly mode: 'single'; readonly tenantId: string | null; readonly tenantIdSource: TenantIdSource | null }
    | {
          readonly mode: 'multiTenant';
          readonly tenantId: string;
          readonly tenantIdSource: TenantIdSource;
          readonly consentUrl: string;
          readonly consented: boolean;
          /** Why consent is taken as missing (Entra ID's or Graph's answer), when it is. */
          readonly detail: string | null;
      };

/**
 * The directory of a tenant and whether its administrator consented to the provider's application:
 * the id from the request, else the registry, else the domain's OpenID configuration; consent by
 * asking Graph, in that directory, for the Exchange Online service principal (a read: the first
 * thing onboarding does, with the same permission). Single-directory mode has no consent to ask for.
 */
export async function directoryConsent(tenantDomain: string, requestedTenantId: string | undefined): Promise<DirectoryConsent> {
    const services = appServices();
    const known = requestedTenantId === undefined ? (await (await services.registry()).get(tenantDomain))?.record.tenantId ?? undefined : undefined;
    const directories = await services.directories();
    if (!directories.multiTenant) {
        const tenantId = requestedTenantId ?? known ?? null;
        return { mode: 'single', tenantId, tenantIdSource: tenantId === null ? null : requestedTenantId === undefined ? 'registry' : 'request' };
    }
    const tenantIdSource: TenantIdSource = requestedTenantId !== undefined ? 'request' : known !== undefined ? 'registry' : 'discovered';
    const tenantId = (requestedTenantId ?? known ?? (await directories.discoverTenantId(tenantDomain))).toLowerCase();
    const consentUrl = directories.consentUrl(tenantId) ?? '';
    try {
        await (await services.graph(tenantId)).findKeyTarget({ kind: 'firstPartyServicePrincipal' });
        return { mode: 'multiTenant', tenantId, tenantIdSource, consentUrl, consented: true, detail: null };
    } catch (error) {
        if (error instanceof ConsentRequiredError) return { mode: 'multiTenant', tenantId, tenantIdSource, consentUrl, consented: false, detail: error.message };
        // Exchange Online not licensed there is onboarding's problem to report, not consent's.
        if (error instanceof PushProxyError && error.code === 'graph-key-target-not-found') return { mode: 'multiTenant', tenantId, tenantIdSource, consentUrl, consented: true, detail: null };
        throw error;
    }
}
