import { randomUUID } from 'node:crypto';
import { EventType, isoTime, type InboundEvent } from './history-events';
import type { InstanceRecord, ParentLink } from './store';

/** A GUID without dashes, the format the extension uses for generated instance and execution ids. */
export function newExecutionId(): string {
    return randomUUID().replaceAll('-', '');
}

export function executionStarted(name: string, input: string | null, now: number): InboundEvent {
    return { EventType: EventType.ExecutionStarted, EventId: -1, IsPlayed: false, Timestamp: isoTime(now), Name: name, Input: input, Version: '' };
}

/** A Pending instance whose inbox holds its ExecutionStarted event. */
export function newInstanceRecord(instanceId: string, name: string, input: string | null, now: number, parent?: ParentLink): InstanceRecord {
    return {
        instanceId,
        name,
        executionId: newExecutionId(),
        runtimeStatus: 'Pending',
        input,
        output: null,
        customStatus: null,
        createdTime: now,
        lastUpdatedTime: now,
        parent,
        history: [],
        inbox: [executionStarted(name, input, now)],
    };
}
