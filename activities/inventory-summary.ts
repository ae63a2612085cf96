import type { HeldCertificateView, InventoryView } from '../lib/contracts/inventory';
import type { InventoryCertificate, InventoryResult } from '../lib/protocol';

/**
 * The agent's inventory reduced to what orchestrations decide on (all public data), so that history
 * does not grow with the organization (issue 16, B5):
 * - only the certificates a decision can look at: those issued for USERDNSDOMAIN (the article's
 *   filter, and what Key Vault creates), those AuthConfig refers to, and those the caller names;
 * - each listed once with the servers holding it, not once per server;
 * - a certificate's DER only where a step may need it: one the caller names or AuthConfig refers to,
 *   or one still valid at `nowMs` that onboarding may reuse. Expired ones travel without it.
 */
export function summarizeInventory(inventory: InventoryResult, nowMs: number, keep: readonly string[] = []): InventoryView {
    const reachability = new Map(inventory.certificates.map((c) => [c.server, c.reachable]));
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
    const certificates = [...listed.values()].map(({ certificate: c, withKey, exportableOn, cngKeyOn }): HeldCertificateView => {
        const needsBody = referenced.has(c.thumbprint.toUpperCase()) || Date.parse(c.notAfter) > nowMs;
        return {
            thumbprint: c.thumbprint,
            friendlyName: c.friendlyName,
            domains: c.domains,
            services: c.services,
            keySize: c.keySize,
            notBefore: c.notBefore,
            notAfter: c.notAfter,
            withKey,
            exportableOn,
            ...(cngKeyOn.length > 0 ? { cngKeyOn } : {}),
            ...(needsBody ? { derBase64: c.derBase64 } : {}),
        };
    });
    return {
        organization: { name: inventory.organization.name, guid: inventory.organization.guid.toLowerCase() },
        servers: inventory.servers.map((s) => ({
            name: s.name,
            ...(s.fqdn.toLowerCase() === `${s.name}.${userDnsDomain}`.toLowerCase() ? {} : { fqdn: s.fqdn }),
            roles: s.roles,
            build: s.build ? `${s.build.major}.${s.build.minor}.${s.build.build}.${s.build.revision}` : s.adminDisplayVersion,
            reachable: reachability.get(s.name) ?? false,
        })),
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
