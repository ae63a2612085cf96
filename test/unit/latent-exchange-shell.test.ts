import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../local/clock';
import { SimulatedExchange } from '../../local/exchange';
import { LatentExchangeShell } from '../../local/latency/latent-exchange-shell';
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
