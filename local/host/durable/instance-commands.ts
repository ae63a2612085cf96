import type { Clock } from '../../clock';
import type { DurableEngine } from './durable-engine';
import { EventType, isoTime, type RuntimeStatus } from './history-events';
import { newExecutionId, newInstanceRecord } from './new-instance';
import { isTerminal, type DurableStore, type InstanceRecord } from './store';

export type CommandResult<T = undefined> =
    | { readonly ok: true; readonly status: 200 | 202; readonly value: T }
    | { readonly ok: false; readonly status: 400 | 404 | 410 | 500; readonly message: string; readonly exceptionType?: string };

export interface InstanceQuery {
    readonly createdTimeFrom?: number;
    readonly createdTimeTo?: number;
    readonly runtimeStatus?: ReadonlySet<RuntimeStatus>;
    readonly instanceIdPrefix?: string;
}

export interface InstancePage {
    readonly instances: readonly InstanceRecord[];
    readonly continuationToken: string | undefined;
}

const MAX_INSTANCE_ID_LENGTH = 256;

function invalidInstanceId(instanceId: string): string | undefined {
    if (instanceId.startsWith('@')) return 'Orchestration instance ids must not start with @.';
    // eslint-disable-next-line no-control-regex
    if (/[/\\?#\u0000-\u001f\u007f]/.test(instanceId)) return 'Orchestration instance ids must not contain /, \\, #, ?, or control characters.';
    if (instanceId.length > MAX_INSTANCE_ID_LENGTH) return `Instance ID lengths must not exceed ${MAX_INSTANCE_ID_LENGTH} characters.`;
    return undefined;
}

function matchesQuery(record: InstanceRecord, query: InstanceQuery): boolean {
    if (query.createdTimeFrom !== undefined && record.createdTime < query.createdTimeFrom) return false;
    if (query.createdTimeTo !== undefined && record.createdTime > query.createdTimeTo) return false;
    if (query.runtimeStatus && query.runtimeStatus.size > 0 && !query.runtimeStatus.has(record.runtimeStatus)) return false;
    if (query.instanceIdPrefix !== undefined && !record.instanceId.startsWith(query.instanceIdPrefix)) return false;
    return true;
}

function encodeToken(lastInstanceId: string): string {
    return Buffer.from(JSON.stringify({ after: lastInstanceId }), 'utf8').toString('base64url');
}

function decodeToken(token: string | undefined): string | undefined {
    if (!token) return undefined;
    try {
        const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { after?: unknown };
        return typeof parsed.after === 'string' ? parsed.after : undefined;
    } catch {
        return undefined;
    }
}

/** The instance management operations behind the Durable Functions HTTP API. */
export class InstanceCommands {
    constructor(
        private readonly engine: DurableEngine,
        private readonly store: DurableStore,
        private readonly clock: Clock,
    ) {}

    start(name: string, requestedId: string | undefined, input: string | null): CommandResult<string> {
        if (!this.engine.find(name, 'orchestration')) {
            return { ok: false, status: 400, message: `The function '${name}' doesn't exist, is disabled, or is not an orchestrator function.` };
        }
        const instanceId = requestedId && requestedId.length > 0 ? requestedId : newExecutionId();
        const invalid = invalidInstanceId(instanceId);
        if (invalid) return { ok: false, status: 400, message: invalid };
        const existing = this.store.get(instanceId);
        if (existing && !isTerminal(existing.runtimeStatus)) {
            // DurableClient.cs `StartNewAsync` passes the dedupe statuses (NonRunningStates by default); the Azure Storage
            // provider throws OrchestrationAlreadyExistsException, which HttpApiHandler.cs answers with its catch-all 500.
            return {
                ok: false,
                status: 500,
                message: `An Orchestration instance with the status ${existing.runtimeStatus} already exists.`,
                exceptionType: 'DurableTask.Core.Exceptions.OrchestrationAlreadyExistsException',
            };
        }
        this.engine.cancelTimers(instanceId);
        this.store.put(newInstanceRecord(instanceId, name, input, this.clock.now()));
        this.engine.requestEpisode(instanceId);
        return { ok: true, status: 202, value: instanceId };
    }

    raiseEvent(instanceId: string, eventName: string, input: string | null): CommandResult {
        const record = this.store.get(instanceId);
        if (!record) return { ok: false, status: 404, message: `No instance with ID '${instanceId}' found.` };
        if (isTerminal(record.runtimeStatus)) return { ok: false, status: 410, message: `Instance '${instanceId}' is ${record.runtimeStatus}.` };
        this.engine.deliver(instanceId, undefined, { EventType: EventType.EventRaised, EventId: -1, IsPlayed: false, Timestamp: isoTime(this.clock.now()), Name: eventName, Input: input });
        return { ok: true, status: 202, value: undefined };
    }

    terminate(instanceId: string, reason: string | null): CommandResult {
        const record = this.store.get(instanceId);
        if (!record) return { ok: false, status: 404, message: `No instance with ID '${instanceId}' found.` };
        if (isTerminal(record.runtimeStatus)) return { ok: false, status: 410, message: `Instance '${instanceId}' is ${record.runtimeStatus}.` };
        this.engine.deliver(instanceId, undefined, { EventType: EventType.ExecutionTerminated, EventId: -1, IsPlayed: false, Timestamp: isoTime(this.clock.now()), Input: reason });
        return { ok: true, status: 202, value: undefined };
    }

    purge(instanceId: string): CommandResult<{ instancesDeleted: number }> {
        const record = this.store.get(instanceId);
        if (!record) return { ok: false, status: 404, message: `No instance with ID '${instanceId}' found.` };
        // HttpApiHandler.cs `HandleDeleteHistoryByIdRequestAsync` purges whatever the status (AzureTableTrackingStore deletes
        // the instance row and its history): a running instance is gone, and its pending work finds nothing.
        this.engine.cancelTimers(instanceId);
        this.store.delete(instanceId);
        return { ok: true, status: 200, value: { instancesDeleted: 1 } };
    }

    purgeWhere(query: InstanceQuery): CommandResult<{ instancesDeleted: number }> {
        const doomed = [...this.store.instances()].filter((record) => matchesQuery(record, query));
        for (const record of doomed) {
            this.engine.cancelTimers(record.instanceId);
            this.store.delete(record.instanceId);
        }
        if (doomed.length === 0) return { ok: false, status: 404, message: 'No instances matched.' };
        return { ok: true, status: 200, value: { instancesDeleted: doomed.length } };
    }

    /** One page of instances in instance-id order (the Azure Storage provider's partition order). */
    query(query: InstanceQuery, pageSize: number, continuationToken: string | undefined): InstancePage {
        const after = decodeToken(continuationToken);
        const matching = [...this.store.instances()]
            .filter((record) => (after === undefined || record.instanceId > after) && matchesQuery(record, query))
            .sort((a, b) => (a.instanceId < b.instanceId ? -1 : a.instanceId > b.instanceId ? 1 : 0));
        const page = matching.slice(0, pageSize);
        const last = page[page.length - 1];
        return { instances: page, continuationToken: matching.length > pageSize && last ? encodeToken(last.instanceId) : undefined };
    }
}
