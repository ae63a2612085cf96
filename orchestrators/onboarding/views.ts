/**
 * What the onboarding decisions read of the agent's inventory. The wire protocol's inventory result
 * is structurally assignable to these views; the decisions need nothing more.
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
    readonly derBase64: string;
}

export interface ServerCertificatesView {
    readonly server: string;
    readonly certificates: readonly CertificateView[];
}

export interface InventoryView {
    readonly servers: readonly ServerView[];
    readonly userDnsDomain: string;
    readonly acceptedDomains: readonly string[];
    readonly authConfig: { readonly currentThumbprint: string | null };
    readonly certificates: readonly ServerCertificatesView[];
}
