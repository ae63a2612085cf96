/**
 * Orchestration history as the Durable Task Framework stores it and as durable-functions' replay
 * engine reads it: PascalCase fields, `EventType` numbers from DurableTask.Core's `EventType`.
 * Inputs and results are JSON text, exactly what lands in the history table.
 */
export const EventType = {
    ExecutionStarted: 0,
    ExecutionCompleted: 1,
    ExecutionTerminated: 3,
    TaskScheduled: 4,
    TaskCompleted: 5,
    TaskFailed: 6,
    SubOrchestrationInstanceCreated: 7,
    SubOrchestrationInstanceCompleted: 8,
    SubOrchestrationInstanceFailed: 9,
    TimerCreated: 10,
    TimerFired: 11,
    OrchestratorStarted: 12,
    OrchestratorCompleted: 13,
    EventSent: 14,
    EventRaised: 15,
} as const;

export type EventTypeName = keyof typeof EventType;

const EVENT_TYPE_NAMES = new Map<number, EventTypeName>(Object.entries(EventType).map(([name, value]) => [value, name as EventTypeName]));

export function eventTypeName(value: number): string {
    return EVENT_TYPE_NAMES.get(value) ?? String(value);
}

/** DurableTask.Core `OrchestrationStatus` numbers, as written in ExecutionCompleted events. */
export const OrchestrationStatusCode = {
    Running: 0,
    Completed: 1,
    ContinuedAsNew: 2,
    Failed: 3,
    Canceled: 4,
    Terminated: 5,
    Pending: 6,
    Suspended: 7,
} as const;

export type RuntimeStatus = keyof typeof OrchestrationStatusCode;

export interface FailureDetails {
    readonly ErrorType: string;
    readonly ErrorMessage: string;
    readonly StackTrace?: string;
    readonly IsNonRetriable?: boolean;
    readonly Properties?: Record<string, unknown>;
}

interface Base<T extends number> {
    readonly EventType: T;
    readonly EventId: number;
    IsPlayed: boolean;
    readonly Timestamp: string;
}

export interface ExecutionStartedEvent extends Base<typeof EventType.ExecutionStarted> {
    readonly Name: string;
    readonly Input: string | null;
    readonly Version: string;
}
export interface ExecutionCompletedEvent extends Base<typeof EventType.ExecutionCompleted> {
    readonly OrchestrationStatus: number;
    readonly Result: string | null;
    readonly FailureDetails?: FailureDetails;
}
export interface ExecutionTerminatedEvent extends Base<typeof EventType.ExecutionTerminated> {
    readonly Input: string | null;
}
export interface TaskScheduledEvent extends Base<typeof EventType.TaskScheduled> {
    readonly Name: string;
    readonly Input: string | null;
}
export interface TaskCompletedEvent extends Base<typeof EventType.TaskCompleted> {
    readonly TaskScheduledId: number;
    readonly Result: string;
}
export interface TaskFailedEvent extends Base<typeof EventType.TaskFailed> {
    readonly TaskScheduledId: number;
    readonly Reason?: string;
    readonly Details?: string;
    readonly FailureDetails?: FailureDetails;
}
export interface SubOrchestrationInstanceCreatedEvent extends Base<typeof EventType.SubOrchestrationInstanceCreated> {
    readonly Name: string;
    readonly InstanceId: string;
    readonly Input: string | null;
}
export interface SubOrchestrationInstanceCompletedEvent extends Base<typeof EventType.SubOrchestrationInstanceCompleted> {
    readonly TaskScheduledId: number;
    readonly Result: string;
}
export interface SubOrchestrationInstanceFailedEvent extends Base<typeof EventType.SubOrchestrationInstanceFailed> {
    readonly TaskScheduledId: number;
    readonly Reason?: string;
    readonly Details?: string;
    readonly FailureDetails?: FailureDetails;
}
export interface TimerCreatedEvent extends Base<typeof EventType.TimerCreated> {
    readonly FireAt: string;
}
export interface TimerFiredEvent extends Base<typeof EventType.TimerFired> {
    readonly TimerId: number;
    readonly FireAt: string;
}
export type OrchestratorStartedEvent = Base<typeof EventType.OrchestratorStarted>;
export type OrchestratorCompletedEvent = Base<typeof EventType.OrchestratorCompleted>;
/**
 * A message an orchestration sends to an entity (an operation, a signal, a lock request or a
 * release). Input is the extension's RequestMessage JSON; durable-functions reads its `id` to match
 * the EventRaised response (TaskOrchestrationExecutor, EventSent case).
 */
export interface EventSentEvent extends Base<typeof EventType.EventSent> {
    readonly InstanceId: string;
    readonly Name: string;
    readonly Input: string | null;
}
export interface EventRaisedEvent extends Base<typeof EventType.EventRaised> {
    readonly Name: string;
    readonly Input: string | null;
}

export type HistoryEvent =
    | ExecutionStartedEvent
    | ExecutionCompletedEvent
    | ExecutionTerminatedEvent
    | TaskScheduledEvent
    | TaskCompletedEvent
    | TaskFailedEvent
    | SubOrchestrationInstanceCreatedEvent
    | SubOrchestrationInstanceCompletedEvent
    | SubOrchestrationInstanceFailedEvent
    | TimerCreatedEvent
    | TimerFiredEvent
    | OrchestratorStartedEvent
    | OrchestratorCompletedEvent
    | EventSentEvent
    | EventRaisedEvent;

/** Events that an orchestrator episode writes for work it schedules; their EventId is the task's sequence number. */
export type SchedulingEvent = TaskScheduledEvent | TimerCreatedEvent | SubOrchestrationInstanceCreatedEvent | EventSentEvent;

/** Events that come back to an orchestration from outside its episode. */
export type InboundEvent =
    | ExecutionStartedEvent
    | ExecutionTerminatedEvent
    | TaskCompletedEvent
    | TaskFailedEvent
    | SubOrchestrationInstanceCompletedEvent
    | SubOrchestrationInstanceFailedEvent
    | TimerFiredEvent
    | EventRaisedEvent;

export function isSchedulingEvent(event: HistoryEvent): event is SchedulingEvent {
    return (
        event.EventType === EventType.TaskScheduled ||
        event.EventType === EventType.TimerCreated ||
        event.EventType === EventType.SubOrchestrationInstanceCreated ||
        event.EventType === EventType.EventSent
    );
}

/** The sequence number an inbound completion refers to, or undefined for events that are not completions. */
export function completedTaskId(event: HistoryEvent): number | undefined {
    switch (event.EventType) {
        case EventType.TaskCompleted:
        case EventType.TaskFailed:
        case EventType.SubOrchestrationInstanceCompleted:
        case EventType.SubOrchestrationInstanceFailed:
            return event.TaskScheduledId;
        case EventType.TimerFired:
            return event.TimerId;
        default:
            return undefined;
    }
}

export function isoTime(ms: number): string {
    return new Date(ms).toISOString();
}
