import type { TokenCredential } from '@azure/identity';
import { adminConsentUrl } from './admin-consent';
import type { AzureAccess } from './azure-access';
import { DirectoryCredentials } from './directory-credential';
import { discoverTenantId } from './tenant-discovery';

/** The directory a Graph client works in, in multi-tenant mode. */
export interface GraphDirectory {
    readonly tenantId: string;
    readonly credential: TokenCredential;
    readonly consentUrl: string;
}

/**
 * The customers' directories as this deployment sees them: which credential reaches each, how a
 * tenant domain's directory id is found, and the link its administrator consents with.
 */
export class CustomerDirectories {
    private readonly credentials: DirectoryCredentials;

    constructor(private readonly access: AzureAccess) {
        this.credentials = new DirectoryCredentials(access);
    }

    get multiTenant(): boolean {
        return this.credentials.multiTenant;
    }

    /** Undefined in single-directory mode (Graph uses the product's own credential). */
    graphDirectory(tenantId: string | undefined): GraphDirectory | undefined {
        const appId = this.credentials.providerAppId;
        if (appId === undefined) return undefined;
        const credential = this.credentials.for(tenantId);
        const id = (tenantId ?? '').toLowerCase();
        return { tenantId: id, credential, consentUrl: adminConsentUrl(this.access.cloud.loginAuthority, id, appId) };
    }

    consentUrl(tenantId: string): string | undefined {
        const appId = this.credentials.providerAppId;
        return appId === undefined ? undefined : adminConsentUrl(this.access.cloud.loginAuthority, tenantId.toLowerCase(), appId);
    }

    discoverTenantId(domain: string): Promise<string> {
        return discoverTenantId(this.access.cloud.loginAuthority, domain, this.access.agent);
    }
}
