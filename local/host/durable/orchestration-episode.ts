import type { RegisteredFunction } from '../worker/functions-core';
import type { InvocationOutcome } from '../worker/invoke-function';
import { fromTypedData } from '../worker/typed-data';
import type { RpcParameterBinding } from '../worker/core-api-types';
import {
    EventType,
    isoTime,
    OrchestrationStatusCode,
    type ExecutionStartedEvent,
    type FailureDetails,
    type HistoryEvent,
    type InboundEvent,
} from './history-events';
import { parseOrchestratorState, splitOrchestratorFailure, type OrchestratorState } from './orchestrator-state';
import { replayActions, type Decision } from './replay-shim';
import type { InstanceRecord } from './store';

/** Timer limits the extension hands to durable-functions for Azure Storage task hubs. */
export const MAXIMUM_SHORT_TIMER = { text: '6.00:00:00', ms: 6 * 24 * 3600_000 } as const;
export const LONG_RUNNING_TIMER_INTERVAL = { text: '3.00:00:00', ms: 3 * 24 * 3600_000 } as const;
/** ReplaySchema numbers: V3 for older libraries, V4 offered through upperSchemaVersionNew. */
const UPPER_SCHEMA_VERSION = 2;
const UPPER_SCHEMA_VERSION_NEW = 3;

export type EpisodeOutcome =
    | { readonly kind: 'running'; readonly events: HistoryEvent[]; readonly decisions: readonly Decision[]; readonly customStatus: string | null; readonly canceledTimers: ReadonlySet<number>; readonly warnings: readonly string[] }
    | { readonly kind: 'completed'; readonly events: HistoryEvent[]; readonly output: string | null; readonly customStatus: string | null }
    | { readonly kind: 'continuedAsNew'; readonly events: HistoryEvent[]; readonly input: string | null; readonly customStatus: string | null }
    | { readonly kind: 'failed'; readonly events: HistoryEvent[]; readonly output: string; readonly customStatus: string | null; readonly failureDetails: FailureDetails }
    | { readonly kind: 'terminated'; readonly events: HistoryEvent[]; readonly reason: string | null };

export interface EpisodeRequest {
    readonly record: InstanceRecord;
    /** How many inbox events this episode consumes (a snapshot: more may arrive while it runs). */
    readonly inboxCount: number;
    readonly now: number;
    readonly fn: RegisteredFunction | undefined;
    readonly functionExists: (name: string, kind: 'activity' | 'orchestration') => boolean;
    readonly invoke: (fn: RegisteredFunction, inputData: RpcParameterBinding[]) => Promise<InvocationOutcome>;
}

function toJson(value: unknown): string | null {
    return value === undefined ? null : (JSON.stringify(value) ?? null);
}

function parseJson(text: string | null): unknown {
    return text === null ? null : (JSON.parse(text) as unknown);
}

function closing(now: number, status: number, result: string | null, failureDetails?: FailureDetails): HistoryEvent[] {
    const completed: HistoryEvent = { EventType: EventType.ExecutionCompleted, EventId: -1, IsPlayed: false, Timestamp: isoTime(now), OrchestrationStatus: status, Result: result, ...(failureDetails ? { FailureDetails: failureDetails } : {}) };
    return [completed, { EventType: EventType.OrchestratorCompleted, EventId: -1, IsPlayed: false, Timestamp: isoTime(now) }];
}

function schedulingEvent(decision: Decision, now: number, executionId: string): HistoryEvent {
    const base = { EventId: decision.id, IsPlayed: false, Timestamp: isoTime(now) };
    switch (decision.kind) {
        case 'activity':
            return { ...base, EventType: EventType.TaskScheduled, Name: decision.name, Input: toJson(decision.input) };
        case 'subOrchestration':
            return {
                ...base,
                EventType: EventType.SubOrchestrationInstanceCreated,
                Name: decision.name,
                InstanceId: decision.instanceId ?? `${executionId}:${decision.id}`,
                Input: toJson(decision.input),
            };
        case 'timer':
            return { ...base, EventType: EventType.TimerCreated, FireAt: isoTime(decision.fireAt) };
    }
}

function failure(request: EpisodeRequest, started: HistoryEvent[], message: string, customStatus: string | null, details?: Partial<FailureDetails>): EpisodeOutcome {
    const failureDetails: FailureDetails = { ErrorType: details?.ErrorType ?? 'OrchestrationFailureException', ErrorMessage: message, ...(details?.StackTrace ? { StackTrace: details.StackTrace } : {}) };
    return { kind: 'failed', events: [...started, ...closing(request.now, OrchestrationStatusCode.Failed, message, failureDetails)], output: message, customStatus, failureDetails };
}

async function invokeOrchestrator(request: EpisodeRequest, fn: RegisteredFunction, history: HistoryEvent[], started: ExecutionStartedEvent): Promise<{ state: OrchestratorState | undefined; error: string | undefined; stack?: string }> {
    const { record } = request;
    const trigger = {
        history,
        input: parseJson(started.Input),
        instanceId: record.instanceId,
        isReplaying: record.history.length > 0,
        parentInstanceId: record.parent?.instanceId,
        upperSchemaVersion: UPPER_SCHEMA_VERSION,
        upperSchemaVersionNew: UPPER_SCHEMA_VERSION_NEW,
        longRunningTimerIntervalDuration: LONG_RUNNING_TIMER_INTERVAL.text,
        maximumShortTimerDuration: MAXIMUM_SHORT_TIMER.text,
        defaultHttpAsyncRequestSleepTimeMillseconds: 30_000,
    };
    const outcome = await request.invoke(fn, [{ name: fn.triggerName, data: { json: JSON.stringify(trigger) } }]);
    if (outcome.ok) {
        return { state: parseOrchestratorState(fromTypedData(outcome.response.returnValue)), error: undefined };
    }
    const split = splitOrchestratorFailure(outcome.failure.message);
    return { state: split.state, error: split.state?.error ?? split.message, stack: outcome.failure.stack };
}

/**
 * One orchestrator episode, as the Durable extension runs it: OrchestratorStarted and the new events
 * are appended to the history, the orchestrator replays it all and returns its actions, the actions
 * are replayed against the history (non-determinism check), and the newly scheduled work, or the
 * end of the execution, is written back.
 */
export async function runEpisode(request: EpisodeRequest): Promise<EpisodeOutcome> {
    const { record, now } = request;
    const newEvents: InboundEvent[] = record.inbox.slice(0, request.inboxCount).map((event) => ({ ...event, IsPlayed: false }));
    const started: HistoryEvent[] = [{ EventType: EventType.OrchestratorStarted, EventId: -1, IsPlayed: false, Timestamp: isoTime(now) }, ...newEvents];

    const termination = newEvents.find((event) => event.EventType === EventType.ExecutionTerminated);
    if (termination) {
        const reason = termination.EventType === EventType.ExecutionTerminated ? termination.Input : null;
        return { kind: 'terminated', events: [started[0] as HistoryEvent, termination, ...closing(now, OrchestrationStatusCode.Terminated, reason)], reason };
    }

    const history = [...record.history, ...started];
    const executionStarted = history.find((event): event is ExecutionStartedEvent => event.EventType === EventType.ExecutionStarted);
    if (!executionStarted) return failure(request, started, `Instance '${record.instanceId}' has no ExecutionStarted event.`, record.customStatus);
    if (!request.fn) {
        return failure(request, started, `The function '${record.name}' doesn't exist, is disabled, or is not an orchestrator function.`, record.customStatus);
    }

    let invoked: Awaited<ReturnType<typeof invokeOrchestrator>>;
    try {
        invoked = await invokeOrchestrator(request, request.fn, history, executionStarted);
    } catch (thrown) {
        const message = thrown instanceof Error ? thrown.message : String(thrown);
        return failure(request, started, `Orchestrator function '${record.name}' failed: ${message}`, record.customStatus);
    }
    const { state, error, stack } = invoked;
    const customStatus = state && state.customStatus !== undefined && state.customStatus !== null ? toJson(state.customStatus) : record.customStatus;
    if (!state) return failure(request, started, `Orchestrator function '${record.name}' failed: ${error ?? 'no state returned'}`, customStatus, { StackTrace: stack });

    const replay = replayActions({
        orchestrationName: record.name,
        history,
        actions: state.actions,
        maximumShortTimerMs: MAXIMUM_SHORT_TIMER.ms,
        longTimerIntervalMs: LONG_RUNNING_TIMER_INTERVAL.ms,
        functionExists: request.functionExists,
    });
    if (replay.problem) return failure(request, started, replay.problem, customStatus, { ErrorType: 'NonDeterministicOrchestrationException' });
    if (error !== undefined) return failure(request, started, `Orchestrator function '${record.name}' failed: ${error}`, customStatus, { StackTrace: stack });

    if (state.isDone) {
        const continueAsNew = state.actions.find((action) => action.kind === 'continueAsNew');
        if (continueAsNew && continueAsNew.kind === 'continueAsNew') {
            const input = toJson(continueAsNew.input);
            return { kind: 'continuedAsNew', events: [...started, ...closing(now, OrchestrationStatusCode.ContinuedAsNew, input)], input, customStatus };
        }
        const output = toJson(state.output);
        return { kind: 'completed', events: [...started, ...closing(now, OrchestrationStatusCode.Completed, output)], output, customStatus };
    }

    const scheduled = replay.decisions.map((decision) => schedulingEvent(decision, now, record.executionId));
    const events = [...started, ...scheduled, { EventType: EventType.OrchestratorCompleted, EventId: -1, IsPlayed: false, Timestamp: isoTime(now) } as HistoryEvent];
    return { kind: 'running', events, decisions: replay.decisions, customStatus, canceledTimers: replay.canceledTimers, warnings: replay.warnings };
}
