import type { OrchestrationContext, Task } from 'durable-functions';
import { ATTENTION_LIMIT, type ReverifyAllInput, type ReverifyAllSummary, type ReverifyResult, type ReverifyTenantInput } from '../lib/contracts/reverify';
import { callActivity } from './activity-calls';
import { unwrap } from './run-failure';
import { settleAll } from './steps/settle-all';

/**
 * Re-verifies every tenant in the registry, one batch at a time: at most `batchSize` reverifyTenant
 * sub-orchestrations run at once, and each batch continues as new so that the history, and the
 * replay cost, stay one batch long whatever the number of tenants.
 */
export function* reverifyAll(context: OrchestrationContext): Generator<Task, ReverifyAllSummary | null, unknown> {
    const input = context.df.getInput<ReverifyAllInput>();
    const page = unwrap(yield* callActivity(context, 'registryListTenants', { after: input.after, limit: input.batchSize }), 'registry');
    const children = page.tenants.map((target, index) => {
        const child: ReverifyTenantInput = {
            runId: `${input.runId}:${input.batch}:${index}`,
            record: target.record,
            authMetadataUrl: target.authMetadataUrl,
            pushNotificationUri: target.pushNotificationUri,
            mode: target.record.reverifyMode,
            settings: input.settings,
        };
        return context.df.callSubOrchestrator('reverifyTenant', child, target.instanceId);
    });
    const settled = yield* settleAll(context, children);

    const summary = settled.reduce<ReverifyAllSummary>((sum, result, index) => {
        const tenantDomain = page.tenants[index]?.record.tenantDomain ?? '?';
        const busy = !result.ok && /already exists/i.test(result.error);
        const outcome = result.ok ? (result.value as ReverifyResult).outcome : busy ? 'skipped' : 'failed';
        const detail = result.ok ? (result.value as ReverifyResult).checks.filter((c) => c.state !== 'ok').map((c) => `${c.id} ${c.state}`).join(', ') : result.error;
        const attention = outcome === 'drifted' || outcome === 'failed';
        return {
            tenants: sum.tenants + 1,
            outcomes: { ...sum.outcomes, [outcome]: sum.outcomes[outcome] + 1 },
            needsAttention: attention && sum.needsAttention.length < ATTENTION_LIMIT ? [...sum.needsAttention, { tenantDomain, outcome, detail }] : sum.needsAttention,
        };
    }, input.summary);

    context.df.setCustomStatus({ kind: 'reverifyAll', batch: input.batch, summary });
    if (page.next !== null) {
        context.df.continueAsNew({ ...input, after: page.next, batch: input.batch + 1, summary } satisfies ReverifyAllInput);
        return null;
    }
    return summary;
}
