import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../local/clock';
import { SimulatedExchange } from '../../local/exchange';
import { LatentExchangeShell } from '../../local/latency/latent-exchange-shell';
import { localAgentShell } from '../../local/stack/agent-sessions';
import { clockLatency } from '../../local/latency/stand-in-latency';
import { parseScenario } from '../../local/scenario/schema';
import { baseScenarioJson, FakeEntraKeyView } from '../agent/support/world';

const SERVER_MS = 30_000;
const EXCHANGE_MS = 500;

function organization(serverCount: number, unreachable: readonly string[] = []) {
    const json = baseScenarioJson() as Record<string, unknown> & { exchange: Record<string, unknown> };
    const names = Array.from({ length: serverCount }, (_, i) => `EX${i + 1}`);
    json.exchange.servers = names.map((name) => ({ name, fqdn: `${name.toLowerCase()}.corp.contoso.com`, adminDisplayVersion: 'Version 15.2 (Build 1544.4)', roles: ['Mailbox', 'ClientAccess'] }));
    const clock = new VirtualClock();
    const exchange = SimulatedExchange.fromScenario(parseScenario(json), { clock, entra: new FakeEntraKeyView() });
    for (const name of unreachable) exchange.setServerReachable(name, false);
    return { clock, exchange };
}

/** Runs `work` on the virtual clock, moving it to each next wake-up, and returns the virtual time it took. */
async function virtualElapsed(clock: VirtualClock, work: () => Promise<unknown>): Promise<number> {
    const start = clock.now();
    let done = false;
    const running = work().finally(() => (done = true));
    while (!done) {
        await new Promise((resolve) => setImmediate(resolve));
        const at = clock.nextWakeAt();
        if (at !== undefined) clock.advanceTo(at);
    }
    await running;
    return clock.now() - start;
}

describe('the latent Exchange shell: restarts fan out as Invoke-Command -ComputerName -ThrottleLimit does', () => {
    it.each([
        { operation: 'restartHealthManager', servers: 3, throttle: 32, waves: 1 },
        { operation: 'restartHealthManager', servers: 64, throttle: 32, waves: 2 },
        { operation: 'restartHealthManager', servers: 200, throttle: 32, waves: 7 },
        { operation: 'restartAuthServices', servers: 5, throttle: 2, waves: 3 },
    ] as const)('$operation on $servers servers, $throttle at a time, lasts $waves server operation(s)', async ({ operation, servers, throttle, waves }) => {
        // Prepare
        const { clock, exchange } = organization(servers);
        const shell = new LatentExchangeShell(exchange, clockLatency(clock, { graphCall: 0, relayRoundTrip: 0, exchangeOperation: EXCHANGE_MS, serverOperation: SERVER_MS }), throttle);

        // Act
        const ms = await virtualElapsed(clock, () => (operation === 'restartHealthManager' ? shell.restartHealthManager({}) : shell.restartAuthServices({})));

        // Assess
        expect(ms).toBe(EXCHANGE_MS + waves * SERVER_MS);
    });

    it('reports exactly the one server of many that cannot be reached, and still waits only the slowest', async () => {
        // Prepare
        const { clock, exchange } = organization(40, ['EX17']);
        const shell = new LatentExchangeShell(exchange, clockLatency(clock, { graphCall: 0, relayRoundTrip: 0, exchangeOperation: EXCHANGE_MS, serverOperation: SERVER_MS }));
        let failed: unknown[] = [];

        // Act
        const ms = await virtualElapsed(clock, async () => {
            const result = await shell.restartHealthManager({});
            failed = result.servers.filter((s) => !s.restarted).map((s) => s.server);
        });

        // Assess
        expect(failed).toEqual(['EX17']);
        expect(ms).toBe(EXCHANGE_MS + 2 * SERVER_MS);
    });
});

describe('the local agent\'s Exchange sessions (local/stack/agent-sessions.ts): the agent\'s pool, each session one operation at a time', () => {
    const latencyOf = (clock: VirtualClock) => clockLatency(clock, { graphCall: 0, relayRoundTrip: 0, exchangeOperation: EXCHANGE_MS, serverOperation: SERVER_MS });

    it.each([
        { sessions: 1, ms: 2 * EXCHANGE_MS },
        { sessions: 2, ms: EXCHANGE_MS },
    ])('runs two independent operations in $ms ms with $sessions session(s)', async ({ sessions, ms }) => {
        // Prepare
        const { clock, exchange } = organization(2);
        const shell = localAgentShell(sessions, () => exchange, latencyOf(clock));

        // Act
        const elapsed = await virtualElapsed(clock, () => Promise.all([shell.inventory(), shell.invokeProbe({})]));

        // Assess
        expect(elapsed).toBe(ms);
    });

    it.each([
        { sessions: 1, servers: 9, slowestShare: 8 },
        { sessions: 4, servers: 9, slowestShare: 2 },
        { sessions: 8, servers: 9, slowestShare: 1 },
    ])('imports on $servers servers (one holds it already) with $sessions session(s) in the time of $slowestShare import(s) one after the other', async ({ sessions, servers, slowestShare }) => {
        // Prepare
        const { clock, exchange } = organization(servers);
        const held = (await exchange.inventory()).certificates.find((c) => c.server === 'EX1')?.certificates[0]?.thumbprint ?? '';
        const names = Array.from({ length: servers }, (_, i) => `EX${i + 1}`);
        const shell = localAgentShell(sessions, () => exchange, latencyOf(clock));
        let imported: string[] = [];

        // Act
        const elapsed = await virtualElapsed(clock, async () => {
            const result = await shell.installCertificate({ thumbprint: held, source: { kind: 'server', server: 'EX1' }, servers: names, privateKeyExportable: true });
            imported = result.servers.filter((s) => s.outcome === 'imported').map((s) => s.server);
        });

        // Assess
        expect(imported).toEqual(names.slice(1));
        expect(elapsed).toBe(EXCHANGE_MS + slowestShare * SERVER_MS);
    });
});
