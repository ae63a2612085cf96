import type { RpcParameterBinding } from '../../worker/core-api-types';
import type { RegisteredFunction } from '../../worker/functions-core';
import type { InvocationOutcome } from '../../worker/invoke-function';
import { fromTypedData } from '../../worker/typed-data';
import { EventType, type EventRaisedEvent, type EventSentEvent, type HistoryEvent, type InboundEvent } from '../history-events';
import { newExecutionId } from '../new-instance';
import type { DurableStore, InstanceRecord } from '../store';
import { endedWithoutRelease, unreleasedLocks, waitsForeverBehind } from './ended-holder';
import { entityIdParts, eventRaised, LOCK_GRANTED, newRequestId, type ReleaseMessage, type RequestMessage, type ResponseMessage } from './entity-messages';

/**
 * What the entity scheduler keeps between batches, as the extension keeps it in the entity's
 * instance (SchedulerState in src/WebJobs.Extensions.DurableTask/Entities/SchedulerState.cs: entity
 * exists, its state, who holds the lock, the queue of messages deferred while it is locked).
 */
interface SchedulerState {
    exists: boolean;
    state: string | null;
    lockedBy: string | null;
    queue: QueuedMessage[];
}

type QueuedMessage = { readonly kind: 'op'; readonly message: RequestMessage } | { readonly kind: 'release'; readonly message: ReleaseMessage };

/** durable-functions' EntityState, returned by the entity trigger (src/entities/Entity.ts). */
interface EntityBatchResult {
    readonly entityExists?: boolean;
    readonly entityState?: string | null;
    readonly results?: readonly { readonly isError?: boolean; readonly result?: string }[];
    readonly signals?: readonly { readonly target?: { readonly name?: string; readonly key?: string }; readonly name?: string; readonly input?: string }[];
}

export interface EntitySchedulerDeps {
    readonly store: DurableStore;
    readonly now: () => number;
    readonly find: (name: string) => RegisteredFunction | undefined;
    readonly invoke: (fn: RegisteredFunction, inputData: RpcParameterBinding[], instanceId: string) => Promise<InvocationOutcome>;
    /** Delivers a response or a lock grant to an orchestration. */
    readonly deliver: (instanceId: string, executionId: string | undefined, event: InboundEvent) => boolean;
    readonly requestEpisode: (instanceId: string) => void;
    /** Fails an orchestration that Azure would leave waiting forever, saying why. */
    readonly stopLoudly: (instanceId: string, reason: string) => void;
    readonly warn: (message: string, fields: Readonly<Record<string, unknown>>) => void;
}

/**
 * The entity's custom status, as the extension shows it on the entity's instance (TaskEntityShim.cs
 * `GetStatus`, EntityStatus.cs: `entityExists`, `queueSize`, `lockedBy`, defaults left out): what an
 * operator reads at GET /runtime/webhooks/durabletask/instances/@<name>@<key> to see who holds the lock.
 */
function entityStatus(scheduler: SchedulerState): string {
    return JSON.stringify({
        ...(scheduler.exists ? { entityExists: true } : {}),
        ...(scheduler.queue.length > 0 ? { queueSize: scheduler.queue.length } : {}),
        ...(scheduler.lockedBy !== null ? { lockedBy: scheduler.lockedBy } : {}),
    });
}

function initialState(): SchedulerState {
    return { exists: false, state: null, lockedBy: null, queue: [] };
}

function parseState(record: InstanceRecord): SchedulerState {
    return record.input === null ? initialState() : (JSON.parse(record.input) as SchedulerState);
}

function queued(event: InboundEvent): QueuedMessage | undefined {
    if (event.EventType !== EventType.EventRaised || event.Input === null) return undefined;
    if (event.Name === 'release') return { kind: 'release', message: JSON.parse(event.Input) as ReleaseMessage };
    if (event.Name === 'op') return { kind: 'op', message: JSON.parse(event.Input) as RequestMessage };
    return undefined;
}

/**
 * The entity side of the host, modelled on the extension's entity scheduler (src/WebJobs.Extensions.
 * DurableTask/Listener/TaskEntityShim.cs; learn.microsoft.com/azure/azure-functions/durable/
 * durable-functions-entities, "Entity coordination" and "Critical sections"):
 * - one instance per entity, `@name@key`, created by its first message; messages are processed one
 *   batch at a time, in the order they arrived; each call is answered with a ResponseMessage;
 * - a lock request is granted when the entity is not locked, then forwarded to the next entity of
 *   the sorted lock set, and the last one sends the grant (EventRaised named by the lock request id);
 * - while locked, only the lock holder's operations run; everything else waits, in order, until the
 *   holder's release, then runs before what arrived later;
 * - a holder that fails, is terminated or is purged without releasing keeps the lock, as on Azure,
 *   and what waits behind it, which would wait forever there, is stopped loudly (ended-holder.ts).
 */
export class EntityScheduler {
    constructor(private readonly deps: EntitySchedulerDeps) {}

    /** Puts a message an orchestration sent (its EventSent) in the entity's inbox. */
    send(event: EventSentEvent): void {
        this.enqueue(event.InstanceId, eventRaised(event.Name, JSON.parse(event.Input ?? 'null'), this.deps.now()));
    }

    /** When an execution ends: sends the messages of its last episode (a release its own `finally` sent among them). */
    sendFinalMessages(lastEvents: readonly HistoryEvent[]): void {
        for (const event of lastEvents) if (event.EventType === EventType.EventSent) this.send(event);
    }

    /**
     * Then the locks the execution still holds (ended-holder.ts): released when its orchestrator
     * returned; otherwise kept, as on Azure, and each entity it holds looks at its queue, where every
     * waiter would now wait forever.
     */
    endCriticalSections(record: InstanceRecord, returned: boolean): void {
        for (const lock of unreleasedLocks(record.history)) {
            for (const entity of lock.lockset) {
                if (returned) {
                    this.enqueue(entity, eventRaised('release', { parent: record.instanceId, id: lock.id }, this.deps.now()));
                    continue;
                }
                if (lock.granted) {
                    this.deps.warn(`${record.instanceId} ended (${record.runtimeStatus}) inside its critical section: on Azure entity '${entity}' stays locked by it until an operator releases it`, {
                        instanceId: record.instanceId,
                        entity,
                    });
                }
                this.deps.requestEpisode(entity);
            }
        }
    }

    /** Runs what an entity's inbox holds; called by the engine as an entity's episode. */
    async runEpisode(record: InstanceRecord): Promise<void> {
        const inboxCount = record.inbox.length;
        const scheduler = parseState(record);
        const arrived = record.inbox.slice(0, inboxCount).flatMap((event) => queued(event) ?? []);
        let pending = [...scheduler.queue, ...arrived];
        const deferred: QueuedMessage[] = [];
        let batch: RequestMessage[] = [];
        const flush = async (): Promise<void> => {
            if (batch.length === 0) return;
            const run = batch;
            batch = [];
            await this.runBatch(record, scheduler, run);
        };
        while (pending.length > 0) {
            const next = pending.shift() as QueuedMessage;
            if (next.kind === 'release') {
                if (scheduler.lockedBy !== next.message.parent) continue; // a stale release: nothing held
                await flush();
                scheduler.lockedBy = null;
                // What waited for the lock runs before what arrived after it.
                pending = [...deferred.splice(0), ...pending];
                continue;
            }
            const message = next.message;
            if (message.lockset !== undefined) {
                if (scheduler.lockedBy !== null && scheduler.lockedBy !== message.parent) {
                    deferred.push(next);
                    continue;
                }
                await flush();
                scheduler.lockedBy = message.parent;
                this.forwardLock(message);
                continue;
            }
            if (scheduler.lockedBy !== null && scheduler.lockedBy !== message.parent) deferred.push(next);
            else batch.push(message);
        }
        await flush();
        const current = this.deps.store.get(record.instanceId) ?? record;
        current.inbox.splice(0, inboxCount);
        const stuck = this.waitersBehindEndedHolder(record.instanceId, scheduler.lockedBy, deferred, current.inbox);
        scheduler.queue = deferred.filter((message) => !stuck.some((waiter) => waiter.message === message));
        current.input = JSON.stringify(scheduler);
        current.customStatus = entityStatus(scheduler);
        current.runtimeStatus = 'Running';
        current.lastUpdatedTime = this.deps.now();
        this.deps.store.put(current);
        for (const waiter of stuck) this.deps.stopLoudly(waiter.message.message.parent, waiter.reason);
    }

    /**
     * The calls and lock requests queued behind a holder that ended without releasing: on Azure each
     * would wait forever (ended-holder.ts), so the host stops their orchestrations loudly instead and
     * drops them from the queue. Signals stay queued, as on Azure: nobody waits for them.
     */
    private waitersBehindEndedHolder(entityId: string, holderId: string | null, deferred: readonly QueuedMessage[], inbox: readonly InboundEvent[]): { message: QueuedMessage & { kind: 'op' }; reason: string }[] {
        if (holderId === null || deferred.length === 0) return [];
        const holderEnd = endedWithoutRelease(this.deps.store.get(holderId), holderId, inbox);
        if (holderEnd === undefined) return [];
        return deferred
            .filter((message): message is QueuedMessage & { kind: 'op' } => message.kind === 'op' && message.message.signal !== true)
            .map((message) => ({ message, reason: waitsForeverBehind(entityId, message.message, holderId, holderEnd) }));
    }

    private enqueue(entityId: string, event: EventRaisedEvent): void {
        const { store, now } = this.deps;
        const record = store.get(entityId) ?? this.newEntityRecord(entityId, now());
        record.inbox.push(event);
        store.put(record);
        this.deps.requestEpisode(entityId);
    }

    private newEntityRecord(entityId: string, now: number): InstanceRecord {
        return {
            instanceId: entityId,
            name: entityIdParts(entityId).name,
            executionId: newExecutionId(),
            runtimeStatus: 'Running',
            input: null,
            output: null,
            customStatus: null,
            createdTime: now,
            lastUpdatedTime: now,
            parent: undefined,
            history: [],
            inbox: [],
        };
    }

    /** The lock is held here: on to the next entity of the lock set, or, from the last one, the grant. */
    private forwardLock(message: RequestMessage): void {
        const lockset = message.lockset ?? [];
        const position = message.pos ?? 0;
        const next = lockset[position + 1];
        if (next !== undefined) {
            this.enqueue(next, eventRaised('op', { ...message, pos: position + 1 }, this.deps.now()));
            return;
        }
        const grant: ResponseMessage = { result: JSON.stringify(LOCK_GRANTED) };
        this.deps.deliver(message.parent, message.parentExecution, eventRaised(message.id, grant, this.deps.now()));
    }

    private async runBatch(record: InstanceRecord, scheduler: SchedulerState, batch: readonly RequestMessage[]): Promise<void> {
        const { name, key } = entityIdParts(record.instanceId);
        const fn = this.deps.find(name);
        let result: EntityBatchResult | undefined;
        let failure: string | undefined;
        if (fn === undefined) {
            failure = `The function '${name}' doesn't exist, is disabled, or is not an entity function.`;
        } else {
            const binding = {
                self: { name, key },
                exists: scheduler.exists,
                state: scheduler.state ?? undefined,
                batch: batch.map((message) => ({ id: message.id, name: message.op, signal: message.signal === true, input: message.input ?? undefined })),
            };
            const outcome = await this.deps.invoke(fn, [{ name: fn.triggerName, data: { json: JSON.stringify(binding) } }], record.instanceId);
            if (outcome.ok) result = fromTypedData(outcome.response.returnValue) as EntityBatchResult;
            else failure = outcome.failure.message;
        }
        if (result !== undefined) {
            scheduler.exists = result.entityExists === true;
            scheduler.state = result.entityExists === true ? (result.entityState ?? null) : null;
            for (const signal of result.signals ?? []) {
                if (signal.target?.name === undefined || signal.target.key === undefined || signal.name === undefined) continue;
                const target = `@${signal.target.name.toLowerCase()}@${signal.target.key}`;
                const message: RequestMessage = { id: newRequestId(), op: signal.name, signal: true, input: signal.input ?? null, parent: record.instanceId };
                this.enqueue(target, eventRaised('op', message, this.deps.now()));
            }
        }
        for (const [index, message] of batch.entries()) {
            if (message.signal === true) continue;
            const operation = result?.results?.[index];
            const response: ResponseMessage =
                operation === undefined || operation.isError === true
                    ? { result: operation?.result ?? JSON.stringify(failure ?? `entity operation '${message.op ?? ''}' returned no result`), exceptionType: 'Error' }
                    : { result: operation.result ?? '' };
            this.deps.deliver(message.parent, message.parentExecution, eventRaised(message.id, response, this.deps.now()));
        }
    }
}
