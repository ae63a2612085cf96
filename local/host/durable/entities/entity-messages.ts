import { randomUUID } from 'node:crypto';
import { EventType, isoTime, type EventRaisedEvent, type EventSentEvent } from '../history-events';
import type { EntityMessageRequest } from '../replay-tasks';

/**
 * The messages between orchestrations and entities, in the form the Durable extension writes them
 * (azure-functions-durable-extension, src/WebJobs.Extensions.DurableTask/ContextImplementations/
 * DurableOrchestrationContext.cs: CallEntityAsync, SignalEntity, LockAsync and ReleaseLocks send an
 * EventSent whose Input is a RequestMessage; the entity answers with an EventRaised named by the
 * request id whose Input is a ResponseMessage). durable-functions reads back exactly `id` from the
 * RequestMessage and `result` / `exceptionType` from the ResponseMessage (src/orchestrations/
 * TaskOrchestrationExecutor.ts, src/entities/ResponseMessage.ts).
 */
export interface RequestMessage {
    readonly id: string;
    /** The operation; absent on a lock request. */
    readonly op?: string;
    readonly signal?: boolean;
    /** The operation's input as JSON text. */
    readonly input?: string | null;
    /** The orchestration that sent it, and its execution: where the response goes. */
    readonly parent: string;
    readonly parentExecution?: string;
    /** A lock request: the sorted lock set (entity scheduler ids) and this entity's position in it. */
    readonly lockset?: readonly string[];
    readonly pos?: number;
}

export interface ReleaseMessage {
    readonly parent: string;
    readonly id: string;
}

export interface ResponseMessage {
    readonly result: string;
    readonly exceptionType?: string;
}

/** The result the extension puts in a lock grant (DurableOrchestrationContext.LockAsync). */
export const LOCK_GRANTED = 'Lock Acquisition Completed';

/** The EventSent / EventRaised names of entity messages: `op` for operations and lock requests, `release` for releases. */
export function entityMessageName(request: EntityMessageRequest): 'op' | 'release' {
    return request.kind === 'lockRelease' ? 'release' : 'op';
}

export function newRequestId(): string {
    return randomUUID();
}

export function isEntityId(instanceId: string): boolean {
    return instanceId.startsWith('@') && instanceId.indexOf('@', 1) > 1;
}

/** `@name@key` → its name and key (EntityId.getEntityIdFromSchedulerId). */
export function entityIdParts(schedulerId: string): { readonly name: string; readonly key: string } {
    const at = schedulerId.indexOf('@', 1);
    return { name: schedulerId.slice(1, at), key: schedulerId.slice(at + 1) };
}

export function requestIdOf(event: EventSentEvent): string | undefined {
    try {
        const parsed = JSON.parse(event.Input ?? 'null') as { id?: unknown } | null;
        return typeof parsed?.id === 'string' ? parsed.id : undefined;
    } catch {
        return undefined;
    }
}

function toJsonText(value: unknown): string | null {
    return value === undefined ? null : (JSON.stringify(value) ?? null);
}

/** The EventSent an orchestration episode writes for one entity message it sends. */
export function eventSent(request: EntityMessageRequest, id: number, requestId: string | undefined, parent: { readonly instanceId: string; readonly executionId: string }, now: number): EventSentEvent {
    let message: RequestMessage | ReleaseMessage;
    switch (request.kind) {
        case 'entityCall':
        case 'entitySignal':
            message = {
                id: requestId ?? newRequestId(),
                op: request.operation,
                signal: request.kind === 'entitySignal',
                input: toJsonText(request.input),
                parent: parent.instanceId,
                parentExecution: parent.executionId,
            };
            break;
        case 'lockRequest':
            message = { id: request.lockRequestId, lockset: request.lockSet, pos: 0, parent: parent.instanceId, parentExecution: parent.executionId };
            break;
        case 'lockRelease':
            message = { id: request.lockRequestId, parent: parent.instanceId };
            break;
    }
    return { EventType: EventType.EventSent, EventId: id, IsPlayed: false, Timestamp: isoTime(now), InstanceId: request.entity, Name: entityMessageName(request), Input: JSON.stringify(message) };
}

/** A message as it arrives in an entity's inbox, or a response as it arrives in an orchestration's. */
export function eventRaised(name: string, input: unknown, now: number): EventRaisedEvent {
    return { EventType: EventType.EventRaised, EventId: -1, IsPlayed: false, Timestamp: isoTime(now), Name: name, Input: JSON.stringify(input) };
}
