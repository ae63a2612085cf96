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
    readonly serializeMs: number;
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
            serializeMs: meter.serializeMs(ONBOARD_ORCHESTRATIONS),
            episodes: meter.episodes(ONBOARD_ORCHESTRATIONS),
            graphCalls: waits.count('graphCall'),
            agentCalls: waits.count('relayRoundTrip'),
            exchangeOperations: waits.count('exchangeOperation'),
        };
    } finally {
        await world.stop();
    }
}

/** B1 at one Key Vault creation time: the median onboarding over the lower bound of the declared dependencies. */
function criticalPath(latency: BenchLatencies, results: readonly OnboardingRun[]): BenchmarkReport {
    const dag = onboardingDag(latency);
    const bound = longestPath(dag);
    const expected = callCounts(dag);
    const virtualMs = median(results.map((run) => run.virtualMs));
    const callsMatch = results.every((run) => run.graphCalls === expected.graphCalls && run.agentCalls === expected.agentCalls && run.exchangeOperations === expected.exchangeOperations);
    const seconds = latency.keyVaultCreationMs / 1000;
    return {
        figures: [
            figure(`B1.onboardingMsKeyVault${seconds}s`, `onboarding time, virtual clock, Key Vault creation ${seconds} s`, virtualMs, 'ms'),
            figure(`B1.lowerBoundMsKeyVault${seconds}s`, `lower bound (declared dependencies), Key Vault creation ${seconds} s`, bound.totalMs, 'ms'),
            figure(`B1.ratioKeyVault${seconds}s`, `critical path: onboarding / lower bound, Key Vault creation ${seconds} s`, virtualMs / bound.totalMs, 'ratio', atMost(1.01)),
        ],
        notes: [
            `Key Vault creation ${latency.keyVaultCreationMs} ms, Graph call ${latency.graphCallMs} ms, relay round trip ${latency.relayRoundTripMs} ms, Exchange operation ${latency.exchangeOperationMs} ms, settle ${latency.settleMs} ms`,
            `longest path of lib/contracts/onboarding-dependencies.ts: ${bound.steps.join(' → ')} = ${bound.totalMs} ms`,
            `virtual onboarding times of ${results.length} runs: ${results.map((run) => run.virtualMs).join(', ')} ms (createdTime → lastUpdatedTime of the instance)`,
            `calls per run (graph / relay / Exchange): ${results.map((run) => `${run.graphCalls}/${run.agentCalls}/${run.exchangeOperations}`).join(', ')}; the dependencies expect ${expected.graphCalls}/${expected.agentCalls}/${expected.exchangeOperations}${callsMatch ? '' : ' — MISMATCH: the lower bound does not price what the run did'}`,
        ],
    };
}

/**
 * B1 (critical path) at each Key Vault creation time, and the first half of B2 (orchestrator replay
 * time per onboarding, the host's serialization of each episode's history included) from the runs at
 * the first: each in a fresh world, the first one included (a cold worker replays too).
 */
export async function onboardingBench(latency: BenchLatencies, runs: number, keyVaultCreationSeconds: readonly number[]): Promise<BenchmarkReport[]> {
    const scenario = await defaultScenario();
    const reports: BenchmarkReport[] = [];
    let first: OnboardingRun[] | undefined;
    for (const seconds of keyVaultCreationSeconds) {
        const priced = { ...latency, keyVaultCreationMs: seconds * 1000 };
        const results: OnboardingRun[] = [];
        for (let i = 0; i < runs; i++) results.push(await onboardOnce(scenario, priced));
        first ??= results;
        reports.push(criticalPath(priced, results));
    }
    const results = first ?? [];
    const replayMs = median(results.map((run) => run.replayMs));
    reports.push({
        figures: [figure('B2.replayMsPerOnboarding', 'orchestrator CPU per onboarding (median), history serialization included', replayMs, 'ms', below(25))],
        notes: [
            `synchronous time inside the onboardTenant handler (durable-functions replay + orchestrator code) plus the host's JSON serialization of the history it hands over, summed over every episode of one onboarding`,
            `per run: ${results.map((run) => `${run.replayMs.toFixed(1)} ms (serialization ${run.serializeMs.toFixed(1)} ms) / ${run.episodes} episodes`).join(', ')} (the first run is in a cold process)`,
        ],
    });
    return reports;
}
