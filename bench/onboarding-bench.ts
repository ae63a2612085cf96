import { VirtualClock } from '../local/clock';
import { clockLatency } from '../local/latency/stand-in-latency';
import type { Scenario } from '../local/scenario/schema';
import { callCounts, longestPath, onboardingDag, type BenchLatencies } from './model/latency-model';
import { median } from './model/percentile';
import { atMost, below, figure, type BenchmarkReport } from './model/results';
import { defaultScenario, startBenchWorld } from './support/bench-world';
import { onboardOverHttp } from './support/onboard-over-http';
import { CountingLatency } from './support/counting-latency';
import { ReplayMeter } from './support/replay-meter';

const ONBOARD_ORCHESTRATIONS = ['onboardTenant'];

interface OnboardingRun {
    readonly virtualMs: number;
    readonly replayMs: number;
    readonly episodes: number;
    readonly graphCalls: number;
    readonly agentCalls: number;
    readonly exchangeOperations: number;
}

function withKeyVaultCreation(scenario: Scenario, latency: BenchLatencies): Scenario {
    return { ...scenario, faults: { ...scenario.faults, keyVault: { ...scenario.faults.keyVault, creationDelaySeconds: latency.keyVaultCreationMs / 1000 } } };
}

/** One onboarding of the default scenario over HTTP, in a fresh world whose stand-ins wait the latencies on its virtual clock. */
async function onboardOnce(scenario: Scenario, latency: BenchLatencies): Promise<OnboardingRun> {
    const clock = new VirtualClock();
    const waits = new CountingLatency(
        clockLatency(clock, { graphCall: latency.graphCallMs, relayRoundTrip: latency.relayRoundTripMs, exchangeOperation: latency.exchangeOperationMs }),
    );
    const meter = new ReplayMeter();
    const world = await startBenchWorld(withKeyVaultCreation(scenario, latency), { clock, latency: waits, onOrchestratorReplay: meter.record });
    try {
        const { virtualMs } = await onboardOverHttp(world);
        return {
            virtualMs,
            replayMs: meter.totalMs(ONBOARD_ORCHESTRATIONS),
            episodes: meter.episodes(ONBOARD_ORCHESTRATIONS),
            graphCalls: waits.count('graphCall'),
            agentCalls: waits.count('relayRoundTrip'),
            exchangeOperations: waits.count('exchangeOperation'),
        };
    } finally {
        await world.stop();
    }
}

/**
 * B1 (critical path) and the first half of B2 (orchestrator replay time per onboarding), from the
 * same onboardings: each in a fresh world, the first one included (a cold worker replays too).
 */
export async function onboardingBench(latency: BenchLatencies, runs: number): Promise<BenchmarkReport[]> {
    const scenario = await defaultScenario();
    const results: OnboardingRun[] = [];
    for (let i = 0; i < runs; i++) results.push(await onboardOnce(scenario, latency));

    const dag = onboardingDag(latency);
    const bound = longestPath(dag);
    const expected = callCounts(dag);
    const virtualMs = median(results.map((run) => run.virtualMs));
    const replayMs = median(results.map((run) => run.replayMs));
    const first = results[0];
    const callsMatch = results.every((run) => run.graphCalls === expected.graphCalls && run.agentCalls === expected.agentCalls && run.exchangeOperations === expected.agentCalls);

    const b1: BenchmarkReport = {
        figures: [
            figure('B1.onboardingMs', 'onboarding time, virtual clock', virtualMs, 'ms'),
            figure('B1.lowerBoundMs', 'lower bound (longest path of the DAG)', bound.totalMs, 'ms'),
            figure('B1.ratio', 'critical path: onboarding / lower bound', virtualMs / bound.totalMs, 'ratio', atMost(1.05)),
        ],
        notes: [
            `latencies: Key Vault creation ${latency.keyVaultCreationMs} ms, Graph call ${latency.graphCallMs} ms, relay round trip ${latency.relayRoundTripMs} ms, Exchange operation ${latency.exchangeOperationMs} ms, settle ${latency.settleMs} ms`,
            `longest path: ${bound.steps.join(' → ')} = ${bound.totalMs} ms`,
            `virtual onboarding times of ${runs} runs: ${results.map((run) => run.virtualMs).join(', ')} ms (createdTime → lastUpdatedTime of the instance)`,
            `calls per run (graph / relay / Exchange): ${results.map((run) => `${run.graphCalls}/${run.agentCalls}/${run.exchangeOperations}`).join(', ')}; the DAG model expects ${expected.graphCalls}/${expected.agentCalls}/${expected.agentCalls}${callsMatch ? '' : ' — MISMATCH: the lower bound does not price what the run did'}`,
        ],
    };
    const b2: BenchmarkReport = {
        figures: [figure('B2.replayMsPerOnboarding', 'orchestrator CPU per onboarding (median)', replayMs, 'ms', below(25))],
        notes: [
            `synchronous time inside the onboardTenant handler (durable-functions replay + orchestrator code), summed over every episode of one onboarding`,
            `per run: ${results.map((run) => `${run.replayMs.toFixed(1)} ms / ${run.episodes} episodes`).join(', ')}${first === undefined ? '' : ` (the first run is in a cold process)`}`,
        ],
    };
    return [b1, b2];
}
