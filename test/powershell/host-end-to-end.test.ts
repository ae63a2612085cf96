import { beforeAll, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../local/clock';
import { buildTripleDesPfx, generateScenarioCertificates, SimulatedExchange } from '../../local/exchange';
import { PermanentError, TransientError } from '../../lib/errors';
import { Logger, type LogRecord } from '../../lib/logger';
import { shellInventorySchema } from '../../lib/protocol/operations/inventory';
import { generateSelfSignedCertificate } from '../../local/scenario/generate-certificate';
import { parseScenario } from '../../local/scenario/schema';
import { baseScenarioJson, FakeEntraKeyView, STS_URL, TENANT_DOMAIN } from '../agent/support/world';

/** The worldwide push notification service, Enable-PushNotificationProxy's default -Uri. */
const PUSH_URI = 'https://outlook.office365.com/PushNotifications';
import { type DoubleWorld, doubleWorld } from './support/double-world';

/**
 * The agent's PowerShellExchangeShell runs the shipped host.ps1 in a real PowerShell, against the
 * Exchange double (snap-in mode), and the organization's state is checked after each operation.
 */
function scenario() {
    const json = baseScenarioJson() as Record<string, unknown> & { exchange: Record<string, unknown> };
    json.exchange.servers = [
        { name: 'EX1', fqdn: 'ex1.corp.contoso.com', adminDisplayVersion: 'Version 15.0 (Build 1497.2)', roles: ['Mailbox', 'ClientAccess'] },
        { name: 'CÓRDOBA-01', fqdn: 'cordoba-01.corp.contoso.com', adminDisplayVersion: 'Version 15.0 (Build 1497.2)', roles: ['Mailbox', 'ClientAccess'] },
    ];
    json.exchange.certificates = [
        { id: 'cloud', friendlyName: 'Exchange S2S OAuth', subject: 'corp.contoso.com', domains: ['corp.contoso.com'], services: ['SMTP'], notBefore: '2025-06-01T00:00:00Z', notAfter: '2030-06-01T00:00:00Z', servers: [] },
    ];
    return parseScenario(json);
}

const logs: LogRecord[] = [];
let world: DoubleWorld;
let cloudPfx: Buffer;

beforeAll(async () => {
    const parsed = scenario();
    const certificates = generateScenarioCertificates(parsed.exchange);
    const clock = new VirtualClock();
    const entra = new FakeEntraKeyView();
    const exchange = SimulatedExchange.fromScenario(parsed, { clock, entra, certificates });
    const cloud = certificates.get('cloud')!;
    cloudPfx = buildTripleDesPfx(cloud.certificatePem, cloud.privateKeyPem, 'Pfx-Pässwort-1', 'Exchange S2S OAuth');
    entra.trusted.add(exchange.certificateDerBase64('cloud'));
    world = await doubleWorld(parsed, { mode: 'snapIn', logger: new Logger({}, (record) => logs.push(record)) }, { scenario: parsed, clock, entra, exchange });
}, 240_000);

describe('the agent\'s PowerShell host against the Exchange double (snap-in)', () => {
    it('reports ready, in snap-in mode, with every cmdlet the scripts need', async () => {
        // Act
        const ready = await world.double.shell.checkReady();

        // Assess
        expect(ready).toEqual({ mode: 'SnapIn', missingCmdlets: [] });
    }, 240_000);

    it('runs the onboarding\'s operations one after another until the probe, computed from the organization, succeeds', async () => {
        // Prepare
        const { shell } = world.double;
        const thumbprint = world.exchange.thumbprintOf('cloud');

        // Act
        const inventory = shellInventorySchema.parse(await shell.inventory());
        const install = await shell.installCertificate({ thumbprint, source: { kind: 'pfx', pfx: cloudPfx, password: 'Pfx-Pässwort-1' }, servers: undefined, privateKeyExportable: false });
        const authServer = await shell.ensureAuthServer({ name: 'MicrosoftSts', authMetadataUrl: STS_URL });
        const authConfig = await shell.setAuthConfig({ action: 'setCurrent', thumbprint });
        const push = await shell.enablePushProxy({ organization: TENANT_DOMAIN, uri: PUSH_URI });
        const restart = await shell.restartHealthManager({});
        world.clock.advanceBy(121_000);
        const probe = await shell.invokeProbe({});

        // Assess
        expect(inventory.servers.map((s) => s.name)).toEqual(['EX1', 'CÓRDOBA-01']);
        expect(install.servers).toEqual([
            { server: 'EX1', outcome: 'imported', error: null },
            { server: 'CÓRDOBA-01', outcome: 'imported', error: null },
        ]);
        expect(world.exchange.certificatesOn('CÓRDOBA-01')).toEqual([{ thumbprint, friendlyName: 'Exchange S2S OAuth', hasPrivateKey: true, exportable: false }]);
        expect(authServer).toEqual({ name: 'MicrosoftSts', authMetadataUrl: STS_URL, action: 'created' });
        expect(authConfig).toMatchObject({ action: 'setCurrent', changed: true, authConfig: { currentThumbprint: thumbprint } });
        expect(push).toMatchObject({ changed: true, app: { identity: 'OnPrem-Proxy', enabled: true, organization: TENANT_DOMAIN } });
        expect(restart.servers.map((s) => [s.server, s.restarted])).toEqual([
            ['EX1', true],
            ['CÓRDOBA-01', true],
        ]);
        expect(probe).toMatchObject({ server: 'EX1', resultType: 'Succeeded', error: null });
        expect(world.exchange.missingLink()).toBeUndefined();
    }, 120_000);

    it('changes nothing the second time: each operation reports that it was already done', async () => {
        // Prepare
        const { shell } = world.double;
        const thumbprint = world.exchange.thumbprintOf('cloud');

        // Act
        const install = await shell.installCertificate({ thumbprint, source: { kind: 'pfx', pfx: cloudPfx, password: 'Pfx-Pässwort-1' }, servers: undefined, privateKeyExportable: false });
        const authServer = await shell.ensureAuthServer({ name: 'MicrosoftSts', authMetadataUrl: STS_URL });
        const authConfig = await shell.setAuthConfig({ action: 'setCurrent', thumbprint });
        const push = await shell.enablePushProxy({ organization: TENANT_DOMAIN, uri: PUSH_URI });

        // Assess
        expect(install.servers.map((s) => s.outcome)).toEqual(['alreadyPresent', 'alreadyPresent']);
        expect(authServer.action).toBe('unchanged');
        expect(authConfig.changed).toBe(false);
        expect(push.changed).toBe(false);
    }, 60_000);

    it('stages, publishes and clears an AuthConfig certificate as a rotation does', async () => {
        // Prepare
        const { shell } = world.double;
        const thumbprint = world.exchange.thumbprintOf('cloud');

        // Act
        const staged = await shell.setAuthConfig({ action: 'stageNext', thumbprint, effectiveDate: '2026-03-01T00:00:00Z' });
        const published = await shell.setAuthConfig({ action: 'publish', thumbprint });
        const cleared = await shell.setAuthConfig({ action: 'clearPrevious' });

        // Assess
        expect(staged.authConfig).toMatchObject({ nextThumbprint: thumbprint, nextEffectiveDate: '2026-03-01T00:00:00Z' });
        expect(published.authConfig).toMatchObject({ currentThumbprint: thumbprint, nextThumbprint: null, previousThumbprint: thumbprint });
        expect(cleared).toMatchObject({ changed: true, authConfig: { previousThumbprint: null } });
    }, 60_000);

    it('restarts MSExchangeServiceHost and recycles the OWA and ECP pools on each server as Microsoft\'s procedure does, reporting one that cannot be reached', async () => {
        // Prepare
        world.exchange.setServerReachable('CÓRDOBA-01', false);

        // Act
        const result = await world.double.shell.restartAuthServices({}).finally(() => world.exchange.setServerReachable('CÓRDOBA-01', true));

        // Assess
        expect(result.servers.map((s) => [s.server, s.restarted])).toEqual([
            ['EX1', true],
            ['CÓRDOBA-01', false],
        ]);
        expect(result.servers[1]?.error).toMatch(/^Connecting to remote server cordoba-01\.corp\.contoso\.com failed/);
        expect(world.exchange.authServiceRestarts('EX1')).toEqual(['MSExchangeServiceHost', 'MSExchangeOWAAppPool', 'MSExchangeECPAppPool']);
        expect(world.exchange.authServiceRestarts('CÓRDOBA-01')).toEqual([]);
    }, 60_000);

    it('restarts MSExchangeHM on every server in one Invoke-Command and names exactly the one that cannot be reached', async () => {
        // Prepare
        world.exchange.setServerReachable('CÓRDOBA-01', false);

        // Act
        const result = await world.double.shell.restartHealthManager({}).finally(() => world.exchange.setServerReachable('CÓRDOBA-01', true));

        // Assess
        expect(result.servers.map((s) => [s.server, s.restarted])).toEqual([
            ['EX1', true],
            ['CÓRDOBA-01', false],
        ]);
        expect(result.servers[0]?.error).toBeNull();
        expect(result.servers[1]?.error).toMatch(/^Connecting to remote server cordoba-01\.corp\.contoso\.com failed/);
    }, 60_000);

    it('reads where each certificate\'s key is as .NET Framework shows it: a CSP key for a PFX naming the CSP, a CNG key for one naming none', async () => {
        // Prepare
        const { shell } = world.double;
        const bare = generateSelfSignedCertificate({ subject: 'corp.contoso.com', notBefore: new Date('2025-06-01T00:00:00Z'), notAfter: new Date('2030-06-01T00:00:00Z') });
        const pfx = buildTripleDesPfx(bare.certificatePem, bare.privateKeyPem, 'Pfx-Pässwort-2', 'Exchange S2S OAuth', null);
        await shell.installCertificate({ thumbprint: bare.thumbprint, source: { kind: 'pfx', pfx, password: 'Pfx-Pässwort-2' }, servers: ['EX1'], privateKeyExportable: true });

        // Act
        const inventory = shellInventorySchema.parse(await shell.inventory());

        // Assess
        const onEx1 = inventory.certificates.find((entry) => entry.server === 'EX1')?.certificates ?? [];
        expect(onEx1.find((c) => c.thumbprint === bare.thumbprint)?.keyStorage).toBe('cng');
        expect(onEx1.find((c) => c.thumbprint === world.exchange.thumbprintOf('cloud'))?.keyStorage).toBe('csp');
    }, 60_000);

    it('answers a script that throws with exchange_failed and the script\'s message', async () => {
        // Act
        const outcome = await world.double.shell.setAuthConfig({ action: 'publish', thumbprint: 'CD'.repeat(20) }).catch((error: unknown) => error);

        // Assess
        expect(outcome).toBeInstanceOf(PermanentError);
        expect(outcome).toMatchObject({ code: 'exchange_failed', message: `setAuthConfig: Certificate ${'CD'.repeat(20)} is not the next AuthConfig certificate; stage it before publishing.` });
    });

    it('answers a dropped Exchange session with the transient exchange_unreachable', async () => {
        // Prepare
        world.double.channel.inject('Get-AuthConfig', { kind: 'transport' });

        // Act
        const outcome = await world.double.shell.setAuthConfig({ action: 'clearPrevious' }).catch((error: unknown) => error);

        // Assess
        expect(outcome).toBeInstanceOf(TransientError);
        expect(outcome).toMatchObject({ code: 'exchange_unreachable' });
    });

    it('keeps an Exchange error in Portuguese and a server named with accents intact', async () => {
        // Prepare
        world.double.channel.inject('Get-ExchangeCertificate', { kind: 'error', message: 'O servidor não está acessível: a conexão foi recusada pelo computador de destino (São Paulo).' });

        // Act
        const inventory = await world.double.shell.inventory();

        // Assess
        expect(inventory.certificates[0]).toMatchObject({ server: 'EX1', reachable: false, error: 'O servidor não está acessível: a conexão foi recusada pelo computador de destino (São Paulo).' });
        expect(inventory.certificates[1]).toMatchObject({ server: 'CÓRDOBA-01', reachable: true });
    });

    it('logs the warnings a cmdlet writes and still answers its result', async () => {
        // Prepare
        logs.length = 0;
        world.double.channel.inject('Enable-PushNotificationProxy', { kind: 'warning', message: 'A configuração pode levar até 15 minutos para ser aplicada.' });

        // Act
        const push = await world.double.shell.enablePushProxy({ organization: TENANT_DOMAIN, uri: PUSH_URI });

        // Assess
        expect(push.app.enabled).toBe(true);
        expect(logs.find((record) => record.message === 'script warnings')).toMatchObject({ script: 'enablePushProxy', warnings: ['A configuração pode levar até 15 minutos para ser aplicada.'] });
    });

    it('never shows the PFX password or the PFX in what comes back from a failed import', async () => {
        // Act
        const outcome = await world.double.shell
            .installCertificate({ thumbprint: world.exchange.thumbprintOf('cloud'), source: { kind: 'pfx', pfx: cloudPfx, password: 'wrong-Pässwort' }, servers: ['EX1'], privateKeyExportable: false })
            .catch((error: unknown) => error);

        // Assess
        expect(outcome).toBeInstanceOf(PermanentError);
        expect(String((outcome as Error).message)).not.toContain('wrong-Pässwort');
        expect(String((outcome as Error).message)).not.toContain(cloudPfx.toString('base64').slice(0, 40));
    });
});

describe('a PowerShell host that hangs, dies or lacks cmdlets', () => {
    let fragile: DoubleWorld;

    beforeAll(async () => {
        // An RBAC role without Invoke-MonitoringProbe; a short per-call timeout.
        fragile = await doubleWorld(undefined, { mode: 'snapIn', withoutCmdlets: ['Invoke-MonitoringProbe', 'Set-AuthServer'], callTimeoutMs: 15_000 });
    }, 240_000);

    it('reports the cmdlets the session lacks in the ready handshake', async () => {
        // Act
        const ready = await fragile.double.shell.checkReady();

        // Assess
        expect(ready).toEqual({ mode: 'SnapIn', missingCmdlets: ['Set-AuthServer', 'Invoke-MonitoringProbe'] });
    }, 240_000);

    it('kills a host that hangs in a cmdlet, answers shell_timeout, and starts a new one for the next call', async () => {
        // Prepare
        fragile.double.channel.inject('Get-AuthConfig', { kind: 'hang' });
        const startsBefore = fragile.double.shell.starts;

        // Act
        const hung = await fragile.double.shell.setAuthConfig({ action: 'clearPrevious' }).catch((error: unknown) => error);
        const next = await fragile.double.shell.setAuthConfig({ action: 'clearPrevious' });

        // Assess
        expect(hung).toMatchObject({ code: 'shell_timeout', transient: true });
        expect(next).toEqual({ action: 'clearPrevious', changed: false, authConfig: { currentThumbprint: null, nextThumbprint: null, nextEffectiveDate: null, previousThumbprint: null } });
        expect(fragile.double.shell.starts).toBe(startsBefore + 1);
    }, 240_000);

    it('answers shell_unavailable when the host dies in a cmdlet, and starts a new one for the next call', async () => {
        // Prepare
        fragile.double.channel.inject('Get-AuthConfig', { kind: 'crash' });
        const startsBefore = fragile.double.shell.starts;

        // Act
        const crashed = await fragile.double.shell.setAuthConfig({ action: 'clearPrevious' }).catch((error: unknown) => error);
        const next = await fragile.double.shell.setAuthConfig({ action: 'clearPrevious' });

        // Assess
        expect(crashed).toMatchObject({ code: 'shell_unavailable', transient: true });
        expect(next.changed).toBe(false);
        expect(fragile.double.shell.starts).toBe(startsBefore + 1);
    }, 240_000);
});
