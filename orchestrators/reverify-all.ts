import type { OrchestrationContext, Task } from 'durable-functions';
import {
    ATTENTION_DETAIL_LIMIT,
    ATTENTION_LIMIT,
    STATUS_ATTENTION_LIMIT,
    type ReverifyAllInput,
    type ReverifyAllStatus,
    type ReverifyAllSummary,
    type ReverifyResult,
    type ReverifyTarget,
    type ReverifyTenantInput,
} from '../lib/contracts/reverify';
import { callActivity } from './activity-calls';
import { unwrap } from './run-failure';
import { settleAll, type Settled } from './steps/settle-all';

/** A failure's first line, at most `limit` characters: the full text stays in the child's own run and the registry. */
export function attentionDetail(text: string, limit = ATTENTION_DETAIL_LIMIT): string {
    // A failed sub-orchestration's message carries the failure details after a line break ("Message: …, StackTrace: …").
    const first = text.split('\n')[0]?.trim() ?? '';
    return first.length <= limit ? first : `${first.slice(0, limit - 1)}…`;
}

type TenantOutcome = { readonly kind: 'busy' } | { readonly kind: 'settled'; readonly settled: Settled };

/**
 * Re-verifies every tenant in the registry, one batch at a time: at most `batchSize` reverifyTenant
 * sub-orchestrations run at once, and each batch continues as new so that the history, and the
 * replay cost, stay one batch long whatever the number of tenants.
 *
 * A tenant whose run (onboarding or re-verification, same instance id) is in progress is skipped:
 * that is learned before anything is scheduled for it, because on Azure a sub-orchestration start
 * for a running instance is dropped and the parent would wait for it forever.
 */
export function* reverifyAll(context: OrchestrationContext): Generator<Task, ReverifyAllSummary | null, unknown> {
    const input = context.df.getInput<ReverifyAllInput>();
    const page = unwrap(yield* callActivity(context, 'registryListTenants', { after: input.after, limit: input.batchSize }), 'registry');
    const busy = new Set(
        page.tenants.length === 0 ? [] : unwrap(yield* callActivity(context, 'durableRunsInProgress', { instanceIds: page.tenants.map((t) => t.instanceId) }), 'registry').inProgress,
    );
    const idle = page.tenants.filter((target) => !busy.has(target.instanceId));
    const children = idle.map((target, index) => {
        const child: ReverifyTenantInput = {
            runId: `${input.runId}:${input.batch}:${index}`,
            record: target.record,
            authMetadataUrl: target.authMetadataUrl,
            pushNotificationUri: target.pushNotificationUri,
            mode: target.record.reverifyMode,
            settings: input.settings,
            requestedBy: input.requestedBy,
        };
        return context.df.callSubOrchestrator('reverifyTenant', child, target.instanceId);
    });
    const settled = yield* settleAll(context, children);
    const byInstance = new Map(idle.map((target, index) => [target.instanceId, settled[index] as Settled]));
    const outcomes = page.tenants.map((target): [ReverifyTarget, TenantOutcome] => {
        const result = byInstance.get(target.instanceId);
        return [target, result === undefined ? { kind: 'busy' } : { kind: 'settled', settled: result }];
    });

    const summary = outcomes.reduce<ReverifyAllSummary>((sum, [target, tenant]) => {
        const tenantDomain = target.record.tenantDomain;
        const result = tenant.kind === 'settled' ? tenant.settled : undefined;
        const outcome = result === undefined ? 'skipped' : result.ok ? (result.value as ReverifyResult).outcome : 'failed';
        const detail =
            result === undefined
                ? 'skipped: a run of this tenant was in progress'
                : result.ok
                  ? (result.value as ReverifyResult).checks
                        .filter((c) => c.state !== 'ok')
                        .map((c) => `${c.id} ${c.state}`)
                        .join(', ')
                  : attentionDetail(result.error);
        const attention = outcome === 'drifted' || outcome === 'failed';
        return {
            tenants: sum.tenants + 1,
            outcomes: { ...sum.outcomes, [outcome]: sum.outcomes[outcome] + 1 },
            needsAttention: attention && sum.needsAttention.length < ATTENTION_LIMIT ? [...sum.needsAttention, { tenantDomain, outcome, detail }] : sum.needsAttention,
            needsAttentionTotal: sum.needsAttentionTotal + (attention ? 1 : 0),
        };
    }, input.summary);

    const status: ReverifyAllStatus = {
        kind: 'reverifyAll',
        batch: input.batch,
        summary: { ...summary, needsAttention: summary.needsAttention.slice(0, STATUS_ATTENTION_LIMIT) },
    };
    context.df.setCustomStatus(status);
    if (page.next !== null) {
        context.df.continueAsNew({ ...input, after: page.next, batch: input.batch + 1, summary } satisfies ReverifyAllInput);
        return null;
    }
    return summary;
}
