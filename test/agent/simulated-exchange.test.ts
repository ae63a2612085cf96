import { describe, expect, it } from 'vitest';
import { PermanentError } from '../../lib/errors';
import { buildTripleDesPfx } from '../../local/exchange';
import { generateSelfSignedCertificate } from '../../local/scenario/generate-certificate';
import { createWorld, scenarioWith, STS_URL, TENANT_DOMAIN } from './support/world';

const fresh = generateSelfSignedCertificate({ subject: 'Exchange S2S OAuth', notBefore: new Date('2025-12-01T00:00:00Z'), notAfter: new Date('2027-12-01T00:00:00Z') });
const PASSWORD = 'fresh-pfx-password';
const pfx = buildTripleDesPfx(fresh.certificatePem, fresh.privateKeyPem, PASSWORD);

describe('simulated Exchange: certificates', () => {
    it('imports a 3DES PFX only where the thumbprint is missing and reports per server', async () => {
        // Prepare
        const { exchange } = createWorld();
        await exchange.installCertificate({ thumbprint: fresh.thumbprint, source: { kind: 'pfx', pfx, password: PASSWORD }, servers: ['EX1'], privateKeyExportable: false });
        exchange.setServerReachable('EX2', false);

        // Act
        const result = await exchange.installCertificate({ thumbprint: fresh.thumbprint, source: { kind: 'pfx', pfx, password: PASSWORD }, servers: undefined, privateKeyExportable: false });

        // Assess
        expect(result.servers).toEqual([
            { server: 'EX1', outcome: 'alreadyPresent', error: null },
            { server: 'EX2', outcome: 'failed', error: expect.stringContaining('not reachable') as string },
        ]);
        expect(exchange.certificatesOn('EX1')).toContainEqual(expect.objectContaining({ thumbprint: fresh.thumbprint, hasPrivateKey: true, exportable: false }));
        expect(exchange.commandLog().filter((command) => command.cmdlet === 'Import-ExchangeCertificate')).toHaveLength(1);
    });

    it('refuses a PFX with the wrong password and imports nothing', async () => {
        // Prepare
        const { exchange } = createWorld();

        // Act
        const call = exchange.installCertificate({ thumbprint: fresh.thumbprint, source: { kind: 'pfx', pfx, password: 'wrong' }, servers: undefined, privateKeyExportable: true });

        // Assess
        await expect(call).rejects.toBeInstanceOf(PermanentError);
        await expect(call).rejects.toMatchObject({ code: 'exchange_failed', message: expect.stringContaining('password') as string });
        expect(exchange.certificatesOn('EX2')).toEqual([]);
    });

    it('refuses a PFX that holds another certificate than the thumbprint names', async () => {
        // Prepare
        const { exchange } = createWorld();

        // Act
        const call = exchange.installCertificate({ thumbprint: 'AB'.repeat(20), source: { kind: 'pfx', pfx, password: PASSWORD }, servers: undefined, privateKeyExportable: true });

        // Assess
        await expect(call).rejects.toMatchObject({ message: expect.stringContaining(`holds certificate ${fresh.thumbprint}`) as string });
    });

    it('copies an exportable certificate from a server on premises', async () => {
        // Prepare
        const { exchange } = createWorld();
        const oauth = exchange.thumbprintOf('oauth');

        // Act
        const result = await exchange.installCertificate({ thumbprint: oauth, source: { kind: 'server', server: 'EX1' }, servers: undefined, privateKeyExportable: true });

        // Assess
        expect(result.servers.map((s) => s.outcome)).toEqual(['alreadyPresent', 'imported']);
        expect(exchange.certificatesOn('EX2')).toEqual([expect.objectContaining({ thumbprint: oauth, hasPrivateKey: true })]);
        expect(exchange.commandLog().map((c) => c.cmdlet)).toEqual(['Export-ExchangeCertificate', 'Import-ExchangeCertificate', 'Enable-ExchangeCertificate']);
    });

    it('refuses to copy a certificate whose private key is not exportable', async () => {
        // Prepare
        const { exchange } = createWorld(scenarioWith((json) => {
            (json.exchange.certificates as { exportable?: boolean }[])[0]!.exportable = false;
        }));

        // Act
        const call = exchange.installCertificate({ thumbprint: exchange.thumbprintOf('oauth'), source: { kind: 'server', server: 'EX1' }, servers: undefined, privateKeyExportable: true });

        // Assess
        await expect(call).rejects.toMatchObject({ code: 'exchange_failed', message: expect.stringContaining('not exportable') as string });
    });

    it('reports an unreachable server in the inventory instead of failing it', async () => {
        // Prepare
        const { exchange } = createWorld();
        exchange.setServerReachable('EX2', false);

        // Act
        const inventory = await exchange.inventory();

        // Assess
        expect(inventory.certificates[1]).toMatchObject({ server: 'EX2', reachable: false, certificates: [] });
        expect(inventory.certificates[0]?.certificates[0]).toMatchObject({ friendlyName: 'Exchange S2S OAuth', domains: ['CORP.CONTOSO.COM'], services: ['SMTP'], keySize: 2048, hasPrivateKey: true });
    });
});

describe('simulated Exchange: AuthConfig', () => {
    it('sets current once, then changes nothing', async () => {
        // Prepare
        const { exchange } = createWorld();
        const oauth = exchange.thumbprintOf('oauth');

        // Act
        const first = await exchange.setAuthConfig({ action: 'setCurrent', thumbprint: oauth });
        const second = await exchange.setAuthConfig({ action: 'setCurrent', thumbprint: oauth });

        // Assess
        expect([first.changed, second.changed]).toEqual([true, false]);
        expect(exchange.authConfig().currentThumbprint).toBe(oauth);
    });

    it.each([
        ['names the Enhanced RSA and AES CSP', 'Microsoft Enhanced RSA and AES Cryptographic Provider', 'csp', undefined],
        ['names no provider', null, 'cng', 'has a CNG private key; Exchange cannot sign the OAuth token with it'],
    ])('takes as current an imported certificate whose PFX %s, and signs with it only when its key is a CSP key', async (_case, provider, storage, probeError) => {
        // Prepare
        const { exchange, clock, entra } = createWorld();
        const imported = buildTripleDesPfx(fresh.certificatePem, fresh.privateKeyPem, PASSWORD, 'Exchange S2S OAuth', provider);
        await exchange.installCertificate({ thumbprint: fresh.thumbprint, source: { kind: 'pfx', pfx: imported, password: PASSWORD }, servers: undefined, privateKeyExportable: true });
        await exchange.ensureAuthServer({ name: 'MicrosoftSts', authMetadataUrl: STS_URL });
        await exchange.enablePushProxy({ organization: TENANT_DOMAIN, uri: 'https://outlook.office365.com/PushNotifications' });
        entra.trusted.add(fresh.derBase64);

        // Act
        const set = await exchange.setAuthConfig({ action: 'setCurrent', thumbprint: fresh.thumbprint });
        await exchange.restartHealthManager({});
        clock.advanceBy(121_000);
        const inventory = await exchange.inventory();

        // Assess
        expect(set.changed).toBe(true);
        expect(inventory.certificates[0]?.certificates.find((c) => c.thumbprint === fresh.thumbprint)?.keyStorage).toBe(storage);
        expect(exchange.missingLink()?.error).toBe(probeError === undefined ? undefined : `The current AuthConfig certificate ${fresh.thumbprint} on EX1 ${probeError}.`);
    });

    it('rotates: stage next with a date, publish, clear previous', async () => {
        // Prepare
        const { exchange } = createWorld();
        const oauth = exchange.thumbprintOf('oauth');
        await exchange.setAuthConfig({ action: 'setCurrent', thumbprint: oauth });
        await exchange.installCertificate({ thumbprint: fresh.thumbprint, source: { kind: 'pfx', pfx, password: PASSWORD }, servers: undefined, privateKeyExportable: true });

        // Act
        const staged = await exchange.setAuthConfig({ action: 'stageNext', thumbprint: fresh.thumbprint, effectiveDate: '2026-01-07T00:00:00Z' });
        const published = await exchange.setAuthConfig({ action: 'publish', thumbprint: fresh.thumbprint });
        const publishedAgain = await exchange.setAuthConfig({ action: 'publish', thumbprint: fresh.thumbprint });
        const cleared = await exchange.setAuthConfig({ action: 'clearPrevious' });

        // Assess
        expect(staged.authConfig).toEqual({ currentThumbprint: oauth, nextThumbprint: fresh.thumbprint, nextEffectiveDate: '2026-01-07T00:00:00.000Z', previousThumbprint: null });
        expect(published.authConfig).toEqual({ currentThumbprint: fresh.thumbprint, nextThumbprint: null, nextEffectiveDate: null, previousThumbprint: oauth });
        expect(publishedAgain.changed).toBe(false);
        expect(cleared.authConfig.previousThumbprint).toBeNull();
    });

    it.each([
        ['setting a certificate the connected server does not hold', { action: 'setCurrent' as const, thumbprint: 'AB'.repeat(20) }, /was not found on server EX1/],
        ['publishing a certificate that was not staged', { action: 'publish' as const, thumbprint: 'AB'.repeat(20) }, /stage it before publishing/],
    ])('fails %s', async (_label, params, message) => {
        // Prepare
        const { exchange } = createWorld();

        // Act
        const call = exchange.setAuthConfig(params);

        // Assess
        await expect(call).rejects.toMatchObject({ code: 'exchange_failed', message: expect.stringMatching(message) as string });
    });
});

describe('simulated Exchange: AuthServer and push proxy', () => {
    it('creates MicrosoftSts, updates it when the URL differs, else leaves it', async () => {
        // Prepare
        const { exchange } = createWorld(scenarioWith((json) => {
            json.exchange.authServers = [{ name: 'MicrosoftSts', authMetadataUrl: 'https://accounts.accesscontrol.windows.net/metadata/json/1/?realm=old.example' }];
        }));

        // Act
        const updated = await exchange.ensureAuthServer({ name: 'MicrosoftSts', authMetadataUrl: STS_URL });
        const unchanged = await exchange.ensureAuthServer({ name: 'microsoftsts', authMetadataUrl: STS_URL.toUpperCase().replace('HTTPS', 'https') });
        const created = await exchange.ensureAuthServer({ name: 'OtherSts', authMetadataUrl: STS_URL });

        // Assess
        expect([updated.action, unchanged.action, created.action]).toEqual(['updated', 'unchanged', 'created']);
        expect(exchange.authServers().find((s) => s.name === 'MicrosoftSts')).toMatchObject({ authMetadataUrl: STS_URL, realm: expect.any(String) as string });
    });

    it('enables the push proxy for the organization once', async () => {
        // Prepare
        const { exchange } = createWorld();

        // Act
        const first = await exchange.enablePushProxy({ organization: 'contoso.com', uri: 'https://outlook.office365.com/PushNotifications' });
        const second = await exchange.enablePushProxy({ organization: 'contoso.com', uri: 'https://outlook.office365.com/PushNotifications' });

        // Assess
        expect([first.changed, second.changed]).toEqual([true, false]);
        expect(exchange.pushProxyState()).toMatchObject({ enabled: true, organization: 'contoso.com' });
    });

    it('restarts MSExchangeHM on every Mailbox server and reports an unreachable one', async () => {
        // Prepare
        const { exchange, clock } = createWorld();
        exchange.setServerReachable('EX2', false);

        // Act
        const result = await exchange.restartHealthManager({});

        // Assess
        expect(result.servers).toEqual([
            { server: 'EX1', restarted: true, restartedAt: new Date(clock.now()).toISOString(), error: null },
            { server: 'EX2', restarted: false, restartedAt: null, error: expect.stringContaining('ex2.corp.contoso.com') as string },
        ]);
        expect(exchange.healthManagerRestarts('EX1')).toEqual([new Date(clock.now()).toISOString()]);
    });
});
