import { TenantRegistry } from '../lib/registry/tenant-registry';
import type { Scenario } from '../local/scenario/schema';
import { atMost, figure, type BenchmarkReport } from './model/results';
import { syntheticTenant } from './support/synthetic-tenant';
import { defaultScenario, startBenchWorld, waitForInstance } from './support/bench-world';
import { ReplayMeter } from './support/replay-meter';

const REVERIFY_ORCHESTRATIONS = ['reverifyAll', 'reverifyTenant'];
const REVERIFY_ALL_INSTANCE = 'reverify-all';

interface ReverifyRun {
    readonly tenants: number;
    readonly replayMs: number;
    readonly episodes: number;
    readonly realMs: number;
}

/** reverifyAll over `tenants` registered tenants in a fresh world; the orchestrator CPU it took. */
async function reverifyAllOnce(scenario: Scenario, tenants: number): Promise<ReverifyRun> {
    const meter = new ReplayMeter();
    const world = await startBenchWorld(scenario, { onOrchestratorReplay: meter.record });
    try {
        const registry = TenantRegistry.withConnectionString(world.azurite.connectionString, 'tenants');
        for (let i = 0; i < tenants; i++) await registry.save(syntheticTenant(`t${String(i).padStart(4, '0')}.example.com`, scenario.agent.hybridConnection));
        const started = Date.now();
        await world.host.fireFunction('reverifyAllTimer');
        const record = await waitForInstance(world, REVERIFY_ALL_INSTANCE, 240_000);
        if (record.runtimeStatus !== 'Completed') throw new Error(`reverifyAll over ${tenants} tenants ended ${record.runtimeStatus}: ${record.output ?? ''}`);
        const summary = JSON.parse(record.output ?? '{}') as { tenants?: number };
        if (summary.tenants !== tenants) throw new Error(`reverifyAll verified ${String(summary.tenants)} tenants, expected ${tenants}`);
        return { tenants, replayMs: meter.totalMs(REVERIFY_ORCHESTRATIONS), episodes: meter.episodes(REVERIFY_ORCHESTRATIONS), realMs: Date.now() - started };
    } finally {
        await world.stop();
    }
}

/**
 * The second half of B2: reverifyAll's orchestrator CPU (reverifyAll and its reverifyTenant
 * sub-orchestrations) for 1000 tenants over that for 100, after a small warm-up run so that neither
 * pays for the first compilation of the code.
 */
export async function reverifyBench(small: number, large: number, warmUp: number): Promise<BenchmarkReport> {
    const scenario = await defaultScenario();
    const warm = await reverifyAllOnce(scenario, warmUp);
    const smallRun = await reverifyAllOnce(scenario, small);
    const largeRun = await reverifyAllOnce(scenario, large);
    const describe = (run: ReverifyRun): string =>
        `${run.tenants} tenants: ${run.replayMs.toFixed(1)} ms CPU in ${run.episodes} episodes (${(run.replayMs / run.tenants).toFixed(3)} ms per tenant), ${(run.realMs / 1000).toFixed(1)} s real`;
    return {
        figures: [
            figure('B2.reverifySmallMs', `reverifyAll orchestrator CPU, ${small} tenants`, smallRun.replayMs, 'ms'),
            figure('B2.reverifyLargeMs', `reverifyAll orchestrator CPU, ${large} tenants`, largeRun.replayMs, 'ms'),
            figure('B2.reverifyRatio', `reverifyAll CPU ${large} / ${small} tenants`, largeRun.replayMs / smallRun.replayMs, 'ratio', atMost(11)),
        ],
        notes: [
            'synchronous time inside the reverifyAll and reverifyTenant handlers, summed over every episode of the run (batches of 10, continue-as-new between batches)',
            `warm-up ${describe(warm)} (not counted)`,
            describe(smallRun),
            describe(largeRun),
        ],
    };
}
