import type { InventoryView } from '../lib/contracts/inventory';
import type { InventoryResult } from '../lib/protocol';

/**
 * The agent's inventory reduced to what orchestrations decide on (all public data), so that history
 * does not grow with the organization (issue 16): of each server's certificates only those that can
 * be the OAuth certificate (issued for USERDNSDOMAIN, as the article's filter and the certificates
 * Key Vault creates are) or that AuthConfig refers to; each certificate's DER once, not per server.
 */
export function summarizeInventory(inventory: InventoryResult): InventoryView {
    const reachability = new Map(inventory.certificates.map((c) => [c.server, c.reachable]));
    const userDnsDomain = (inventory.userDnsDomain ?? '').toLowerCase();
    const { currentThumbprint, nextThumbprint, previousThumbprint } = inventory.authConfig;
    const referenced = new Set([currentThumbprint, nextThumbprint, previousThumbprint].filter((thumbprint): thumbprint is string => typeof thumbprint === 'string'));
    const relevant = (c: { readonly thumbprint: string; readonly domains: readonly string[] }): boolean =>
        referenced.has(c.thumbprint) || (userDnsDomain !== '' && c.domains.some((domain) => domain.toLowerCase() === userDnsDomain));
    const bodySent = new Set<string>();
    const once = (thumbprint: string, derBase64: string): { derBase64?: string } => {
        if (bodySent.has(thumbprint)) return {};
        bodySent.add(thumbprint);
        return { derBase64 };
    };
    return {
        organization: { name: inventory.organization.name, guid: inventory.organization.guid.toLowerCase() },
        servers: inventory.servers.map((s) => ({
            name: s.name,
            fqdn: s.fqdn,
            roles: s.roles,
            build: s.build ? `${s.build.major}.${s.build.minor}.${s.build.build}.${s.build.revision}` : s.adminDisplayVersion,
            reachable: reachability.get(s.name) ?? false,
        })),
        userDnsDomain: inventory.userDnsDomain ?? '',
        acceptedDomains: inventory.acceptedDomains.map((d) => d.domainName),
        authConfig: inventory.authConfig,
        certificates: inventory.certificates.map((entry) => ({
            server: entry.server,
            certificates: entry.certificates.filter(relevant).map((c) => ({
                thumbprint: c.thumbprint,
                friendlyName: c.friendlyName,
                domains: c.domains,
                services: c.services,
                keySize: c.keySize,
                notBefore: c.notBefore,
                notAfter: c.notAfter,
                hasPrivateKey: c.hasPrivateKey,
                exportable: c.privateKeyExportable,
                ...once(c.thumbprint, c.derBase64),
            })),
        })),
        authServers: inventory.authServers.map((a) => ({ name: a.name, authMetadataUrl: a.authMetadataUrl ?? '', enabled: a.enabled })),
        pushProxy: {
            enabled: inventory.pushNotificationApp?.enabled ?? false,
            organization: inventory.pushNotificationApp?.organization ?? null,
            uri: inventory.pushNotificationApp?.uri ?? null,
        },
    };
}
