import type { InventorySummary, ServerGroup, ServerSet, SummarizedCertificate } from '../lib/contracts/inventory';
import type { InventoryCertificate, InventoryResult } from '../lib/protocol';

/** A set of servers as the shorter of its names and the names of every other server. */
function serverSet(holders: readonly string[], all: readonly string[]): ServerSet {
    const held = new Set(holders);
    const everyone = new Set(all);
    if (holders.some((name) => !everyone.has(name))) return { only: holders };
    const others = all.filter((name) => !held.has(name));
    return others.length < holders.length ? { allBut: others } : { only: holders };
}

/** Servers grouped by roles, build and reachability, in the order each kind first appears. */
function serverGroups(inventory: InventoryResult, userDnsDomain: string): ServerGroup[] {
    const reachability = new Map(inventory.certificates.map((c) => [c.server, c.reachable]));
    const groups = new Map<string, { roles: readonly string[]; build: string; reachable: boolean; names: string[]; fqdns: { name: string; fqdn: string }[] }>();
    for (const s of inventory.servers) {
        const build = s.build ? `${s.build.major}.${s.build.minor}.${s.build.build}.${s.build.revision}` : s.adminDisplayVersion;
        const reachable = reachability.get(s.name) ?? false;
        const key = JSON.stringify([s.roles, build, reachable]);
        const group = groups.get(key) ?? { roles: s.roles, build, reachable, names: [], fqdns: [] };
        group.names.push(s.name);
        if (s.fqdn.toLowerCase() !== `${s.name}.${userDnsDomain}`.toLowerCase()) group.fqdns.push({ name: s.name, fqdn: s.fqdn });
        groups.set(key, group);
    }
    return [...groups.values()].map(({ fqdns, ...group }) => ({ ...group, ...(fqdns.length > 0 ? { fqdns } : {}) }));
}

/**
 * The agent's inventory reduced to what orchestrations decide on (all public data), so that history
 * does not grow with the organization (issue 16, B5):
 * - only the certificates a decision can look at: those issued for USERDNSDOMAIN (the article's
 *   filter, and what Key Vault creates), those AuthConfig refers to, and those the caller names;
 * - each listed once with the servers holding it, not once per server, as server sets;
 * - servers grouped by kind, a name per server;
 * - a certificate's DER only where a step may need it: one the caller names or AuthConfig refers to,
 *   or one still valid at `nowMs` that onboarding may reuse. Expired ones travel without it.
 */
export function summarizeInventory(inventory: InventoryResult, nowMs: number, keep: readonly string[] = []): InventorySummary {
    const userDnsDomain = (inventory.userDnsDomain ?? '').toLowerCase();
    const { currentThumbprint, nextThumbprint, previousThumbprint } = inventory.authConfig;
    const referenced = new Set([currentThumbprint, nextThumbprint, previousThumbprint, ...keep].filter((t): t is string => typeof t === 'string').map((t) => t.toUpperCase()));
    const forDomain = (c: InventoryCertificate): boolean => userDnsDomain !== '' && c.domains.some((domain) => domain.toLowerCase() === userDnsDomain);
    const listed = new Map<string, { certificate: InventoryCertificate; withKey: string[]; exportableOn: string[]; cngKeyOn: string[] }>();
    for (const entry of inventory.certificates) {
        for (const certificate of entry.certificates) {
            if (!referenced.has(certificate.thumbprint.toUpperCase()) && !forDomain(certificate)) continue;
            const holders = listed.get(certificate.thumbprint) ?? { certificate, withKey: [], exportableOn: [], cngKeyOn: [] };
            // A CNG key does not count as holding it: Exchange cannot sign with it (certificate-choice.ts, hasCngKey).
            if (certificate.hasPrivateKey && certificate.keyStorage === 'cng') holders.cngKeyOn.push(entry.server);
            else if (certificate.hasPrivateKey) holders.withKey.push(entry.server);
            if (certificate.hasPrivateKey && certificate.keyStorage !== 'cng' && certificate.privateKeyExportable) holders.exportableOn.push(entry.server);
            listed.set(certificate.thumbprint, holders);
        }
    }
    const servers = serverGroups(inventory, userDnsDomain);
    const names = servers.flatMap((group) => group.names);
    const certificates = [...listed.values()].map(({ certificate: c, withKey, exportableOn, cngKeyOn }): SummarizedCertificate => {
        const needsBody = referenced.has(c.thumbprint.toUpperCase()) || Date.parse(c.notAfter) > nowMs;
        return {
            thumbprint: c.thumbprint,
            friendlyName: c.friendlyName,
            domains: c.domains,
            services: c.services,
            keySize: c.keySize,
            notBefore: c.notBefore,
            notAfter: c.notAfter,
            withKey: serverSet(withKey, names),
            exportableOn: serverSet(exportableOn, names),
            ...(cngKeyOn.length > 0 ? { cngKeyOn: serverSet(cngKeyOn, names) } : {}),
            ...(needsBody ? { derBase64: c.derBase64 } : {}),
        };
    });
    return {
        organization: { name: inventory.organization.name, guid: inventory.organization.guid.toLowerCase() },
        serverGroups: servers,
        userDnsDomain: inventory.userDnsDomain ?? '',
        acceptedDomains: inventory.acceptedDomains.map((d) => d.domainName),
        authConfig: inventory.authConfig,
        certificates,
        authServers: inventory.authServers.map((a) => ({ name: a.name, authMetadataUrl: a.authMetadataUrl ?? '', enabled: a.enabled, type: a.type, applicationIdentifier: a.applicationIdentifier })),
        pushProxy: {
            enabled: inventory.pushNotificationApp?.enabled ?? false,
            organization: inventory.pushNotificationApp?.organization ?? null,
            uri: inventory.pushNotificationApp?.uri ?? null,
        },
        ...(inventory.exchangeSessions === undefined ? {} : { exchangeSessions: inventory.exchangeSessions }),
    };
}
