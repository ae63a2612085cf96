import { TenantRegistry } from '../lib/registry/tenant-registry';
import { figure, type BenchmarkReport } from './model/results';
import { syntheticTenant } from './support/synthetic-tenant';
import { defaultScenario, startBenchWorld, waitForInstance } from './support/bench-world';

const REVERIFY_ALL_INSTANCE = 'reverify-all';
const GRAPH_SCOPE_SUFFIX = '/.default';

/** The n-th customer directory of the bench (deterministic GUIDs). */
function directoryId(index: number): string {
    return `8b000000-0000-4000-8000-${String(index + 1).padStart(12, '0')}`;
}

/**
 * B8 (issue 20): a service provider's nightly re-verification over `tenants` tenants spread over
 * `directories` customer directories, one deployment. Figures: the run's real time on the virtual
 * clock, and the Graph tokens the issuer handed out (one client assertion exchange per directory
 * would be the floor; one per tenant means no reuse).
 */
export async function providerNightlyBench(tenants: number, directories: number): Promise<BenchmarkReport> {
    const scenario = await defaultScenario();
    const customers = Array.from({ length: directories }, (_, index) => ({
        entra: { ...scenario.entra, tenantId: directoryId(index), keyCredentials: [] },
        domains: [`customer${index}.example`],
        consented: true,
    }));
    const world = await startBenchWorld(scenario, { provider: { tenantId: '8b000000-0000-4000-8000-0000000000ff', customers } });
    try {
        const registry = TenantRegistry.withConnectionString(world.azurite.connectionString, 'tenants');
        for (let i = 0; i < tenants; i++) await registry.save(syntheticTenant(`t${String(i).padStart(4, '0')}.customer${i % directories}.example`, scenario.agent.hybridConnection, directoryId(i % directories)));
        const tokensBefore = world.cloud.issuer.tokenRequests.length;
        const started = Date.now();
        await world.host.fireFunction('reverifyAllTimer');
        const record = await waitForInstance(world, REVERIFY_ALL_INSTANCE, 600_000);
        const realMs = Date.now() - started;
        if (record.runtimeStatus !== 'Completed') throw new Error(`reverifyAll over ${tenants} tenants ended ${record.runtimeStatus}: ${record.output ?? ''}`);
        const summary = JSON.parse(record.output ?? '{}') as { tenants?: number };
        if (summary.tenants !== tenants) throw new Error(`reverifyAll verified ${String(summary.tenants)} tenants, expected ${tenants}`);
        const graphTokens = world.cloud.issuer.tokenRequests.slice(tokensBefore).filter((request) => request.outcome === 'issued' && request.scope.endsWith(GRAPH_SCOPE_SUFFIX) && request.scope.includes('graph'));
        const directoriesReached = new Set(graphTokens.map((request) => request.tenant)).size;
        return {
            figures: [
                figure('B8.nightlyMs', `nightly reverifyAll, ${tenants} tenants in ${directories} directories (real time, virtual clock)`, realMs, 'ms'),
                figure('B8.graphTokens', `Graph tokens issued for that run`, graphTokens.length, 'count'),
                figure('B8.directoriesReached', `directories Graph tokens were issued for`, directoriesReached, 'count'),
            ],
            notes: [
                'the tenants are registry records only (as in B2): their checks fail against the one organization behind the agent, but every check runs, Graph included, in each tenant\'s own directory',
                `${tenants} registered tenants, ${tenants / directories} per directory, all behind one agent; the run's output: ${record.output ?? ''}`.slice(0, 400),
            ],
        };
    } finally {
        await world.stop();
    }
}
