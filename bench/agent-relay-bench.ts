import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openAgentRequestHandler } from '../agent/open-agent-handler';
import { HybridConnectionListener } from '../agent/relay/hybrid-connection-listener';
import { AgentClient, type AgentCallOptions } from '../lib/agent-client/agent-client';
import { RelaySender } from '../lib/relay/relay-sender';
import { startRelayStandIn } from '../local/relay/relay-stand-in';
import { TestCertificateAuthority } from '../local/tls/test-authority';
import { percentile } from './model/percentile';
import { below, figure, type BenchmarkReport } from './model/results';
import { CannedExchangeShell } from './support/canned-shell';

const HYBRID_CONNECTION = 'bench-agent';
const THUMBPRINT = 'AB'.repeat(20);
/** Operations compared at the start and the end of the run, to show a trend. */
const TREND_WINDOW = 100;

type Operation = (client: AgentClient, call: AgentCallOptions) => Promise<unknown>;

/** Every allowlisted operation, in turn (installCertificate from a server: no private key to seal). */
const OPERATIONS: readonly Operation[] = [
    (client, call) => client.call('inventory', {}, call),
    (client, call) => client.call('installCertificate', { thumbprint: THUMBPRINT, source: { kind: 'server', server: 'EX1' }, servers: ['EX2'] }, call),
    (client, call) => client.call('setAuthConfig', { action: 'setCurrent', thumbprint: THUMBPRINT }, call),
    (client, call) => client.call('ensureAuthServer', { authMetadataUrl: 'https://accounts.accesscontrol.windows.net/metadata/json/1/?realm=contoso.com' }, call),
    (client, call) => client.call('enablePushProxy', { organization: 'contoso.com', uri: 'https://outlook.office365.com/PushNotifications' }, call),
    (client, call) => client.call('restartHealthManager', { servers: ['EX1'] }, call),
    (client, call) => client.call('invokeProbe', { server: 'EX1' }, call),
];

const key = (): string => randomBytes(32).toString('base64');

/**
 * B4, first half: the real AgentClient → RelaySender → relay stand-in → HybridConnectionListener →
 * agent request handler (signature, nonce, schema, operation store, audit log) → a shell that answers
 * at once, and back; per operation, the round trip minus the time spent inside the shell.
 */
export async function agentRelayBench(operations: number, warmUp: number): Promise<BenchmarkReport> {
    const listenRule = { name: 'agent-listen', key: key() };
    const sendRule = { name: 'orchestrator-send', key: key() };
    const sharedSecret = key();
    const relay = await startRelayStandIn({ tls: new TestCertificateAuthority().issueServerCertificate(), hybridConnections: [{ path: HYBRID_CONNECTION, listenRule, sendRule }] });
    const dataFolder = await mkdtemp(join(tmpdir(), 'ppo-bench-agent-'));
    const shell = new CannedExchangeShell();
    const handler = await openAgentRequestHandler({ dataFolder, sharedSecret, shell });
    const listener = new HybridConnectionListener({ namespace: relay.namespace, hybridConnection: HYBRID_CONNECTION, listenRule, ca: relay.caPem, handler });
    const sender = new RelaySender({ namespace: relay.namespace, sendRule, ca: relay.caPem });
    try {
        listener.start();
        await listener.connected();
        const client = new AgentClient({ transport: sender, sharedSecretFor: () => sharedSecret });
        const overheads: number[] = [];
        for (let i = 0; i < warmUp + operations; i++) {
            const operation = OPERATIONS[i % OPERATIONS.length] as Operation;
            const shellBefore = shell.busyMs;
            const started = performance.now();
            await operation(client, { hybridConnection: HYBRID_CONNECTION, operationId: `bench-${i}` });
            const overhead = performance.now() - started - (shell.busyMs - shellBefore);
            if (i >= warmUp) overheads.push(overhead);
        }
        const p50 = percentile(overheads, 50);
        const p99 = percentile(overheads, 99);
        return {
            figures: [
                figure('B4.relayP50Ms', `agent overhead per operation, p50 of ${operations}`, p50, 'ms'),
                figure('B4.relayP99Ms', `agent overhead per operation, p99 of ${operations}`, p99, 'ms', below(10)),
            ],
            notes: [
                `${operations} sequential operations (all seven in turn, after ${warmUp} not counted) through the real AgentClient, RelaySender, relay stand-in (HTTPS + WSS on 127.0.0.1), HybridConnectionListener and agent request handler with its operation store and audit log on disk`,
                `round trip minus the time inside a shell that answers at once (${shell.busyMs.toFixed(1)} ms in total); p90 ${percentile(overheads, 90).toFixed(2)} ms, max ${Math.max(...overheads).toFixed(2)} ms`,
                `p50 of the first ${TREND_WINDOW} operations ${percentile(overheads.slice(0, TREND_WINDOW), 50).toFixed(2)} ms, of the last ${TREND_WINDOW} ${percentile(overheads.slice(-TREND_WINDOW), 50).toFixed(2)} ms (a growing trend would point at something that grows with the stored results, such as the agent's operation store)`,
            ],
        };
    } finally {
        sender.close();
        await listener.close();
        await handler.whenIdle();
        await relay.stop();
        await rm(dataFolder, { recursive: true, force: true });
    }
}
