import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import type { DurableClient, DurableOrchestrationStatus } from 'durable-functions';
import type { HeldClaim, RunClaim, TenantRegistry } from '../../lib/registry/tenant-registry';
import { errorResponse, json } from './responses';
import { findRun, isActive, runInProgress, runUrl } from './run-view';

/**
 * How long a claim may wait for its run to appear before another start may take it over: the time
 * between claiming and `startNew` is one request's; a claim older than this whose run never
 * started belongs to a request that died in between.
 */
export const CLAIM_START_GRACE_MS = 60_000;

export interface TenantRunStart {
    readonly tenantDomain: string;
    readonly instanceId: string;
    readonly orchestration: RunClaim['orchestration'];
    readonly input: { readonly runId: string };
}

function runIdOf(status: DurableOrchestrationStatus | undefined): string | undefined {
    const input = status?.input;
    return input !== null && typeof input === 'object' && typeof (input as { runId?: unknown }).runId === 'string' ? (input as { runId: string }).runId : undefined;
}

/**
 * A claim is stale once its run has started and ended (the instance's input carries the claim's
 * runId and is no longer active), or when its run never appeared within CLAIM_START_GRACE_MS.
 */
export function isStaleClaim(holder: HeldClaim, instance: DurableOrchestrationStatus | undefined, nowMs: number): boolean {
    if (instance && isActive(instance)) return false;
    if (runIdOf(instance) === holder.runId) return true;
    return nowMs - Date.parse(holder.claimedAt) > CLAIM_START_GRACE_MS;
}

function startInFlight(tenantDomain: string, holder: HeldClaim): HttpResponseInit {
    return errorResponse(409, 'run_in_progress', `${tenantDomain} already has a run starting (${holder.orchestration}); wait for it to finish`);
}

/**
 * Starts a tenant's run so that of any number of concurrent starts for the tenant (onboard or
 * verify) exactly one answers 202 and every other 409. `startNew` alone cannot promise it: checking
 * the status and then starting races on Azure too ("Singleton orchestrators",
 * learn.microsoft.com/azure/azure-functions/durable/durable-functions-singletons: both callers can
 * report success), and what a start on a running instance does depends on the host's
 * overridableExistingInstanceStates. The atomic step is a conditional insert in the registry table
 * (TenantRegistry.claimRun); a claim is released by its run ending, judged from the instance status.
 */
export async function startTenantRun(request: HttpRequest, client: DurableClient, context: InvocationContext, registry: TenantRegistry, run: TenantRunStart): Promise<HttpResponseInit> {
    const { tenantDomain, instanceId, orchestration, input } = run;
    const claim: RunClaim = { runId: input.runId, orchestration, claimedAt: new Date().toISOString() };
    const claimed = await registry.claimRun(tenantDomain, claim);
    if (!claimed.claimed) {
        const instance = await findRun(client, instanceId, true);
        if (instance && isActive(instance)) return runInProgress(request, instance, tenantDomain);
        if (!isStaleClaim(claimed.holder, instance, Date.now())) return startInFlight(tenantDomain, claimed.holder);
        if (!(await registry.takeOverClaim(tenantDomain, claimed.holder, claim))) return startInFlight(tenantDomain, claimed.holder);
    }
    // The slot is ours; a run the API did not start (reverifyAll's sub-orchestration) may still hold the instance.
    const existing = await findRun(client, instanceId);
    if (existing && isActive(existing)) {
        await registry.releaseClaim(tenantDomain, input.runId);
        return runInProgress(request, existing, tenantDomain);
    }
    try {
        await client.startNew(orchestration, { instanceId, input });
    } catch (error) {
        await registry.releaseClaim(tenantDomain, input.runId);
        const now = await findRun(client, instanceId);
        if (now && isActive(now)) return runInProgress(request, now, tenantDomain);
        context.error(`could not start ${orchestration} for ${tenantDomain}`, { instanceId, runId: input.runId, error: error instanceof Error ? error.message : String(error) });
        return errorResponse(503, 'start_failed', `the run for ${tenantDomain} could not be started; nothing was changed, try again`);
    }
    context.log(`started ${orchestration} for ${tenantDomain}`, { instanceId, runId: input.runId });
    const statusUrl = runUrl(request, instanceId);
    return json(202, { instanceId, runId: input.runId, tenantDomain, statusUrl }, { location: statusUrl });
}
