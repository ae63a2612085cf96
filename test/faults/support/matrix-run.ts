import type { RunView } from '../../e2e/support/api';
import { keyedRandom } from '../../../local/host/util/keyed-random';
import { describePlan, planFaults, type FaultPlan } from './fault-plan';
import { DEFAULT_RATES, type FaultRates } from './fault-rates';
import { faultScenario, type FaultScenarioName } from './fault-world';
import { onboardWithPlan, rotateWithPlan, type PlannedRun } from './planned-runs';

/** How one seeded run went: everything needed to judge it and to replay it. */
export interface MatrixRun {
    readonly seed: number;
    readonly scenario: FaultScenarioName;
    readonly plan: FaultPlan;
    readonly runtimeStatus: string;
    readonly error: RunView['error'];
    /** Wrong final state, lost or damaged credentials, leaked secrets: empty when the run was right. */
    readonly violations: readonly string[];
    /** What actually went wrong during the run, for the report. */
    readonly fired: FiredFaults;
}

export interface FiredFaults {
    readonly graph: number;
    readonly keyVault: number;
    readonly relay: number;
    readonly shell: number;
    readonly agentRestarts: number;
    readonly duplicateDeliveries: number;
}

/** What fired over several runs, by dependency. */
export function firedTotals(runs: readonly MatrixRun[]): FiredFaults {
    const sum = (pick: (fired: FiredFaults) => number) => runs.reduce((total, run) => total + pick(run.fired), 0);
    return {
        graph: sum((f) => f.graph),
        keyVault: sum((f) => f.keyVault),
        relay: sum((f) => f.relay),
        shell: sum((f) => f.shell),
        agentRestarts: sum((f) => f.agentRestarts),
        duplicateDeliveries: sum((f) => f.duplicateDeliveries),
    };
}

const DUPLICATE_DELIVERY = 'At-least-once delivery: executing the activity a second time.';

function firedIn(planned: PlannedRun): FiredFaults {
    const failed = (status: number) => status === 0 || status === 429 || status >= 500;
    const { stack, shell, recorder } = planned.world;
    return {
        graph: stack.cloud.graph.requests.slice(planned.requestsBefore.graph).filter((r) => failed(r.status)).length,
        keyVault: stack.cloud.keyVault.requests.slice(planned.requestsBefore.keyVault).filter((r) => failed(r.status)).length,
        relay: planned.relayFailures,
        shell: shell.fired.length,
        agentRestarts: stack.agent.restarts,
        duplicateDeliveries: recorder.recordings.logs.records.filter((r) => r.message === DUPLICATE_DELIVERY).length,
    };
}

function scenarioFor(seed: number, choices: readonly FaultScenarioName[]): FaultScenarioName {
    return choices[Math.floor(keyedRandom(seed, 'scenario') * choices.length)] ?? 'default';
}

async function judged(seed: number, scenario: FaultScenarioName, plan: FaultPlan, planned: PlannedRun): Promise<MatrixRun> {
    try {
        return { seed, scenario, plan, runtimeStatus: planned.run.runtimeStatus, error: planned.run.error, violations: planned.violations, fired: firedIn(planned) };
    } finally {
        await planned.world.stack.stop();
    }
}

/**
 * Onboards a tenant of one of the matrix's worlds (picked by the seed) under the seed's fault plan.
 * `mustSucceed` false: retries may legitimately run out, and a Failed run is judged by its error and the safety rules.
 */
export async function onboardUnderFaults(seed: number, rates: FaultRates, mustSucceed = true): Promise<MatrixRun> {
    const scenario = scenarioFor(seed, ['default', 'reuse', 'application']);
    const plan = planFaults(seed, rates);
    return judged(seed, scenario, plan, await onboardWithPlan(await faultScenario(scenario), plan, mustSucceed));
}

/** Rotates the certificate of a tenant (world picked by the seed, half of them configured by hand) under the seed's fault plan. */
export async function rotateUnderFaults(seed: number, rates: FaultRates): Promise<MatrixRun> {
    const scenario = scenarioFor(seed, ['configuredByHand', 'configuredByHand', 'default', 'application']);
    const plan = planFaults(seed, rates);
    return judged(seed, scenario, plan, await rotateWithPlan(await faultScenario(scenario), scenario === 'configuredByHand', plan, true));
}

/** FAULT_SEED, and FAULT_RATES when they were not the defaults. */
function replayEnvironment(run: MatrixRun): string {
    const changed = Object.entries(run.plan.rates).filter(([name, rate]) => DEFAULT_RATES[name as keyof FaultRates] !== rate);
    return [`FAULT_SEED=${run.seed}`, ...(changed.length === 0 ? [] : [`FAULT_RATES=${changed.map(([name, rate]) => `${name}=${rate}`).join(',')}`])].join(' ');
}

/** Nothing for a right run; for a wrong one, what was wrong, its fault plan and how to replay it (the failure message). */
export function replayReports(run: MatrixRun, testFile: string): string[] {
    if (run.violations.length === 0) return [];
    return [
        [
        `seed ${run.seed} (${run.scenario} world) ended ${run.runtimeStatus}${run.error === null ? '' : ` at ${run.error.step}: ${run.error.code} ${run.error.message}`}`,
        ...run.violations.map((v) => `  - ${v}`),
        'fault plan:',
        describePlan(run.plan),
        `fired: ${JSON.stringify(run.fired)}`,
        `replay: ${replayEnvironment(run)} npx vitest run ${testFile}`,
        ].join('\n'),
    ];
}
