import type { OrchestrationContext, Task } from 'durable-functions';

export type Settled = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: string };

/**
 * Waits for every task and reports each one's result or failure. Task.all stops at the first
 * failure; the tasks are already scheduled then, so yielding each again waits for it alone.
 */
export function* settleAll(context: OrchestrationContext, tasks: readonly Task[]): Generator<Task, Settled[], unknown> {
    if (tasks.length === 0) return [];
    try {
        yield context.df.Task.all([...tasks]);
    } catch {
        // Read below, task by task.
    }
    const settled: Settled[] = [];
    for (const task of tasks) {
        try {
            settled.push({ ok: true, value: yield task });
        } catch (error) {
            settled.push({ ok: false, error: error instanceof Error ? error.message : String(error) });
        }
    }
    return settled;
}
