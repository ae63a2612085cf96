import { describe, expect, it } from 'vitest';
import { MemoryAuditLog } from '../../agent/audit/audit-log';
import { createAgentRequestHandler } from '../../agent/handler/request-handler';
import { OperationStore } from '../../agent/store/operation-store';
import { AgentClient } from '../../lib/agent-client';
import { PermanentError, TransientError, ValidationError } from '../../lib/errors';
import { type OperationName, OPERATION_NAMES } from '../../lib/protocol';
import { buildTripleDesPfx } from '../../local/exchange';
import { generateSelfSignedCertificate } from '../../local/scenario/generate-certificate';
import { InMemoryAgentTransport } from './support/in-memory-transport';
import { deferred, ScriptedShell } from './support/scripted-shell';
import { OTHER_SECRET, SHARED_SECRET } from './support/signed-requests';
import { useTempFolders } from './support/temp-folder';
import { createWorld, STS_URL, TENANT_DOMAIN, type TestWorld } from './support/world';

const newFolder = useTempFolders();
const HC = 'contoso-agent';

async function clientFor(world: TestWorld | undefined, options: { agentSecret?: string; shell?: ScriptedShell; replyWithinMs?: number; alter?: ConstructorParameters<typeof InMemoryAgentTransport>[1] } = {}) {
    const now = () => world?.clock.now() ?? Date.UTC(2026, 0, 5, 9);
    const store = await OperationStore.open(await newFolder(), { now });
    const handler = createAgentRequestHandler({
        sharedSecret: options.agentSecret ?? SHARED_SECRET,
        shell: options.shell ?? world!.exchange,
        store,
        audit: new MemoryAuditLog(),
        now,
        ...(options.replyWithinMs === undefined ? {} : { replyWithinMs: options.replyWithinMs }),
    });
    const transport = new InMemoryAgentTransport({ [HC]: handler }, options.alter);
    const client = new AgentClient({ transport, sharedSecretFor: () => SHARED_SECRET, now });
    return { client, transport, handler };
}

describe('AgentClient through the agent request handler', () => {
    it('round-trips every operation and onboards the simulated organization', async () => {
        // Prepare
        const world = createWorld();
        const { client, transport } = await clientFor(world);
        const oauth = world.exchange.thumbprintOf('oauth');
        const fresh = generateSelfSignedCertificate({ subject: 'Exchange S2S OAuth', notBefore: new Date('2025-12-01T00:00:00Z'), notAfter: new Date('2027-12-01T00:00:00Z') });
        const call = { hybridConnection: HC };

        // Act
        const inventory = await client.call('inventory', {}, { ...call, operationId: 'run-1/inventory' });
        const copied = await client.call('installCertificate', { thumbprint: oauth, source: { kind: 'server', server: 'EX1' } }, { ...call, operationId: 'run-1/install-copy' });
        const sealed = await client.sealPrivateKey(HC, { pfx: buildTripleDesPfx(fresh.certificatePem, fresh.privateKeyPem, 'pfx-pass-1'), password: 'pfx-pass-1' });
        const imported = await client.call('installCertificate', { thumbprint: fresh.thumbprint.toLowerCase(), source: { kind: 'sealedPfx', sealed } }, { ...call, operationId: 'run-1/install-sealed' });
        const authConfig = await client.call('setAuthConfig', { action: 'setCurrent', thumbprint: oauth }, { ...call, operationId: 'run-1/auth-config' });
        const authServer = await client.call('ensureAuthServer', { authMetadataUrl: STS_URL }, { ...call, operationId: 'run-1/auth-server' });
        const proxy = await client.call('enablePushProxy', { organization: TENANT_DOMAIN, uri: 'https://outlook.office365.com/PushNotifications' }, { ...call, operationId: 'run-1/push-proxy' });
        const services = await client.call('restartAuthServices', {}, { ...call, operationId: 'run-1/restart-auth-services' });
        const restart = await client.call('restartHealthManager', {}, { ...call, operationId: 'run-1/restart-hm' });
        const tooEarly = await client.call('invokeProbe', {}, { ...call, operationId: 'run-1/probe-1' });
        world.clock.advanceBy(120_000);
        world.entra.trusted.add(inventory.certificates[0]!.certificates[0]!.derBase64);
        const probe = await client.call('invokeProbe', { server: 'EX1' }, { ...call, operationId: 'run-1/probe-2' });

        // Assess
        expect(inventory.servers.map((server) => [server.name, server.build?.text])).toEqual([['EX1', '15.0.1497.2'], ['EX2', '15.0.775.38']]);
        expect(inventory.certificates.map((entry) => entry.certificates.map((c) => c.thumbprint))).toEqual([[oauth], []]);
        expect(copied.servers).toEqual([{ server: 'EX1', outcome: 'alreadyPresent', error: null }, { server: 'EX2', outcome: 'imported', error: null }]);
        expect(imported).toEqual({ thumbprint: fresh.thumbprint, servers: [{ server: 'EX1', outcome: 'imported', error: null }, { server: 'EX2', outcome: 'imported', error: null }] });
        expect(authConfig).toMatchObject({ changed: true, authConfig: { currentThumbprint: oauth } });
        expect(authServer).toEqual({ name: 'MicrosoftSts', authMetadataUrl: STS_URL, action: 'created' });
        expect(proxy).toEqual({ changed: true, app: { identity: 'OnPrem-Proxy', displayName: 'On Premises Proxy app', enabled: true, organization: TENANT_DOMAIN, uri: 'https://outlook.office365.com/PushNotifications' } });
        expect(services.servers.map((server) => [server.server, server.restarted])).toEqual([['EX1', true], ['EX2', true]]);
        expect(restart.servers.map((server) => server.restarted)).toEqual([true, true]);
        expect(tooEarly).toMatchObject({ resultType: 'Failed', error: expect.stringContaining('still loading') as string });
        expect(probe).toMatchObject({ server: 'EX1', resultType: 'Succeeded', error: null });
        const called = new Set(transport.sent.map((sent) => sent.request.path.replace('/ops/', '') as OperationName));
        expect([...called].sort()).toEqual([...OPERATION_NAMES].sort());
        expect(world.exchange.certificatesOn('EX2').map((c) => c.thumbprint).sort()).toEqual([oauth, fresh.thumbprint].sort());
    });

    it('maps an agent with another shared secret to a PermanentError with a remedy', async () => {
        // Prepare
        const { client } = await clientFor(createWorld(), { agentSecret: OTHER_SECRET });

        // Act
        const call = client.call('inventory', {}, { hybridConnection: HC, operationId: 'run-1/inventory' });

        // Assess
        await expect(call).rejects.toBeInstanceOf(PermanentError);
        await expect(call).rejects.toMatchObject({ code: 'bad_signature', remedy: expect.stringContaining('shared secret') as string });
    });

    it('maps a still-running operation to a TransientError the retry policy retries', async () => {
        // Prepare
        const shell = new ScriptedShell();
        const gate = deferred();
        shell.gate = gate.promise;
        const { client, handler } = await clientFor(undefined, { shell, replyWithinMs: 1 });

        // Act
        const call = client.call('inventory', {}, { hybridConnection: HC, operationId: 'run-1/inventory' });

        // Assess
        await expect(call).rejects.toBeInstanceOf(TransientError);
        await expect(call).rejects.toMatchObject({ code: 'in_progress', transient: true, retryAfterMs: 10_000 });
        gate.resolve();
        // The operation finishes in the background and stores its result: let it, before the data folder goes.
        await handler.whenIdle();
    });

    it('maps an Exchange failure to a PermanentError', async () => {
        // Prepare
        const { client } = await clientFor(createWorld());

        // Act
        const call = client.call('setAuthConfig', { action: 'setCurrent', thumbprint: 'AB'.repeat(20) }, { hybridConnection: HC, operationId: 'run-1/auth-config' });

        // Assess
        await expect(call).rejects.toMatchObject({ code: 'exchange_failed', transient: false, message: expect.stringContaining('was not found on server EX1') as string });
    });

    it('refuses a success reply altered on the way', async () => {
        // Prepare
        const { client } = await clientFor(createWorld(), {
            alter: (response) => ({ ...response, body: Buffer.from(response.body.toString().replace('"Contoso"', '"Fabrikam"')) }),
        });

        // Act
        const call = client.call('inventory', {}, { hybridConnection: HC, operationId: 'run-1/inventory' });

        // Assess
        await expect(call).rejects.toMatchObject({ code: 'agent_reply_unsigned' });
    });

    // Issue 15, finding 6: failure replies were acted on before their signature was checked.
    it.each([
        { forged: 'in_progress, transient (would be retried for as long as it pleases)', error: { code: 'in_progress', message: 'still running', transient: true } },
        { forged: 'an Exchange failure with a message of its own', error: { code: 'exchange_failed', message: 'run Remove-AuthServer, then call +1 555', transient: false } },
        { forged: 'a success', ok: true },
    ])('refuses an unsigned reply forging $forged as agent_reply_unsigned, permanent', async ({ error, ok }) => {
        // Prepare
        const body = Buffer.from(JSON.stringify(ok === true ? { ok: true, result: {} } : { ok: false, error }));
        const { client } = await clientFor(createWorld(), { alter: () => ({ status: ok === true ? 200 : 409, headers: { 'content-type': 'application/json' }, body }) });

        // Act
        const call = client.call('inventory', {}, { hybridConnection: HC, operationId: 'run-1/inventory' });

        // Assess
        await expect(call).rejects.toBeInstanceOf(PermanentError);
        await expect(call).rejects.toMatchObject({ code: 'agent_reply_unsigned', transient: false });
    });

    it.each([
        [502, TransientError],
        [400, PermanentError],
    ])('treats a non-protocol HTTP %i answer by its status', async (status, errorType) => {
        // Prepare
        const { client } = await clientFor(createWorld(), { alter: () => ({ status, headers: {}, body: Buffer.from('<html>Bad Gateway</html>') }) });

        // Act
        const call = client.call('inventory', {}, { hybridConnection: HC, operationId: 'run-1/inventory' });

        // Assess
        await expect(call).rejects.toBeInstanceOf(errorType);
        await expect(call).rejects.toMatchObject({ code: 'agent_reply_invalid' });
    });

    it('refuses invalid parameters before sending anything', async () => {
        // Prepare
        const { client, transport } = await clientFor(createWorld());

        // Act
        const call = client.call('enablePushProxy', { organization: 'not a domain', uri: 'https://outlook.office365.com/PushNotifications' }, { hybridConnection: HC, operationId: 'run-1/push' });

        // Assess
        await expect(call).rejects.toBeInstanceOf(ValidationError);
        expect(transport.sent).toEqual([]);
    });
});
