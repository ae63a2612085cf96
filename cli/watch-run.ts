import { setTimeout as delay } from 'node:timers/promises';
import { isRunning } from './api-client';
import type { RunView } from './run-api-schemas';

export interface WatchRunOptions {
    readonly fetchRun: () => Promise<RunView>;
    /** Called with every view read, the last one included. */
    readonly onUpdate: (run: RunView) => void;
    readonly intervalMs: number;
    readonly signal?: AbortSignal;
}

/** Polls a run until it is no longer pending or running; resolves with its final view. */
export async function watchRun(options: WatchRunOptions): Promise<RunView> {
    for (;;) {
        options.signal?.throwIfAborted();
        const run = await options.fetchRun();
        options.onUpdate(run);
        if (!isRunning(run)) return run;
        await delay(options.intervalMs, undefined, options.signal === undefined ? {} : { signal: options.signal });
    }
}
