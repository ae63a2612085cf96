import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PermanentError } from '../../lib/errors';
import { shellInventorySchema } from '../../lib/protocol/operations/inventory';
import { scenarioWith } from '../agent/support/world';
import { type DoubleWorld, doubleWorld } from './support/double-world';

/**
 * The agent's scripts in a real PowerShell against the Exchange double, remote mode: the cmdlets
 * are functions of an imported module (they do not see the scripts' $ErrorActionPreference) and
 * objects come through PowerShell's serializer.
 */
const STS_URL = 'https://accounts.accesscontrol.windows.net/metadata/json/1/?realm=contoso.com';

let world: DoubleWorld;

beforeAll(async () => {
    world = await doubleWorld(undefined, { mode: 'remote' });
    await world.double.shell.checkReady();
}, 240_000);

afterEach(() => {
    world.exchange.setServerReachable('EX2', true);
});

describe('the scripts in PowerShell through an imported session (remote)', () => {
    it('reports a server whose certificates cannot be read as unreachable (it was reported reachable with no certificates)', async () => {
        // Prepare
        world.exchange.setServerReachable('EX2', false);

        // Act
        const inventory = (await world.double.shell.inventory());

        // Assess
        expect(inventory.certificates.find((c) => c.server === 'EX2')).toMatchObject({ reachable: false, certificates: [] });
        expect(inventory.certificates.find((c) => c.server === 'EX2')?.error).toContain('ex2.corp.contoso.com');
    });

    it('fails setAuthConfig when Set-AuthConfig fails (it reported changed while nothing changed)', async () => {
        // Prepare: a certificate that is not on the connected server; Set-AuthConfig refuses it.
        const elsewhere = 'AB'.repeat(20);

        // Act
        const outcome = await world.double.shell.setAuthConfig({ action: 'setCurrent', thumbprint: elsewhere }).catch((error: unknown) => error);

        // Assess
        expect(outcome).toBeInstanceOf(PermanentError);
        expect(world.exchange.authConfig().currentThumbprint).toBeNull();
    });

    it('fails ensureAuthServer when New-AuthServer fails (it reported created)', async () => {
        // Prepare
        world.double.channel.inject('New-AuthServer', { kind: 'error', message: 'Active Directory operation failed on dc1.corp.contoso.com: insufficient access rights.' });

        // Act
        const outcome = await world.double.shell.ensureAuthServer({ name: 'MicrosoftSts', authMetadataUrl: STS_URL }).catch((error: unknown) => error);

        // Assess
        expect(outcome).toBeInstanceOf(PermanentError);
        expect(world.exchange.authServers()).toEqual([]);
    });

    it('reports a failed import as failed for that server (it reported imported)', async () => {
        // Prepare: the OAuth certificate is on EX1 only, with an exportable key.
        world.double.channel.inject('Import-ExchangeCertificate', { kind: 'error', message: 'The certificate could not be imported: access denied to the machine key store.' });
        const thumbprint = world.exchange.thumbprintOf('oauth');

        // Act
        const result = await world.double.shell.installCertificate({ thumbprint, source: { kind: 'server', server: 'EX1' }, servers: undefined, privateKeyExportable: true });

        // Assess
        expect(result.servers).toEqual([
            { server: 'EX1', outcome: 'alreadyPresent', error: null },
            { server: 'EX2', outcome: 'failed', error: 'The certificate could not be imported: access denied to the machine key store.' },
        ]);
        expect(world.exchange.certificatesOn('EX2')).toEqual([]);
    });

    it('copies the certificate from the server that holds it to the one that lacks it, private key included', async () => {
        // Prepare
        const thumbprint = world.exchange.thumbprintOf('oauth');

        // Act
        const result = await world.double.shell.installCertificate({ thumbprint, source: { kind: 'server', server: 'EX1' }, servers: undefined, privateKeyExportable: true });

        // Assess
        expect(result.servers.map((s) => [s.server, s.outcome])).toEqual([
            ['EX1', 'alreadyPresent'],
            ['EX2', 'imported'],
        ]);
        expect(world.exchange.certificatesOn('EX2')).toEqual([{ thumbprint, friendlyName: 'Exchange S2S OAuth', hasPrivateKey: true, exportable: true }]);
    });

    it('answers an inventory the protocol accepts, with flags as lists after deserialization', async () => {
        // Act
        const raw = await world.double.shell.inventory();

        // Assess
        expect(shellInventorySchema.safeParse(raw).error?.issues ?? []).toEqual([]);
        expect((raw).servers[0]?.roles).toEqual(['Mailbox', 'ClientAccess']);
    });
});

describe('certificates that arrive with RawData only (Exchange 2016/2019, expired Auth certificate)', () => {
    let broken: DoubleWorld;

    beforeAll(async () => {
        const scenario = scenarioWith((json) => {
            json.exchange.servers = [
                { name: 'EX1', fqdn: 'ex1.corp.contoso.com', adminDisplayVersion: 'Version 15.2 (Build 1544.4)', roles: ['Mailbox'] },
                { name: 'EX2', fqdn: 'ex2.corp.contoso.com', adminDisplayVersion: 'Version 15.2 (Build 1544.4)', roles: ['Mailbox'] },
            ];
            json.exchange.certificates = [
                { id: 'expired-auth', subject: 'Microsoft Exchange Server Auth Certificate', services: ['SMTP'], notBefore: '2020-01-01T00:00:00Z', notAfter: '2025-01-01T00:00:00Z', servers: ['EX1', 'EX2'] },
                { id: 'iis', friendlyName: 'Microsoft Exchange', subject: 'mail.corp.contoso.com', domains: ['mail.corp.contoso.com', 'autodiscover.corp.contoso.com'], services: ['IIS', 'SMTP'], notBefore: '2025-01-01T00:00:00Z', notAfter: '2030-01-01T00:00:00Z', servers: ['EX1', 'EX2'] },
            ];
            json.exchange.authConfig = { currentCertificate: 'expired-auth' };
        });
        broken = await doubleWorld(scenario, { mode: 'remote' });
        await broken.double.shell.checkReady();
    }, 240_000);

    it('rebuilds each certificate from RawData: thumbprint, dates, subject, domains and the DER (they arrived empty)', async () => {
        // Act
        const raw = await broken.double.shell.inventory();

        // Assess
        expect(shellInventorySchema.safeParse(raw).error?.issues ?? []).toEqual([]);
        const inventory = raw;
        const iis = inventory.certificates.find((c) => c.server === 'EX2')?.certificates.find((c) => c.thumbprint === broken.exchange.thumbprintOf('iis'));
        expect(iis).toMatchObject({
            subject: 'CN=mail.corp.contoso.com',
            domains: ['mail.corp.contoso.com', 'autodiscover.corp.contoso.com'],
            notBefore: '2025-01-01T00:00:00Z',
            notAfter: '2030-01-01T00:00:00Z',
            keySize: 2048,
            derBase64: broken.exchange.certificateDerBase64('iis'),
        });
        const expired = inventory.certificates.find((c) => c.server === 'EX1')?.certificates.find((c) => c.thumbprint === inventory.authConfig.currentThumbprint);
        expect(expired?.notAfter).toBe('2025-01-01T00:00:00Z');
    });
});
