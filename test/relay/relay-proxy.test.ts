import { randomBytes } from 'node:crypto';
import { writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { HybridConnectionListener } from '../../agent/relay/hybrid-connection-listener';
import { PermanentError } from '../../lib/errors';
import { MemoryLogSink } from '../../lib/logger';
import type { RelayStandIn } from '../../local/relay/stand-in-types';
import { startTinyproxy, type RunningTinyproxy } from '../support/tinyproxy';
import { baseScenarioJson } from '../agent/support/world';
import { SHARED_SECRET } from '../agent/support/signed-requests';
import { runSimulatedAgent } from '../../local/agent/simulated-agent-cli';
import { startRelayStandIn } from '../../local/relay/relay-stand-in';
import { HYBRID_CONNECTION, LISTEN_RULE, SEND_RULE, cleanupAfterEach, listenerFor, senderFor, sha256, standInTls } from './relay-harness';

const LARGE_ANSWER = randomBytes(300 * 1024);

/** Answers /large with more than the control channel carries (64 kB), so the answer needs a rendezvous socket. */
const handler = (request: { path: string }) =>
    Promise.resolve({ status: 200, headers: {}, body: request.path === '/large' ? LARGE_ANSWER : Buffer.from('small') });

describe('agent behind an HTTP CONNECT proxy (tinyproxy)', () => {
    const { cleanups, relay } = cleanupAfterEach();

    async function proxy(options: Parameters<typeof startTinyproxy>[0] = {}): Promise<RunningTinyproxy> {
        const started = await startTinyproxy(options);
        cleanups.push(() => started.stop());
        return started;
    }

    function listener(standIn: RelayStandIn, overrides: Parameters<typeof listenerFor>[2]): HybridConnectionListener {
        const created = listenerFor(standIn, handler, { backoff: { initialDelayMs: 20, maxDelayMs: 100 }, ...overrides });
        cleanups.push(() => created.close());
        return created;
    }

    it('carries the control channel and the rendezvous sockets through the proxy', async () => {
        // Prepare
        const standIn = await relay();
        const tinyproxy = await proxy();
        const agent = listener(standIn, { proxy: tinyproxy.policy });
        const sender = senderFor(standIn);
        cleanups.push(() => Promise.resolve(sender.close()));

        // Act
        agent.start();
        await agent.connected();
        const small = await sender.send(HYBRID_CONNECTION, { path: '/small', headers: {}, body: Buffer.from('{}') });
        const large = await sender.send(HYBRID_CONNECTION, { path: '/large', headers: {}, body: Buffer.from('{}') });

        // Assess
        expect(small.body.toString()).toBe('small');
        expect(sha256(large.body)).toBe(sha256(LARGE_ANSWER));
        // One tunnel for the control channel, one for the rendezvous socket of the large answer.
        expect(tinyproxy.tunnels()).toEqual([standIn.namespace, standIn.namespace]);
    });

    it('authenticates to the proxy with Basic credentials', async () => {
        // Prepare
        const standIn = await relay();
        const tinyproxy = await proxy({ basicAuth: { user: 'svc-ppo', password: 'proxy-pass-0123' } });
        const agent = listener(standIn, { proxy: tinyproxy.policy });

        // Act
        agent.start();
        await agent.connected();

        // Assess
        expect(standIn.listenerCount(HYBRID_CONNECTION)).toBe(1);
        expect(tinyproxy.tunnels()).toEqual([standIn.namespace]);
    });

    it('fails for good, without the password, when the proxy refuses the credentials', async () => {
        // Prepare
        const standIn = await relay();
        const tinyproxy = await proxy({ basicAuth: { user: 'svc-ppo', password: 'proxy-pass-0123' } });
        const server = tinyproxy.policy.server;
        if (server === undefined) throw new Error('no proxy server');
        const agent = listener(standIn, { proxy: { server: { ...server, password: 'wrong-password-987' }, bypass: [] } });

        // Act
        agent.start();
        const refusal = await agent.connected().then(
            () => undefined,
            (error: unknown) => error,
        );

        // Assess
        expect(refusal).toBeInstanceOf(PermanentError);
        expect(refusal).toMatchObject({ code: 'relay-proxy-auth-failed' });
        expect(JSON.stringify({ message: (refusal as Error).message, remedy: (refusal as PermanentError).remedy })).not.toContain('wrong-password-987');
        expect(standIn.listenerCount(HYBRID_CONNECTION)).toBe(0);
    });

    it('goes direct to a host NO_PROXY lists, even when the proxy is down', async () => {
        // Prepare
        const standIn = await relay();
        const tinyproxy = await proxy();
        const server = tinyproxy.policy.server;
        if (server === undefined) throw new Error('no proxy server');
        await tinyproxy.stop();
        const agent = listener(standIn, { proxy: { server, bypass: ['127.0.0.1'] } });

        // Act
        agent.start();
        await agent.connected();

        // Assess
        expect(standIn.listenerCount(HYBRID_CONNECTION)).toBe(1);
    });

    it('looks at each rendezvous gateway host on its own: NO_PROXY for the namespace does not cover it', async () => {
        // Prepare
        const standIn = await startRelayStandIn({ tls: standInTls(), hybridConnections: [{ path: HYBRID_CONNECTION, listenRule: LISTEN_RULE, sendRule: SEND_RULE }], rendezvousHost: 'localhost' });
        cleanups.push(() => standIn.stop());
        const tinyproxy = await proxy();
        const server = tinyproxy.policy.server;
        if (server === undefined) throw new Error('no proxy server');
        const agent = listener(standIn, { proxy: { server, bypass: ['127.0.0.1'] } });
        const sender = senderFor(standIn);
        cleanups.push(() => Promise.resolve(sender.close()));
        agent.start();
        await agent.connected();

        // Act
        const large = await sender.send(HYBRID_CONNECTION, { path: '/large', headers: {}, body: Buffer.from('{}') });

        // Assess
        expect(sha256(large.body)).toBe(sha256(LARGE_ANSWER));
        expect(tinyproxy.tunnels()).toEqual([`localhost:${standIn.namespace.split(':')[1] ?? ''}`]);
    });

    it('agent check connects through HTTPS_PROXY and reports the proxy without its password', async () => {
        // Prepare
        const standIn = await relay();
        const tinyproxy = await proxy({ basicAuth: { user: 'svc-ppo', password: 'proxy-pass-0123' } });
        const { configPath, scenarioPath } = await agentCheckFiles(standIn, {}, cleanups);
        const logs = new MemoryLogSink();

        // Act
        const code = await runSimulatedAgent(['check', '--config', configPath, '--scenario', scenarioPath], { sink: logs.sink, env: { HTTPS_PROXY: tinyproxy.url, NO_PROXY: 'localhost' } });

        // Assess
        const relayCheck = logs.records.find((record) => record.check === 'relay');
        expect(code).toBe(0);
        expect(relayCheck).toMatchObject({ ok: true, proxy: `http://svc-ppo:****@127.0.0.1:${tinyproxy.port} (from HTTPS_PROXY, bypassed for localhost)` });
        expect(tinyproxy.tunnels()).toEqual([standIn.namespace]);
        expect(JSON.stringify(logs.records)).not.toContain('proxy-pass-0123');
    });

    it('agent check says the proxy refused the credentials, and names no password', async () => {
        // Prepare
        const standIn = await relay();
        const tinyproxy = await proxy({ basicAuth: { user: 'svc-ppo', password: 'proxy-pass-0123' } });
        const proxySettings = { url: `http://127.0.0.1:${tinyproxy.port}`, username: 'svc-ppo', password: 'not-the-password-42' };
        const { configPath, scenarioPath } = await agentCheckFiles(standIn, { proxy: proxySettings }, cleanups);
        const logs = new MemoryLogSink();

        // Act
        const code = await runSimulatedAgent(['check', '--config', configPath, '--scenario', scenarioPath], { sink: logs.sink, env: {} });

        // Assess
        const relayCheck = logs.records.find((record) => record.check === 'relay');
        expect(code).toBe(1);
        expect(relayCheck).toMatchObject({ ok: false, proxy: `http://svc-ppo:****@127.0.0.1:${tinyproxy.port} (from configuration (relay.proxy))` });
        expect(String(relayCheck?.error)).toContain('refused the credentials of "svc-ppo"');
        expect(JSON.stringify(logs.records)).not.toContain('not-the-password-42');
    });
});

/** The agent's configuration (with `relayExtra` in its relay section) and a scenario for the simulated agent's check, in a folder removed after the test. */
async function agentCheckFiles(
    standIn: { namespace: string; caPem: string },
    relayExtra: Record<string, unknown>,
    cleanups: (() => Promise<void> | void)[],
): Promise<{ configPath: string; scenarioPath: string }> {
    const folder = await mkdtemp(join(tmpdir(), 'ppo-proxy-check-'));
    cleanups.push(() => rm(folder, { recursive: true, force: true }));
    const caFile = join(folder, 'ca.pem');
    await writeFile(caFile, standIn.caPem);
    const configPath = join(folder, 'agent-config.json');
    const relaySettings = { namespace: standIn.namespace, hybridConnection: HYBRID_CONNECTION, listenRuleName: LISTEN_RULE.name, listenKey: LISTEN_RULE.key, caFile, ...relayExtra };
    await writeFile(configPath, JSON.stringify({ relay: relaySettings, sharedSecret: SHARED_SECRET, dataFolder: join(folder, 'data') }));
    const scenarioPath = join(folder, 'scenario.json');
    await writeFile(scenarioPath, JSON.stringify(baseScenarioJson()));
    return { configPath, scenarioPath };
}
