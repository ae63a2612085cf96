import { EXIT, type CliIo } from './cli-io';
import { LiveStepView } from './live-step-view';
import { watchRun } from './watch-run';
import type { PpoApiClient } from './ppo-api';
import type { FullRunView, RunStarted } from './ppo-api-schemas';
import type { RunVerdict } from './run-verdict';

export interface PpoContext {
    readonly io: CliIo;
    readonly api: PpoApiClient;
    readonly json: boolean;
    /** Between two reads of a running run. */
    readonly pollIntervalMs: number;
    /** Aborted on Ctrl-C: ppo stops following; the run goes on. */
    readonly signal?: AbortSignal;
}

/** Where progress goes: stderr under --json, so that stdout holds only the JSON. */
export function progressStream(context: PpoContext): CliIo['stdout'] {
    return context.json ? context.io.stderr : context.io.stdout;
}

export function printJson(context: PpoContext, value: unknown): void {
    context.io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/**
 * After a run started: without waiting, prints it and exits 0; otherwise shows its step table live
 * until it ends, then the verdict, and exits 0 only when the verdict is ok.
 */
export async function followStartedRun(context: PpoContext, started: RunStarted, wait: boolean, verdictOf: (run: FullRunView) => RunVerdict): Promise<number> {
    const progress = progressStream(context);
    progress.write(`Run ${started.instanceId} started; its status: ppo status ${started.instanceId}\n`);
    if (!wait) {
        if (context.json) printJson(context, started);
        return EXIT.ok;
    }
    progress.write('\n');
    const view = new LiveStepView(progress, { redraw: true, now: () => Date.now() });
    let run: FullRunView;
    try {
        run = await watchRun({
            fetchRun: () => context.api.getRun(started.instanceId),
            onUpdate: (latest) => view.update(latest),
            intervalMs: context.pollIntervalMs,
            ...(context.signal === undefined ? {} : { signal: context.signal }),
        });
    } catch (error) {
        if (context.signal?.aborted !== true) throw error;
        context.io.stderr.write(`\nppo: stopped following; the run goes on: ppo status ${started.instanceId}\n`);
        return EXIT.interrupted;
    }
    const verdict = verdictOf(run);
    progress.write(`\n${verdict.lines.join('\n')}\n`);
    if (context.json) printJson(context, run);
    return verdict.ok ? EXIT.ok : EXIT.failed;
}
