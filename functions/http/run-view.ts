import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import type { DurableClient, DurableOrchestrationStatus } from 'durable-functions';
import { errorResponse } from './responses';
import type { RequestedBy } from '../../lib/auth/caller';
import type { RunError, RunStatus, Step } from '../../lib/contracts/steps';

/** A run as the API shows it: stable field names, documented in the README. */
export interface RunView {
    readonly instanceId: string;
    readonly orchestration: string;
    readonly runtimeStatus: string;
    readonly createdTime: string;
    readonly lastUpdatedTime: string;
    readonly tenantDomain: string | null;
    readonly steps: readonly Step[];
    readonly error: RunError | null;
    readonly output: unknown;
    /** Who asked for the run, from its input; null for runs started before callers were recorded. */
    readonly requestedBy: RequestedBy | null;
}

const ACTIVE = new Set(['Pending', 'Running', 'ContinuedAsNew']);

export function isActive(status: DurableOrchestrationStatus): boolean {
    return ACTIVE.has(String(status.runtimeStatus));
}

function asRunStatus(value: unknown): RunStatus | undefined {
    return value !== null && typeof value === 'object' && Array.isArray((value as { steps?: unknown }).steps) ? (value as RunStatus) : undefined;
}

function requestedByIn(input: unknown): RequestedBy | null {
    const requestedBy = input !== null && typeof input === 'object' ? (input as { requestedBy?: unknown }).requestedBy : undefined;
    if (requestedBy === null || typeof requestedBy !== 'object') return null;
    const { id, name } = requestedBy as { id?: unknown; name?: unknown };
    return typeof id === 'string' && typeof name === 'string' ? { id, name } : null;
}

/** The run as the API shows it; `status` read with showInput, for requestedBy. */
export function toRunView(status: DurableOrchestrationStatus): RunView {
    const custom = asRunStatus(status.customStatus);
    const failed = String(status.runtimeStatus) === 'Failed';
    return {
        instanceId: status.instanceId,
        orchestration: status.name,
        runtimeStatus: String(status.runtimeStatus),
        createdTime: new Date(status.createdTime).toISOString(),
        lastUpdatedTime: new Date(status.lastUpdatedTime).toISOString(),
        tenantDomain: custom?.tenantDomain ?? null,
        steps: custom?.steps ?? [],
        error: custom?.error ?? (failed ? { step: 'run', code: 'failed', message: String(status.output) } : null),
        // A failed run's output is the error; the run view shows what the run had changed instead.
        output: failed ? (custom?.changes === undefined ? null : { outcome: 'failed', changes: custom.changes }) : (status.output ?? null),
        requestedBy: requestedByIn(status.input),
    };
}

/** The instance's status, or undefined when the task hub has never seen it. */
export async function findRun(client: DurableClient, instanceId: string, showInput = false): Promise<DurableOrchestrationStatus | undefined> {
    try {
        return await client.getStatus(instanceId, { showInput });
    } catch (error) {
        // DurableClient reports an unknown instance only through this message.
        if (error instanceof Error && error.message.includes('HTTP 404')) return undefined;
        throw error;
    }
}

export function runUrl(request: HttpRequest, instanceId: string): string {
    return new URL(`/api/runs/${encodeURIComponent(instanceId)}`, request.url).toString();
}

/** 409: the tenant already has a run in progress (one run per tenant at a time). */
export function runInProgress(request: HttpRequest, existing: DurableOrchestrationStatus, tenantDomain: string): HttpResponseInit {
    return errorResponse(409, 'run_in_progress', `${tenantDomain} already has a run in progress (${existing.name}, ${String(existing.runtimeStatus)}); wait for it to finish`, {
        statusUrl: runUrl(request, existing.instanceId),
    });
}
