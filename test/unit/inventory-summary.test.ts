import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { summarizeInventory } from '../../activities/inventory-summary';
import { expandInventory, type HeldCertificateView, type InventoryView } from '../../lib/contracts/inventory';
import { parseAdminDisplayVersion, type InventoryCertificate, type InventoryResult } from '../../lib/protocol';
import { VirtualClock } from '../../local/clock';
import { SimulatedExchange } from '../../local/exchange';
import { loadScenarioFile } from '../../local/scenario/schema';
import { chooseCertificate } from '../../orchestrators/onboarding/certificate-choice';
import { FakeEntraKeyView } from '../agent/support/world';

const NOW = Date.UTC(2026, 0, 5, 9, 0, 0);
const DER = (seed: string): string => Buffer.from(`certificate body ${seed} `.repeat(60)).toString('base64');
const OAUTH = 'A'.repeat(40);
const PREVIOUS = 'B'.repeat(40);
const EXPIRED = 'E'.repeat(40);
const RECORDED = 'D'.repeat(40);

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
        keyStorage: 'csp',
        derBase64: DER(thumbprint),
        ...overrides,
    };
}

/**
 * An organization of `servers` servers with 10 certificates each: the OAuth certificate (exportable on
 * the first server only), the previous AuthConfig one, an expired OAuth one, a certificate re-verification
 * recorded, and 6 of the server's own.
 */
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
                certificate(OAUTH, { friendlyName: 'Exchange S2S OAuth', domains: ['corp.contoso.com'], services: ['SMTP', 'Federation'], privateKeyExportable: s === 0 }),
                certificate(PREVIOUS, { friendlyName: 'old one', domains: ['mail.contoso.com'] }),
                certificate(EXPIRED, { friendlyName: 'Exchange S2S OAuth', domains: ['corp.contoso.com'], notAfter: '2024-01-01T00:00:00Z' }),
                certificate(RECORDED, { friendlyName: 'imported', domains: ['legacy.contoso.com'] }),
                ...Array.from({ length: 6 }, (_, c) => certificate(`${String(s).padStart(4, '0')}${String(c).padStart(4, '0')}`.padEnd(40, 'C'))),
            ],
        })),
        authConfig: { currentThumbprint: OAUTH, nextThumbprint: null, nextEffectiveDate: null, previousThumbprint: PREVIOUS },
        authServers: [],
        pushNotificationApp: null,
    };
}

/** Every certificate of the agent's inventory, each with its holders and body: what decisions would read without the summary. */
function fullView(inventory: InventoryResult): InventoryView {
    const summary = expandInventory(summarizeInventory(inventory, NOW));
    const listed = new Map<string, HeldCertificateView & { withKey: string[]; exportableOn: string[] }>();
    for (const entry of inventory.certificates) {
        for (const c of entry.certificates) {
            const held = listed.get(c.thumbprint) ?? { thumbprint: c.thumbprint, friendlyName: c.friendlyName, domains: c.domains, services: c.services, keySize: c.keySize, notBefore: c.notBefore, notAfter: c.notAfter, derBase64: c.derBase64, withKey: [], exportableOn: [] };
            if (c.hasPrivateKey) held.withKey.push(entry.server);
            if (c.hasPrivateKey && c.privateKeyExportable) held.exportableOn.push(entry.server);
            listed.set(c.thumbprint, held);
        }
    }
    return { ...summary, certificates: [...listed.values()] };
}

describe('the inventory summary orchestrations read', () => {
    it('lists each certificate decisions need once with its holders, drops the servers\' own, and carries bodies only where a step may need them', () => {
        // Prepare
        const inventory = organization(3);

        // Act
        const summary = expandInventory(summarizeInventory(inventory, NOW, [RECORDED]));

        // Assess
        expect(summary.certificates.map((c) => ({ thumbprint: c.thumbprint, withKey: c.withKey, exportableOn: c.exportableOn, body: c.derBase64 !== undefined }))).toEqual([
            { thumbprint: OAUTH, withKey: ['EX0', 'EX1', 'EX2'], exportableOn: ['EX0'], body: true },
            { thumbprint: PREVIOUS, withKey: ['EX0', 'EX1', 'EX2'], exportableOn: [], body: true },
            { thumbprint: EXPIRED, withKey: ['EX0', 'EX1', 'EX2'], exportableOn: [], body: false },
            { thumbprint: RECORDED, withKey: ['EX0', 'EX1', 'EX2'], exportableOn: [], body: true },
        ]);
        expect(summary.certificates.find((c) => c.thumbprint === OAUTH)?.derBase64).toBe(DER(OAUTH));
    });

    it.each([2, 10, 50, 200])('does not grow with the certificates of an organization of %i servers', (servers) => {
        // Prepare
        const inventory = organization(servers);

        // Act
        const bytes = Buffer.byteLength(JSON.stringify(summarizeInventory(inventory, NOW)));

        // Assess: the agent's answer grows with every certificate body; the summary by a name per server (servers
        // grouped by kind, holders written as "every server but"), not by a row per server or a name per holder.
        expect(Buffer.byteLength(JSON.stringify(inventory))).toBeGreaterThan(servers * 10 * 1_000);
        expect(bytes).toBeLessThan(11_000 + servers * 10);
    });

    it.each([
        { reported: 4, carried: 4 },
        { reported: undefined, carried: undefined },
    ])('carries the agent\'s Exchange sessions ($reported) that import calls are sized by, and nothing when the agent does not say', ({ reported, carried }) => {
        // Prepare
        const inventory: InventoryResult = { ...organization(2), ...(reported === undefined ? {} : { exchangeSessions: reported }) };

        // Act
        const summary = summarizeInventory(inventory, NOW);

        // Assess
        expect(summary.exchangeSessions).toBe(carried);
        expect('exchangeSessions' in summary).toBe(carried !== undefined);
    });
});

describe('the servers and holders history holds', () => {
    /** Three servers: EX0 and EX2 alike, EX1 on another build, unreachable and outside USERDNSDOMAIN; EX1 holds the OAuth key in CNG. */
    function mixedOrganization(): InventoryResult {
        const base = organization(3);
        return {
            ...base,
            servers: base.servers.map((server) =>
                server.name === 'EX1' ? { ...server, fqdn: 'ex1.branch.contoso.com', adminDisplayVersion: 'Version 15.2 (Build 1544.4)' } : server,
            ),
            certificates: base.certificates.map((entry) =>
                entry.server === 'EX1'
                    ? { ...entry, reachable: false, certificates: entry.certificates.map((c) => (c.thumbprint === OAUTH ? { ...c, keyStorage: 'cng' as const } : c)) }
                    : entry,
            ),
        };
    }

    it('expands to a row per server, in the agent\'s order within each kind, with each holder set as the agent reported it', () => {
        // Prepare
        const inventory = mixedOrganization();

        // Act
        const view = expandInventory(summarizeInventory(inventory, NOW));

        // Assess
        expect(view.servers).toEqual([
            { name: 'EX0', roles: ['Mailbox'], build: 'Version 15.0 (Build 1497.2)', reachable: true },
            { name: 'EX2', roles: ['Mailbox'], build: 'Version 15.0 (Build 1497.2)', reachable: true },
            { name: 'EX1', fqdn: 'ex1.branch.contoso.com', roles: ['Mailbox'], build: 'Version 15.2 (Build 1544.4)', reachable: false },
        ]);
        expect(view.certificates.map((c) => ({ thumbprint: c.thumbprint, withKey: [...c.withKey].sort(), exportableOn: c.exportableOn, cngKeyOn: c.cngKeyOn }))).toEqual([
            { thumbprint: OAUTH, withKey: ['EX0', 'EX2'], exportableOn: ['EX0'], cngKeyOn: ['EX1'] },
            { thumbprint: PREVIOUS, withKey: ['EX0', 'EX1', 'EX2'], exportableOn: [], cngKeyOn: undefined },
            { thumbprint: EXPIRED, withKey: ['EX0', 'EX1', 'EX2'], exportableOn: [], cngKeyOn: undefined },
        ]);
    });

    it('reads the view a run in flight across the upgrade holds in its history, as it is', () => {
        // Prepare: what the inventory activity returned before servers were grouped.
        const held = fullView(organization(3));

        // Act
        const view = expandInventory(held);

        // Assess
        expect(view).toBe(held);
    });

    it.each([
        { label: 'all of them', holders: ['EX0', 'EX1', 'EX2', 'EX3'], written: { allBut: [] } },
        { label: 'all but one', holders: ['EX0', 'EX1', 'EX3'], written: { allBut: ['EX2'] } },
        { label: 'half of them', holders: ['EX0', 'EX1'], written: { only: ['EX0', 'EX1'] } },
        { label: 'none', holders: [], written: { only: [] } },
    ])('writes the servers holding a certificate on $label as the shorter list', ({ holders, written }) => {
        // Prepare
        const base = organization(4);
        const inventory: InventoryResult = {
            ...base,
            certificates: base.certificates.map((entry) => ({ ...entry, certificates: entry.certificates.map((c) => ({ ...c, hasPrivateKey: holders.includes(entry.server) })) })),
        };

        // Act
        const summary = summarizeInventory(inventory, NOW);

        // Assess
        const oauth = summary.certificates.find((c) => c.thumbprint === OAUTH);
        expect(oauth?.withKey).toEqual(written);
        expect(expandInventory(summary).certificates.find((c) => c.thumbprint === OAUTH)?.withKey).toEqual(holders);
    });
});

const SCENARIO_FOLDERS = [join(__dirname, '..', 'scenarios'), join(__dirname, '..', '..', 'local', 'scenarios')];
const SCENARIO_FILES = SCENARIO_FOLDERS.flatMap((folder) => readdirSync(folder).filter((name) => name.endsWith('.json')).map((name) => join(folder, name)));

describe('the certificate choice from the summary', () => {
    it.each(SCENARIO_FILES.map((file) => [file.split('/').slice(-2).join('/'), file]))('is the one the full inventory gives in %s', async (_name, file) => {
        // Prepare
        const scenario = await loadScenarioFile(file);
        const clock = new VirtualClock();
        const shell = await SimulatedExchange.fromScenario(scenario, { clock, entra: new FakeEntraKeyView() }).inventory();
        const inventory: InventoryResult = { ...shell, servers: shell.servers.map((server) => ({ ...server, build: parseAdminDisplayVersion(server.adminDisplayVersion) })) };

        // Act
        const fromSummary = chooseCertificate(expandInventory(summarizeInventory(inventory, clock.now())), clock.now(), 60);
        const fromEverything = chooseCertificate(fullView(inventory), clock.now(), 60);

        // Assess
        expect(fromSummary).toEqual(fromEverything);
    });

    it.each([
        ['the current AuthConfig certificate', organization(3)],
        ['an OAuth certificate AuthConfig does not name', { ...organization(3), authConfig: { currentThumbprint: null, nextThumbprint: null, nextEffectiveDate: null, previousThumbprint: null } }],
        ['nothing usable (only expired ones)', { ...organization(3), authConfig: { currentThumbprint: EXPIRED, nextThumbprint: null, nextEffectiveDate: null, previousThumbprint: null } }],
    ])('is the one the full inventory gives when it finds %s, the chosen one with its body', (_label, inventory) => {
        // Act
        const fromSummary = chooseCertificate(expandInventory(summarizeInventory(inventory, NOW)), NOW, 60);
        const fromEverything = chooseCertificate(fullView(inventory), NOW, 60);

        // Assess
        expect(fromSummary).toEqual(fromEverything);
        const chosen = fromSummary.kind === 'reuse' ? fromSummary.certificate : undefined;
        expect(chosen === undefined || chosen.derBase64 === DER(chosen.thumbprint)).toBe(true);
    });
});
