import { beforeAll, describe, expect, it } from 'vitest';
import { shellInventorySchema, type ShellInventory } from '../../lib/protocol/operations/inventory';
import { scenarioWith } from '../agent/support/world';
import { type DoubleWorld, doubleWorld } from './support/double-world';

/**
 * The agent's scripts in a real PowerShell against the Exchange double, snap-in mode: typed
 * objects, flags enums. Each test names the defect of the scripts it caught.
 */
const scenario = scenarioWith((json) => {
    json.exchange.servers = [
        // Exchange 2016/2019 have the single role Mailbox.
        { name: 'EX1', fqdn: 'ex1.corp.contoso.com', adminDisplayVersion: 'Version 15.0 (Build 1497.2)', roles: ['Mailbox'] },
        { name: 'EX2', fqdn: 'ex2.corp.contoso.com', adminDisplayVersion: 'Version 15.0 (Build 1497.2)', roles: ['Mailbox', 'ClientAccess'] },
        { name: 'EDGE1', fqdn: 'edge1.perimeter.contoso.net', adminDisplayVersion: 'Version 15.0 (Build 1497.2)', roles: ['Edge'] },
    ];
    json.exchange.certificates = [
        { id: 'oauth', friendlyName: 'Exchange S2S OAuth', subject: 'Microsoft Exchange Server Auth Certificate', domains: ['corp.contoso.com'], services: ['SMTP'], notBefore: '2025-06-01T00:00:00Z', notAfter: '2030-06-01T00:00:00Z', servers: ['EX1', 'EX2'] },
        // What Import-ExchangeCertificate leaves: no service assigned.
        { id: 'imported', friendlyName: 'Imported', subject: 'imported.corp.contoso.com', domains: ['imported.corp.contoso.com'], services: [], notBefore: '2025-06-01T00:00:00Z', notAfter: '2030-06-01T00:00:00Z', servers: ['EX1'] },
    ];
});

let world: DoubleWorld;
let inventory: ShellInventory;
let raw: unknown;

beforeAll(async () => {
    // The agent host's own domain differs from the organization's, as for an agent outside it.
    world = await doubleWorld(scenario, { mode: 'snapIn', env: { USERDNSDOMAIN: 'AGENTS.EXAMPLE.NET' } });
    raw = await world.double.shell.inventory();
    // Read as the agent's protocol will read it; the schema check itself is one of the tests.
    inventory = raw as ShellInventory;
}, 240_000);

describe('the inventory script in PowerShell (snap-in)', () => {
    it('answers an inventory the protocol accepts (every real one was rejected: roles and services were strings)', () => {
        // Assess
        expect(shellInventorySchema.safeParse(raw).error?.issues ?? []).toEqual([]);
    });

    it('reports a single flag as a list of one: role Mailbox, service SMTP (ConvertTo-FlagList returned a bare string)', () => {
        // Assess
        expect(inventory.servers.find((s) => s.name === 'EX1')?.roles).toEqual(['Mailbox']);
        const oauth = inventory.certificates.find((c) => c.server === 'EX1')?.certificates.find((c) => c.thumbprint === world.exchange.thumbprintOf('oauth'));
        expect(oauth?.services).toEqual(['SMTP']);
    });

    it('reports a certificate without services as ["None"] (ConvertTo-FlagList returned a bare string)', () => {
        // Assess
        const imported = inventory.certificates.find((c) => c.server === 'EX1')?.certificates.find((c) => c.thumbprint === world.exchange.thumbprintOf('imported'));
        expect(imported?.services).toEqual(['None']);
    });

    it('reports several flags as a list: Mailbox and ClientAccess', () => {
        // Assess
        expect(inventory.servers.find((s) => s.name === 'EX2')?.roles).toEqual(['Mailbox', 'ClientAccess']);
    });

    it('takes the certificate domain from the computer domain of the connected Exchange server, not the agent host\'s USERDNSDOMAIN', () => {
        // Assess
        expect(inventory.userDnsDomain).toBe('corp.contoso.com');
    });

    it('skips Edge Transport servers instead of reporting them unreachable (onboarding was blocked for good)', () => {
        // Assess
        expect(inventory.servers.map((s) => s.name)).toEqual(['EX1', 'EX2']);
        expect(inventory.certificates.map((c) => [c.server, c.reachable])).toEqual([
            ['EX1', true],
            ['EX2', true],
        ]);
    });

    it('reads dates, key size, private key and the public DER as Exchange returns them', () => {
        // Assess
        const oauth = inventory.certificates.find((c) => c.server === 'EX2')?.certificates.find((c) => c.thumbprint === world.exchange.thumbprintOf('oauth'));
        expect(oauth).toMatchObject({ notBefore: '2025-06-01T00:00:00Z', notAfter: '2030-06-01T00:00:00Z', keySize: 2048, hasPrivateKey: true, friendlyName: 'Exchange S2S OAuth', domains: ['corp.contoso.com'] });
        expect(oauth?.derBase64).toBe(world.exchange.certificateDerBase64('oauth'));
    });
});
