import { EventType, eventTypeName, type HistoryEvent, type InstanceRecord, type LocalHost } from '../../../local/host';

export function record(host: LocalHost, instanceId: string): InstanceRecord {
    const found = host.store.get(instanceId);
    if (!found) throw new Error(`No instance ${instanceId} in the store.`);
    return found;
}

/** History event type names, without the OrchestratorStarted/Completed bookkeeping. */
export function eventNames(history: readonly HistoryEvent[]): string[] {
    return history.filter((event) => event.EventType !== EventType.OrchestratorStarted && event.EventType !== EventType.OrchestratorCompleted).map((event) => eventTypeName(event.EventType));
}

export function eventsOfType<T extends HistoryEvent['EventType']>(history: readonly HistoryEvent[], type: T): Extract<HistoryEvent, { EventType: T }>[] {
    return history.filter((event): event is Extract<HistoryEvent, { EventType: T }> => event.EventType === type);
}

export function output(host: LocalHost, instanceId: string): unknown {
    const text = record(host, instanceId).output;
    return text === null ? null : (JSON.parse(text) as unknown);
}
