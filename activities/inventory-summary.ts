import type { InventoryView } from '../lib/contracts/inventory';
import type { InventoryResult } from '../lib/protocol';

/** The agent's inventory reduced to what orchestrations decide on (all public data). */
export function summarizeInventory(inventory: InventoryResult): InventoryView {
    const reachability = new Map(inventory.certificates.map((c) => [c.server, c.reachable]));
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
            certificates: entry.certificates.map((c) => ({
                thumbprint: c.thumbprint,
                friendlyName: c.friendlyName,
                domains: c.domains,
                services: c.services,
                keySize: c.keySize,
                notBefore: c.notBefore,
                notAfter: c.notAfter,
                hasPrivateKey: c.hasPrivateKey,
                exportable: c.privateKeyExportable,
                keyStorage: c.keyStorage,
                derBase64: c.derBase64,
            })),
        })),
        authServers: inventory.authServers.map((a) => ({ name: a.name, authMetadataUrl: a.authMetadataUrl ?? '', enabled: a.enabled, type: a.type, applicationIdentifier: a.applicationIdentifier })),
        pushProxy: {
            enabled: inventory.pushNotificationApp?.enabled ?? false,
            organization: inventory.pushNotificationApp?.organization ?? null,
            uri: inventory.pushNotificationApp?.uri ?? null,
        },
    };
}
