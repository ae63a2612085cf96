import { randomUUID } from 'node:crypto';
import type { InvocationContext, Timer } from '@azure/functions';
import type * as df from 'durable-functions';
import { appServices } from '../../lib/app-services';
import { SCHEDULE_REQUESTER } from '../../lib/auth/caller';
import { emptySummary, type ReverifyAllInput } from '../../lib/contracts/reverify';
import { findRun, isActive } from '../http/run-view';
import { reverifySettings } from '../reverify-settings';

export const REVERIFY_ALL_INSTANCE_ID = 'reverify-all';

/** On the schedule in PPO_REVERIFY_SCHEDULE (default daily 06:00 UTC): starts reverifyAll unless one is running. */
export async function startReverifyAll(_timer: Timer, client: df.DurableClient, context: InvocationContext): Promise<void> {
    const existing = await findRun(client, REVERIFY_ALL_INSTANCE_ID);
    if (existing && isActive(existing)) {
        context.warn(`reverifyAll is still ${String(existing.runtimeStatus)} from an earlier schedule; not starting another`);
        return;
    }
    const { settings } = appServices();
    const input: ReverifyAllInput = {
        runId: randomUUID(),
        batchSize: settings.PPO_REVERIFY_BATCH_SIZE,
        settings: reverifySettings(settings),
        after: null,
        batch: 0,
        summary: emptySummary(),
        requestedBy: SCHEDULE_REQUESTER,
    };
    await client.startNew('reverifyAll', { instanceId: REVERIFY_ALL_INSTANCE_ID, input });
    context.log(`started reverifyAll (${input.runId}) in batches of ${input.batchSize}`);
}
