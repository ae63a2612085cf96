import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { median } from './model/percentile';
import { atMost, figure, type BenchmarkReport } from './model/results';
import { HEAVY_PACKAGES } from './support/heavy-packages';

const run = promisify(execFile);

interface ImportTiming {
    readonly ms: number;
    readonly loaded: readonly string[];
}

async function importInFreshProcess(target: 'sdk' | 'app'): Promise<ImportTiming> {
    const { stdout } = await run(process.execPath, [join(__dirname, 'cold-start-child.js'), target], { env: process.env });
    const parsed = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as { ms?: unknown; loaded?: unknown };
    if (typeof parsed.ms !== 'number' || !Array.isArray(parsed.loaded)) throw new Error(`the cold start probe printed ${stdout}`);
    return { ms: parsed.ms, loaded: parsed.loaded.map(String) };
}

/**
 * B3: importing dist/functions/index.js over importing @azure/functions and durable-functions alone,
 * each in a fresh Node process (alternating, so that load on the machine hits both alike), medians.
 */
export async function coldStartBench(repetitions: number): Promise<BenchmarkReport> {
    const sdk: ImportTiming[] = [];
    const app: ImportTiming[] = [];
    for (let i = 0; i < repetitions; i++) {
        sdk.push(await importInFreshProcess('sdk'));
        app.push(await importInFreshProcess('app'));
    }
    const sdkMs = median(sdk.map((timing) => timing.ms));
    const appMs = median(app.map((timing) => timing.ms));
    const heavy = app[0]?.loaded ?? [];
    return {
        figures: [
            figure('B3.appImportMs', 'import the app entry point (median)', appMs, 'ms'),
            figure('B3.sdkImportMs', 'import @azure/functions + durable-functions (median)', sdkMs, 'ms'),
            figure('B3.ratio', 'cold start: app / SDKs alone', appMs / sdkMs, 'ratio', atMost(1.5)),
        ],
        notes: [
            `${repetitions} fresh processes each, alternating; the import alone is timed inside the process (Node's own start-up excluded)`,
            `app: ${app.map((timing) => timing.ms.toFixed(0)).join(', ')} ms; SDKs: ${sdk.map((timing) => timing.ms.toFixed(0)).join(', ')} ms`,
            `of ${HEAVY_PACKAGES.join(', ')}, the app's import loads: ${heavy.length === 0 ? 'none' : heavy.join(', ')}`,
        ],
    };
}
