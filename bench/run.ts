/**
 * `npm run bench` (issue 8): four benchmarks, each reported as ratios or counts measured within one
 * run so that they mean the same on a noisy machine. Prints a table with the targets, how each
 * figure was measured, and writes bench/results.json (shape: bench/model/results.ts).
 *   B1 critical path  onboarding on the virtual clock with realistic stand-in latencies / DAG lower bound
 *   B2 replay cost    orchestrator CPU per onboarding; reverifyAll CPU for 1000 tenants / for 100
 *   B3 cold start     importing the app / importing @azure/functions and durable-functions alone
 *   B4 agent          per-operation overhead through the relay (p50, p99); persistent shell vs a process per call
 *   B8 provider       the nightly re-verification over 1000 tenants in 50 customer directories
 */
// The local host must be loaded before anything imports @azure/functions (it supplies functions-core).
import '../local/host';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { reuseRsaKeys } from '../local/scenario/rsa-keys';
import { agentRelayBench } from './agent-relay-bench';
import { coldStartBench } from './cold-start-bench';
import { historyBench } from './history-bench';
import { keyWriterBench } from './key-writer-bench';
import { REALISTIC_LATENCIES } from './model/latency-model';
import { resultsShapeProblems, type BenchmarkReport, type BenchResults } from './model/results';
import { renderTable } from './model/table';
import { onboardingBench } from './onboarding-bench';
import { perServerBench } from './per-server-bench';
import { providerNightlyBench } from './provider-nightly-bench';
import { reverifyBench } from './reverify-bench';
import { shellStartBench } from './shell-start-bench';
import { repoRoot } from './support/repo-root';

/** How much each benchmark does: sized to keep `npm run bench` within a few minutes. */
const PLAN = {
    onboardings: 5,
    keyVaultCreationSeconds: [5, 20, 60],
    reverify: { small: 100, large: 1000, warmUp: 50 },
    coldStartRepetitions: 7,
    agent: { operations: 1000, warmUp: 50 },
    shell: { operations: 10, startDelayMs: 2_000 },
    concurrentOnboardings: 100,
    largeOrganization: { servers: 200, certificatesPerServer: 10, serverOperationMs: 30_000 },
    provider: { tenants: 1000, directories: 50 },
} as const;

interface Step {
    readonly benchmark: string;
    readonly run: () => Promise<readonly BenchmarkReport[]>;
}

const STEPS: readonly Step[] = [
    { benchmark: 'B1+B2 onboarding', run: () => onboardingBench(REALISTIC_LATENCIES, PLAN.onboardings, PLAN.keyVaultCreationSeconds) },
    { benchmark: 'B2 reverifyAll', run: async () => [await reverifyBench(PLAN.reverify.small, PLAN.reverify.large, PLAN.reverify.warmUp)] },
    { benchmark: 'B3 cold start', run: async () => [await coldStartBench(PLAN.coldStartRepetitions)] },
    { benchmark: 'B4 agent through the relay', run: async () => [await agentRelayBench(PLAN.agent.operations, PLAN.agent.warmUp)] },
    { benchmark: 'B4 persistent shell', run: async () => [await shellStartBench(PLAN.shell.operations, PLAN.shell.startDelayMs)] },
    { benchmark: 'B5 history size', run: async () => [await historyBench(PLAN.largeOrganization.servers, PLAN.largeOrganization.certificatesPerServer)] },
    { benchmark: 'B6 one key target', run: async () => [await keyWriterBench(REALISTIC_LATENCIES, PLAN.concurrentOnboardings)] },
    { benchmark: 'B7 per-server work', run: async () => [await perServerBench(REALISTIC_LATENCIES, PLAN.largeOrganization.servers, PLAN.largeOrganization.serverOperationMs)] },
    { benchmark: 'B8 provider nightly run', run: async () => [await providerNightlyBench(PLAN.provider.tenants, PLAN.provider.directories)] },
];

/** `BENCH_ONLY=B6,B1` runs only the steps whose name starts with one of these (the whole bench takes minutes). */
function selectedSteps(): readonly Step[] {
    const only = process.env.BENCH_ONLY?.split(',').map((prefix) => prefix.trim()).filter((prefix) => prefix.length > 0);
    return only === undefined || only.length === 0 ? STEPS : STEPS.filter((step) => only.some((prefix) => step.benchmark.startsWith(prefix)));
}

async function main(): Promise<number> {
    const startedAt = new Date();
    reuseRsaKeys(16);
    const reports: BenchmarkReport[] = [];
    const errors: { benchmark: string; message: string }[] = [];
    const notes: Record<string, string[]> = {};
    for (const step of selectedSteps()) {
        process.stderr.write(`running ${step.benchmark}...\n`);
        try {
            const stepReports = await step.run();
            reports.push(...stepReports);
            notes[step.benchmark] = stepReports.flatMap((report) => [...report.notes]);
        } catch (error) {
            errors.push({ benchmark: step.benchmark, message: error instanceof Error ? error.message : String(error) });
        }
    }
    const figures = reports.flatMap((report) => report.figures).sort((a, b) => a.benchmark.localeCompare(b.benchmark));
    const results: BenchResults = {
        schemaVersion: 1,
        startedAt: startedAt.toISOString(),
        durationMs: Date.now() - startedAt.getTime(),
        machine: { node: process.version, platform: `${process.platform}-${process.arch}`, cpus: cpus().length, loadAverage: loadavg() },
        figures,
        notes,
        errors,
    };
    const problems = resultsShapeProblems(results);
    if (problems.length > 0) throw new Error(`the results do not have the expected shape: ${problems.join('; ')}`);

    console.log(renderTable(figures));
    console.log('');
    for (const [benchmark, lines] of Object.entries(notes)) {
        console.log(`${benchmark}:`);
        for (const line of lines) console.log(`  ${line}`);
    }
    for (const error of errors) console.log(`FAILED ${error.benchmark}: ${error.message}`);
    const resultsFile = join(repoRoot(), 'bench', 'results.json');
    await mkdir(join(repoRoot(), 'bench'), { recursive: true });
    await writeFile(resultsFile, `${JSON.stringify(results, null, 2)}\n`);
    console.log(`\n${figures.filter((f) => f.met === false).length} of ${figures.filter((f) => f.target !== null).length} targets missed; ${(results.durationMs / 1000).toFixed(0)} s; load average ${results.machine.loadAverage.map((l) => l.toFixed(1)).join(' ')} on ${results.machine.cpus} CPUs; written to ${resultsFile}`);
    return errors.length > 0 ? 1 : 0;
}

main().then(
    (code) => process.exit(code),
    (error: unknown) => {
        console.error(error);
        process.exit(1);
    },
);
