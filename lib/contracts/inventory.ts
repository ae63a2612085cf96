/**
 * What the orchestrations read of the agent's inventory: the inventory activity maps the wire
 * protocol's result to this summary, so histories hold only what decisions need (public data only).
 */
export interface ServerView {
    readonly name: string;
    /** Absent when it is the name under USERDNSDOMAIN (the usual case; a row per server adds up): read it with serverFqdn. */
    readonly fqdn?: string;
    readonly roles: readonly string[];
    /** Dotted build number, e.g. "15.0.1497.2". */
    readonly build: string;
    readonly reachable: boolean;
}

/** A certificate's public facts, as Get-ExchangeCertificate shows them (the same on every server). */
export interface CertificateView {
    readonly thumbprint: string;
    readonly friendlyName: string;
    readonly domains: readonly string[];
    readonly services: readonly string[];
    readonly keySize: number;
    readonly notBefore: string;
    readonly notAfter: string;
    /**
     * The public certificate (DER, base64), only when a step may need it: a certificate that can be
     * chosen for reuse (valid when the inventory was read) or that the caller asked for; never per server.
     */
    readonly derBase64?: string;
}

/**
 * A certificate of the organization listed once, with the servers that hold it: history holds each
 * certificate's facts once however many servers have it (issue 16), and only the certificates a
 * decision can look at (inventory-summary.ts).
 */
export interface HeldCertificateView extends CertificateView {
    /** Servers whose store holds it with its private key. */
    readonly withKey: readonly string[];
    /** Of withKey, the servers whose private key can be exported. */
    readonly exportableOn: readonly string[];
    /** Servers whose private key for it is a CNG key, which Exchange cannot sign with (not in withKey). */
    readonly cngKeyOn?: readonly string[];
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
    readonly certificates: readonly HeldCertificateView[];
    readonly authServers?: readonly AuthServerView[];
    readonly pushProxy?: { readonly enabled: boolean; readonly organization: string | null; readonly uri?: string | null };
    /** How many Exchange sessions the agent runs side by side (absent: one, as an agent that does not say): imports per call scale with it. */
    readonly exchangeSessions?: number;
}

/** A server's FQDN, as the inventory carries it or as its name under USERDNSDOMAIN. */
export function serverFqdn(inventory: Pick<InventoryView, 'userDnsDomain'>, server: ServerView): string {
    return server.fqdn ?? `${server.name.toLowerCase()}.${inventory.userDnsDomain}`;
}

/** A certificate of the inventory by thumbprint, with the servers holding it. */
export function findCertificate(inventory: InventoryView, thumbprint: string): HeldCertificateView | undefined {
    return inventory.certificates.find((certificate) => certificate.thumbprint === thumbprint);
}
