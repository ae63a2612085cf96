import type { LogSink } from '../../../lib/logger';
import type { LocalStack } from '../../../local/stack/local-stack';
import { onboard } from '../../e2e/support/api';
import { DEFAULT_SCENARIO, startWorld } from '../../e2e/support/world';

/** The default world with its tenant onboarded: a request let through by mistake would visibly start a run. */
export async function startOnboardedWorld(logSink: LogSink, appSettings: Readonly<Record<string, string>> = {}): Promise<LocalStack> {
    const stack = await startWorld(DEFAULT_SCENARIO, { logSink, appSettings });
    const run = await onboard(stack);
    if (run.runtimeStatus !== 'Completed') {
        await stack.stop();
        throw new Error(`the world's onboarding ended ${run.runtimeStatus}: ${JSON.stringify(run.error)}`);
    }
    return stack;
}
