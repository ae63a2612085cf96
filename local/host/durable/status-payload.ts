import { EventType, eventTypeName, OrchestrationStatusCode, type HistoryEvent } from './history-events';
import type { InstanceRecord } from './store';

/** The JSON the Durable Functions HTTP API returns for one instance (StatusResponsePayload). */
export interface StatusPayload {
    readonly name: string;
    readonly instanceId: string;
    readonly runtimeStatus: string;
    readonly input: unknown;
    readonly customStatus: unknown;
    readonly output: unknown;
    readonly createdTime: string;
    readonly lastUpdatedTime: string;
    readonly historyEvents?: readonly Record<string, unknown>[];
}

export interface StatusOptions {
    readonly showInput: boolean;
    readonly showHistory: boolean;
    readonly showHistoryOutput: boolean;
}

/** The extension's ParseToJToken: JSON when it parses, else the raw text (terminate reasons, failure messages). */
export function parseToJToken(text: string | null): unknown {
    if (text === null) return null;
    const trimmed = text.trim();
    if (trimmed.length === 0) return '';
    try {
        return JSON.parse(trimmed) as unknown;
    } catch {
        return text;
    }
}

/** .NET `ToString("s") + "Z"`: seconds precision. */
function sortableTime(ms: number): string {
    return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

const STATUS_NAMES = new Map<number, string>(Object.entries(OrchestrationStatusCode).map(([name, value]) => [value, name]));

/**
 * The history as `getStatus(showHistory)` shows it (DurableClient.cs `GetDurableOrchestrationStatusAsync`):
 * EventType names instead of numbers, OrchestratorStarted/Completed dropped, each TaskScheduled and
 * SubOrchestrationInstanceCreated folded into its completion as FunctionName, ScheduledTime and (with
 * showInput) its Input, every `Input` removed without showInput, results shown only with showHistoryOutput.
 */
export function condenseHistory(history: readonly HistoryEvent[], showHistoryOutput: boolean, showInput = false): Record<string, unknown>[] {
    const scheduled = new Map<string, { index: number; name: string; timestamp: string; input: string | null }>();
    const dropped = new Set<number>();
    const items = history.map((event, index) => {
        const item: Record<string, unknown> = { ...event, EventType: eventTypeName(event.EventType) };
        switch (event.EventType) {
            case EventType.TaskScheduled:
            case EventType.SubOrchestrationInstanceCreated:
                scheduled.set(`${event.EventType}_${event.EventId}`, { index, name: event.Name, timestamp: event.Timestamp, input: event.Input });
                break;
            case EventType.TaskCompleted:
            case EventType.TaskFailed:
            case EventType.SubOrchestrationInstanceCompleted:
            case EventType.SubOrchestrationInstanceFailed: {
                const scheduledType = event.EventType === EventType.TaskCompleted || event.EventType === EventType.TaskFailed ? EventType.TaskScheduled : EventType.SubOrchestrationInstanceCreated;
                const origin = scheduled.get(`${scheduledType}_${event.TaskScheduledId}`);
                if (origin) {
                    item.ScheduledTime = origin.timestamp;
                    item.FunctionName = origin.name;
                    if (showInput) item.Input = origin.input;
                    dropped.add(origin.index);
                }
                delete item.TaskScheduledId;
                if ('Result' in event) item.Result = showHistoryOutput ? parseToJToken(event.Result) : undefined;
                break;
            }
            case EventType.ExecutionStarted:
                item.FunctionName = event.Name;
                delete item.Name;
                delete item.Version;
                break;
            case EventType.ExecutionCompleted:
                item.OrchestrationStatus = STATUS_NAMES.get(event.OrchestrationStatus) ?? event.OrchestrationStatus;
                item.Result = showHistoryOutput ? parseToJToken(event.Result) : undefined;
                break;
            case EventType.TimerFired:
                delete item.TimerId;
                break;
            case EventType.OrchestratorStarted:
            case EventType.OrchestratorCompleted:
                dropped.add(index);
                break;
        }
        if (!showInput) delete item.Input;
        delete item.EventId;
        delete item.IsPlayed;
        if (item.Result === undefined) delete item.Result;
        return item;
    });
    return items.filter((_, index) => !dropped.has(index));
}

export function statusPayload(record: InstanceRecord, options: StatusOptions): StatusPayload {
    const payload: StatusPayload = {
        name: record.name,
        instanceId: record.instanceId,
        runtimeStatus: record.runtimeStatus,
        input: options.showInput ? parseToJToken(record.input) : null,
        customStatus: parseToJToken(record.customStatus),
        output: parseToJToken(record.output),
        createdTime: sortableTime(record.createdTime),
        lastUpdatedTime: sortableTime(record.lastUpdatedTime),
    };
    if (!options.showHistory || record.runtimeStatus === 'Pending') return payload;
    return { ...payload, historyEvents: condenseHistory(record.history, options.showHistoryOutput, options.showInput) };
}
