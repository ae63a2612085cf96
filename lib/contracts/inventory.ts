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
    /**
     * The certificate's DER, on one entry per thumbprint only (the first server listed with it): a
     * body travels through history once, however many servers hold it. Read it with certificateBody.
     */
    readonly derBase64?: string;
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

/** The DER of a certificate of the inventory (carried once per thumbprint), if the inventory has it. */
export function certificateBody(inventory: InventoryView, thumbprint: string): string | undefined {
    for (const entry of inventory.certificates) {
        const body = entry.certificates.find((certificate) => certificate.thumbprint === thumbprint && certificate.derBase64 !== undefined)?.derBase64;
        if (body !== undefined) return body;
    }
    return undefined;
}
