/**
 * What the orchestrations read of the agent's inventory: the inventory activity maps the wire
 * protocol's result to this summary, so histories hold only what decisions need (public data only).
 */
export interface ServerView {
    readonly name: string;
    readonly fqdn: string;
    readonly roles: readonly string[];
    /** Dotted build number, e.g. "15.0.1497.2". */
    readonly build: string;
    readonly reachable: boolean;
}

export interface CertificateView {
    readonly thumbprint: string;
    readonly friendlyName: string;
    readonly domains: readonly string[];
    readonly services: readonly string[];
    readonly keySize: number;
    readonly notBefore: string;
    readonly notAfter: string;
    readonly hasPrivateKey: boolean;
    readonly exportable: boolean;
    /** Where the private key is (absent in views written before it was read): Exchange signs only with a CSP key. */
    readonly keyStorage?: 'csp' | 'cng' | 'unknown';
    readonly derBase64: string;
}

export interface ServerCertificatesView {
    readonly server: string;
    readonly certificates: readonly CertificateView[];
}

export interface AuthConfigView {
    readonly currentThumbprint: string | null;
    readonly nextThumbprint?: string | null;
    readonly nextEffectiveDate?: string | null;
    readonly previousThumbprint?: string | null;
}

export interface AuthServerView {
    readonly name: string;
    readonly authMetadataUrl: string;
    readonly enabled: boolean;
    /** Get-AuthServer Type and ApplicationIdentifier (absent in views written before they were read). */
    readonly type?: string | null;
    readonly applicationIdentifier?: string | null;
}

export interface InventoryView {
    /** Get-OrganizationConfig: the organization a tenant is bound to at its first onboarding (by GUID). */
    readonly organization: { readonly name: string; readonly guid: string };
    readonly servers: readonly ServerView[];
    readonly userDnsDomain: string;
    readonly acceptedDomains: readonly string[];
    readonly authConfig: AuthConfigView;
    readonly certificates: readonly ServerCertificatesView[];
    readonly authServers?: readonly AuthServerView[];
    readonly pushProxy?: { readonly enabled: boolean; readonly organization: string | null; readonly uri?: string | null };
}
