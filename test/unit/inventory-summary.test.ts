import { describe, expect, it } from 'vitest';
import { summarizeInventory } from '../../activities/inventory-summary';
import { certificateBody } from '../../lib/contracts/inventory';
import type { InventoryCertificate, InventoryResult } from '../../lib/protocol';

const DER = (seed: string): string => Buffer.from(`certificate body ${seed} `.repeat(60)).toString('base64');
const OAUTH = 'A'.repeat(40);
const PREVIOUS = 'B'.repeat(40);

function certificate(thumbprint: string, overrides: Partial<InventoryCertificate> = {}): InventoryCertificate {
    return {
        thumbprint,
        friendlyName: 'Microsoft Exchange',
        subject: 'CN=server',
        issuer: 'CN=server',
        domains: ['server.corp.contoso.com'],
        services: ['IMAP', 'POP', 'IIS', 'SMTP'],
        keySize: 2048,
        notBefore: '2025-01-01T00:00:00Z',
        notAfter: '2030-01-01T00:00:00Z',
        hasPrivateKey: true,
        privateKeyExportable: false,
        derBase64: DER(thumbprint),
        ...overrides,
    };
}

/** An organization of `servers` servers with 10 certificates each: the OAuth certificate, the previous AuthConfig one, and 8 of the server's own. */
function organization(servers: number): InventoryResult {
    const names = Array.from({ length: servers }, (_, i) => `EX${i}`);
    return {
        organization: { name: 'Contoso', guid: '6f1c2b1e-3c4d-4e5f-8a9b-0c1d2e3f4a5b' },
        userDnsDomain: 'corp.contoso.com',
        acceptedDomains: [{ domainName: 'contoso.com', domainType: 'Authoritative', isDefault: true }],
        servers: names.map((name) => ({ name, fqdn: `${name.toLowerCase()}.corp.contoso.com`, roles: ['Mailbox'], site: null, adminDisplayVersion: 'Version 15.0 (Build 1497.2)', build: null })),
        certificates: names.map((server, s) => ({
            server,
            reachable: true,
            error: null,
            certificates: [
                certificate(OAUTH, { friendlyName: 'Exchange S2S OAuth', domains: ['corp.contoso.com'], services: ['SMTP', 'Federation'] }),
                certificate(PREVIOUS, { friendlyName: 'old one', domains: ['mail.contoso.com'] }),
                ...Array.from({ length: 8 }, (_, c) => certificate(`${String(s).padStart(4, '0')}${String(c).padStart(4, '0')}`.padEnd(40, 'C'))),
            ],
        })),
        authConfig: { currentThumbprint: OAUTH, nextThumbprint: null, nextEffectiveDate: null, previousThumbprint: PREVIOUS },
        authServers: [],
        pushNotificationApp: null,
    };
}

describe('the inventory summary orchestrations read', () => {
    it('keeps the certificates decisions need, each body once, and drops the servers\' own certificates', () => {
        // Prepare
        const inventory = organization(3);

        // Act
        const summary = summarizeInventory(inventory);

        // Assess
        expect(summary.certificates.map((entry) => entry.certificates.map((c) => c.thumbprint))).toEqual(Array(3).fill([OAUTH, PREVIOUS]));
        expect(summary.certificates.flatMap((entry) => entry.certificates).filter((c) => c.derBase64 !== undefined)).toHaveLength(2);
        expect(certificateBody(summary, OAUTH)).toBe(DER(OAUTH));
        expect(certificateBody(summary, PREVIOUS)).toBe(DER(PREVIOUS));
    });

    it.each([2, 10, 50, 200])('stays small for an organization of %i servers with 10 certificates each', (servers) => {
        // Prepare
        const inventory = organization(servers);

        // Act
        const bytes = Buffer.byteLength(JSON.stringify(summarizeInventory(inventory)));

        // Assess: the agent's answer grows with every certificate body; the summary by the server's row and its two relevant certificates' metadata.
        expect(Buffer.byteLength(JSON.stringify(inventory))).toBeGreaterThan(servers * 10 * 1_000);
        expect(bytes).toBeLessThan(12_000 + servers * 750);
    });
});
