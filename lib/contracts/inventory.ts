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

/**
 * Some of the organization's servers as history holds them: by name, or as every server but those
 * named, whichever is shorter (a certificate held on all 200 servers is a few bytes, not 200 names).
 */
export type ServerSet = { readonly only: readonly string[] } | { readonly allBut: readonly string[] };

/** Servers that answer alike (same roles, build and reachability), listed once with their names in the agent's order. */
export interface ServerGroup {
    readonly roles: readonly string[];
    readonly build: string;
    readonly reachable: boolean;
    readonly names: readonly string[];
    /** Of names, those whose FQDN is not their name under USERDNSDOMAIN, with it. */
    readonly fqdns?: readonly { readonly name: string; readonly fqdn: string }[];
}

export interface SummarizedCertificate extends CertificateView {
    readonly withKey: ServerSet;
    readonly exportableOn: ServerSet;
    readonly cngKeyOn?: ServerSet;
}

/**
 * The inventory as the inventory activity returns it into history (activities/inventory-summary.ts):
 * servers grouped by kind and holders as server sets, so that it grows by a name per server, not a row
 * (issue 16, B5). Orchestrations read it through expandInventory.
 */
export interface InventorySummary extends Omit<InventoryView, 'servers' | 'certificates'> {
    readonly serverGroups: readonly ServerGroup[];
    readonly certificates: readonly SummarizedCertificate[];
}

/** The names a server set stands for, in the order of `all`, or as named when it lists them. */
function serverSetNames(set: ServerSet, all: readonly string[]): readonly string[] {
    if ('only' in set) return set.only;
    const excluded = new Set(set.allBut);
    return all.filter((name) => !excluded.has(name));
}

/**
 * The view decisions read, from the summary history holds: pure, so orchestrators run it on every replay.
 * A run in flight when this form was introduced replays the view its history already holds, as it is.
 */
export function expandInventory(summary: InventorySummary | InventoryView): InventoryView {
    if (!('serverGroups' in summary)) return summary;
    const { serverGroups, certificates, ...rest } = summary;
    const servers = serverGroups.flatMap((group) =>
        group.names.map((name): ServerView => {
            const fqdn = group.fqdns?.find((entry) => entry.name === name)?.fqdn;
            return { name, ...(fqdn === undefined ? {} : { fqdn }), roles: group.roles, build: group.build, reachable: group.reachable };
        }),
    );
    const names = servers.map((server) => server.name);
    return {
        ...rest,
        servers,
        certificates: certificates.map(({ withKey, exportableOn, cngKeyOn, ...facts }): HeldCertificateView => ({
            ...facts,
            withKey: serverSetNames(withKey, names),
            exportableOn: serverSetNames(exportableOn, names),
            ...(cngKeyOn === undefined ? {} : { cngKeyOn: serverSetNames(cngKeyOn, names) }),
        })),
    };
}

/** A server's FQDN, as the inventory carries it or as its name under USERDNSDOMAIN. */
export function serverFqdn(inventory: Pick<InventoryView, 'userDnsDomain'>, server: ServerView): string {
    return server.fqdn ?? `${server.name.toLowerCase()}.${inventory.userDnsDomain}`;
}

/** A certificate of the inventory by thumbprint, with the servers holding it. */
export function findCertificate(inventory: InventoryView, thumbprint: string): HeldCertificateView | undefined {
    return inventory.certificates.find((certificate) => certificate.thumbprint === thumbprint);
}
