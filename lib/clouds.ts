import { cloudNameSchema, type CloudName } from './contracts/clouds';

export type { CloudName };

/**
 * The Microsoft clouds the product can onboard into, and the endpoints that change between them.
 *
 * Provenance is part of the table (`provenance`): "documented" entries are stated by Microsoft for that
 * cloud (reference given); "inferred" entries follow the documented global value by analogy and are
 * not confirmed by a Microsoft page for that cloud. Verify an inferred entry before relying on it in
 * a real tenant of that cloud.
 */
export const CLOUD_NAMES: readonly CloudName[] = cloudNameSchema.options;

export type Provenance = `documented: ${string}` | `inferred: ${string}`;

export interface CloudEndpoints {
    readonly name: CloudName;
    readonly displayName: string;
    /** Microsoft Graph root, without version or trailing slash. */
    readonly graphEndpoint: string;
    /** Scope for application tokens to Graph. */
    readonly graphScope: string;
    /** Entra ID authority host (token issuer) for this cloud. */
    readonly loginAuthority: string;
    /** DNS suffix of Key Vault data-plane hosts, e.g. "vault.azure.net" in "<vault>.vault.azure.net". */
    readonly keyVaultDnsSuffix: string;
    /** Exchange Online host that on-premises push notifications are proxied to. */
    readonly exchangeOnlineHost: string;
    /** Host of the ACS metadata document used in the AuthServer's AuthMetadataUrl. */
    readonly acsMetadataHost: string;
    readonly provenance: Readonly<Record<'graph' | 'login' | 'keyVault' | 'exchangeOnline' | 'acsMetadata', Provenance>>;
}

const NATIONAL_CLOUD_GRAPH = 'documented: https://learn.microsoft.com/graph/deployments';
const AZURE_AUTHORITIES = 'documented: https://learn.microsoft.com/entra/identity-platform/authentication-national-cloud';
const KEY_VAULT_ENDPOINTS = 'documented: https://learn.microsoft.com/azure/key-vault/general/about-keys-secrets-certificates';

export const CLOUDS: Readonly<Record<CloudName, CloudEndpoints>> = {
    global: {
        name: 'global',
        displayName: 'Microsoft 365 (global)',
        graphEndpoint: 'https://graph.microsoft.com',
        graphScope: 'https://graph.microsoft.com/.default',
        loginAuthority: 'https://login.microsoftonline.com',
        keyVaultDnsSuffix: 'vault.azure.net',
        exchangeOnlineHost: 'outlook.office365.com',
        acsMetadataHost: 'accounts.accesscontrol.windows.net',
        provenance: {
            graph: NATIONAL_CLOUD_GRAPH,
            login: AZURE_AUTHORITIES,
            keyVault: KEY_VAULT_ENDPOINTS,
            exchangeOnline: 'documented: "Configure the push notification proxy for OWA for Devices" (seeds/): Uri https://outlook.office365.com/PushNotifications',
            acsMetadata: 'documented: same article: AuthMetadataUrl https://accounts.accesscontrol.windows.net/metadata/json/1/?realm=<tenantDomain>',
        },
    },
    usGovHigh: {
        name: 'usGovHigh',
        displayName: 'Microsoft 365 GCC High',
        graphEndpoint: 'https://graph.microsoft.us',
        graphScope: 'https://graph.microsoft.us/.default',
        loginAuthority: 'https://login.microsoftonline.us',
        keyVaultDnsSuffix: 'vault.usgovcloudapi.net',
        exchangeOnlineHost: 'outlook.office365.us',
        acsMetadataHost: 'login.microsoftonline.us',
        provenance: {
            graph: NATIONAL_CLOUD_GRAPH,
            login: AZURE_AUTHORITIES,
            keyVault: KEY_VAULT_ENDPOINTS,
            exchangeOnline: 'documented: https://learn.microsoft.com/microsoft-365/enterprise/microsoft-365-u-s-government-gcc-high-endpoints (host); the /PushNotifications path is inferred from the global URI',
            acsMetadata: 'inferred: US Government tenants have no accounts.accesscontrol.windows.net realm; the Entra authority host serves the /metadata/json/1 document there',
        },
    },
    usGovDoD: {
        name: 'usGovDoD',
        displayName: 'Microsoft 365 DoD',
        graphEndpoint: 'https://dod-graph.microsoft.us',
        graphScope: 'https://dod-graph.microsoft.us/.default',
        loginAuthority: 'https://login.microsoftonline.us',
        keyVaultDnsSuffix: 'vault.usgovcloudapi.net',
        exchangeOnlineHost: 'webmail.apps.mil',
        acsMetadataHost: 'login.microsoftonline.us',
        provenance: {
            graph: NATIONAL_CLOUD_GRAPH,
            login: AZURE_AUTHORITIES,
            keyVault: KEY_VAULT_ENDPOINTS,
            exchangeOnline: 'documented: https://learn.microsoft.com/microsoft-365/enterprise/microsoft-365-u-s-government-dod-endpoints (host); the /PushNotifications path is inferred from the global URI',
            acsMetadata: 'inferred: as for GCC High',
        },
    },
    china: {
        name: 'china',
        displayName: 'Microsoft 365 operated by 21Vianet',
        graphEndpoint: 'https://microsoftgraph.chinacloudapi.cn',
        graphScope: 'https://microsoftgraph.chinacloudapi.cn/.default',
        loginAuthority: 'https://login.chinacloudapi.cn',
        keyVaultDnsSuffix: 'vault.azure.cn',
        exchangeOnlineHost: 'partner.outlook.cn',
        acsMetadataHost: 'accounts.accesscontrol.chinacloudapi.cn',
        provenance: {
            graph: NATIONAL_CLOUD_GRAPH,
            login: AZURE_AUTHORITIES,
            keyVault: KEY_VAULT_ENDPOINTS,
            exchangeOnline: 'documented: https://learn.microsoft.com/microsoft-365/enterprise/urls-and-ip-address-ranges-21vianet (host); the /PushNotifications path is inferred from the global URI',
            acsMetadata: 'inferred: the ACS host Microsoft client libraries (SharePoint PnP) use for 21Vianet',
        },
    },
};

export function cloudEndpoints(name: CloudName): CloudEndpoints {
    return CLOUDS[name];
}

/** The push notification proxy URI Exchange on-premises reports once the proxy is enabled. */
export function pushNotificationUri(cloud: CloudEndpoints): string {
    return `https://${cloud.exchangeOnlineHost}/PushNotifications`;
}

/** The AuthServer MicrosoftSts metadata URL of the article's step 5, for this cloud and tenant. */
export function authServerMetadataUrl(cloud: CloudEndpoints, tenantDomain: string): string {
    return `https://${cloud.acsMetadataHost}/metadata/json/1/?realm=${tenantDomain}`;
}

/** Key Vault's token resource for this cloud, as its challenge announces it. */
export function keyVaultResource(cloud: CloudEndpoints): string {
    return `https://${cloud.keyVaultDnsSuffix}`;
}
