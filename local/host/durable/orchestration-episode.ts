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
import { eventSent } from './entities/entity-messages';
import { parseOrchestratorState, splitOrchestratorFailure, type OrchestratorState } from './orchestrator-state';
import { throughExtension } from './extension-json';
import { replayActions, type Decision } from './replay-shim';
import type { InstanceRecord } from './store';

/** Timer limits the extension hands to durable-functions for Azure Storage task hubs. */
export const MAXIMUM_SHORT_TIMER = { text: '6.00:00:00', ms: 6 * 24 * 3600_000 } as const;
export const LONG_RUNNING_TIMER_INTERVAL = { text: '3.00:00:00', ms: 3 * 24 * 3600_000 } as const;
/**
 * ReplaySchema numbers the extension offers (OrchestrationTriggerAttributeBindingProvider.cs
 * `OrchestrationContextToString`: upperSchemaVersion = SchemaVersion.V2 = 1, upperSchemaVersionNew =
 * SchemaVersion.V4 = 3 since Microsoft.Azure.WebJobs.Extensions.DurableTask 3.13.0, Azure/azure-functions-durable-extension#3453
 * "Add critical sections support for OOProc SDKs (schema V4)"; V3 = 2 before). The extension bundle
 * [4.*, 5.0.0) takes the newest 3.x of the extension when it is built (azure-functions-extension-bundles
 * extensions.json `"majorVersion": "3"`, build/BuildSteps.cs `GetLatestPackageVersion`), and bundle 4.38.0
 * (July 2026) was built after 3.13.0 (June 2026). durable-functions then replays with schema V4, so `lock` works.
 */
const UPPER_SCHEMA_VERSION = 1;
const UPPER_SCHEMA_VERSION_NEW = 3;

export type EpisodeOutcome =
    | { readonly kind: 'running'; readonly events: HistoryEvent[]; readonly decisions: readonly Decision[]; readonly customStatus: string | null; readonly canceledTimers: ReadonlySet<number>; readonly warnings: readonly string[] }
    | { readonly kind: 'completed'; readonly events: HistoryEvent[]; readonly output: string | null; readonly customStatus: string | null }
    | { readonly kind: 'continuedAsNew'; readonly events: HistoryEvent[]; readonly input: string | null; readonly customStatus: string | null }
    | {
          readonly kind: 'failed';
          readonly events: HistoryEvent[];
          readonly output: string;
          readonly customStatus: string | null;
          readonly failureDetails: FailureDetails;
          /** What a parent reads as the failure's Details (OutOfProcOrchestrationShim.cs: "Message: …, StackTrace: …"). */
          readonly details: string;
          /** Set when Azure would leave this instance, and so every ancestor waiting on it, waiting forever. */
          readonly wouldWaitForever?: boolean;
      }
    | { readonly kind: 'terminated'; readonly events: HistoryEvent[]; readonly reason: string | null };

export interface EpisodeRequest {
    readonly record: InstanceRecord;
    /** How many inbox events this episode consumes (a snapshot: more may arrive while it runs). */
    readonly inboxCount: number;
    readonly now: number;
    readonly fn: RegisteredFunction | undefined;
    readonly functionExists: (name: string, kind: 'activity' | 'orchestration') => boolean;
    readonly invoke: (fn: RegisteredFunction, inputData: RpcParameterBinding[], serialized?: SerializedTrigger) => Promise<InvocationOutcome>;
}

/** What serializing an orchestrator's trigger (its whole history) cost the host in one episode: the host does it on every episode. */
export interface SerializedTrigger {
    /** UTF-8 bytes of the trigger's JSON. */
    readonly bytes: number;
    /** CPU milliseconds JSON.stringify took. */
    readonly cpuMs: number;
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

function schedulingEvent(decision: Decision, now: number, instanceId: string, executionId: string): HistoryEvent {
    const base = { EventId: decision.id, IsPlayed: false, Timestamp: isoTime(now) };
    switch (decision.kind) {
        case 'activity':
            return { ...base, EventType: EventType.TaskScheduled, Name: decision.name, Input: throughExtension(toJson(decision.input)) };
        case 'subOrchestration':
            return {
                ...base,
                EventType: EventType.SubOrchestrationInstanceCreated,
                Name: decision.name,
                InstanceId: decision.instanceId ?? `${executionId}:${decision.id}`,
                Input: throughExtension(toJson(decision.input)),
            };
        case 'timer':
            return { ...base, EventType: EventType.TimerCreated, FireAt: isoTime(decision.fireAt) };
        default:
            return eventSent(decision, decision.id, decision.requestId, { instanceId, executionId }, now);
    }
}

function failure(request: EpisodeRequest, started: HistoryEvent[], message: string, customStatus: string | null, details?: Partial<FailureDetails> & { readonly error?: string }): EpisodeOutcome {
    const failureDetails: FailureDetails = { ErrorType: details?.ErrorType ?? 'OrchestrationFailureException', ErrorMessage: message, ...(details?.StackTrace ? { StackTrace: details.StackTrace } : {}) };
    const text = `Message: ${details?.error ?? message}, StackTrace: ${details?.StackTrace ?? ''}`;
    return { kind: 'failed', events: [...started, ...closing(request.now, OrchestrationStatusCode.Failed, message, failureDetails)], output: message, customStatus, failureDetails, details: text };
}

export const WOULD_WAIT_FOREVER = 'on Azure this instance would wait forever because';

/** Where Azure would leave the instance waiting silently, the host fails it loudly and says why. */
function wouldWaitForever(request: EpisodeRequest, started: HistoryEvent[], reason: string, customStatus: string | null): EpisodeOutcome {
    const message = `Local host stopped orchestration '${request.record.name}' (${request.record.instanceId}): ${WOULD_WAIT_FOREVER} ${reason}.`;
    const outcome = failure(request, started, message, customStatus, { ErrorType: 'LocalHostWouldWaitForever' });
    return { ...outcome, wouldWaitForever: true } as EpisodeOutcome;
}

/**
 * The extension's 16 KB limit on custom status (DurableOrchestrationContext.cs `SetCustomStatus` →
 * MessagePayloadDataConverter.cs `Serialize(value, maxSizeInKB)`): the UTF-16 byte count of the JSON,
 * divided by 1024 and truncated to an integer, must not exceed 16. The exception fails the orchestration.
 */
export const MAX_CUSTOM_STATUS_KB = 16;

export function customStatusSizeError(json: string): string | undefined {
    const sizeInKb = Math.trunc((json.length * 2) / 1024);
    if (sizeInKb <= MAX_CUSTOM_STATUS_KB) return undefined;
    return `The UTF-16 size of the JSON-serialized payload must not exceed ${MAX_CUSTOM_STATUS_KB} KB. The current payload size is ${sizeInKb} KB.`;
}

interface Invoked {
    readonly state: OrchestratorState | undefined;
    readonly error: string | undefined;
    readonly stack?: string;
    /** The orchestrator threw something that is not an Error: durable-functions then reports no error message. */
    readonly threwNonError?: boolean;
}

async function invokeOrchestrator(request: EpisodeRequest, fn: RegisteredFunction, history: HistoryEvent[], started: ExecutionStartedEvent): Promise<Invoked> {
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
    const serializing = process.cpuUsage();
    const json = JSON.stringify(trigger);
    const used = process.cpuUsage(serializing);
    const serialized: SerializedTrigger = { bytes: Buffer.byteLength(json, 'utf8'), cpuMs: (used.user + used.system) / 1000 };
    const outcome = await request.invoke(fn, [{ name: fn.triggerName, data: { json } }], serialized);
    if (outcome.ok) {
        return { state: parseOrchestratorState(fromTypedData(outcome.response.returnValue)), error: undefined };
    }
    const split = splitOrchestratorFailure(outcome.failure.message);
    if (split.state && split.state.error === undefined) return { state: split.state, error: undefined, stack: outcome.failure.stack, threwNonError: true };
    return { state: split.state, error: split.state ? split.state.error : split.message, stack: outcome.failure.stack };
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

    let invoked: Invoked;
    try {
        invoked = await invokeOrchestrator(request, request.fn, history, executionStarted);
    } catch (thrown) {
        const message = thrown instanceof Error ? thrown.message : String(thrown);
        return failure(request, started, `Orchestrator function '${record.name}' failed: ${message}`, record.customStatus);
    }
    const { state, error, stack } = invoked;
    // OutOfProcOrchestrationShim.cs `ScheduleDurableTaskEvents`: a null custom status is not set, so the
    // episode's status is null (TaskOrchestrationDispatcher.cs `runtimeState.Status = result?.CustomStatus`),
    // except in the first episode after continue-as-new, which carries the previous one over (`carryOverStatus`).
    const fresh = state && state.customStatus !== undefined && state.customStatus !== null ? toJson(state.customStatus) : null;
    const carried = record.history.length === 0 ? record.customStatus : null;
    if (fresh !== null) {
        const tooLarge = customStatusSizeError(fresh);
        if (tooLarge) return failure(request, started, `Orchestrator function '${record.name}' failed: ${tooLarge}`, carried, { error: tooLarge });
    }
    const customStatus = fresh ?? carried;
    if (!state) return failure(request, started, `Orchestrator function '${record.name}' failed: ${error ?? 'no state returned'}`, customStatus, { StackTrace: stack, error });

    const replay = replayActions({
        orchestrationName: record.name,
        instanceId: record.instanceId,
        parentInstanceId: record.parent?.instanceId,
        history,
        actions: state.actions,
        maximumShortTimerMs: MAXIMUM_SHORT_TIMER.ms,
        longTimerIntervalMs: LONG_RUNNING_TIMER_INTERVAL.ms,
        functionExists: request.functionExists,
    });
    if (replay.problem) return failure(request, started, replay.problem, customStatus, { ErrorType: 'NonDeterministicOrchestrationException' });
    if (replay.wouldWaitForever) return wouldWaitForever(request, started, replay.wouldWaitForever, customStatus);
    const threw = error;
    if (invoked.threwNonError) {
        // durable-functions reports a thrown non-Error as `error: exception.message`, undefined: the
        // extension sees no error and an unfinished orchestrator, and waits (OutOfProcOrchestrationShim.cs `HandleDurableTaskReplay`).
        return wouldWaitForever(request, started, 'the orchestrator threw a value that is not an Error: durable-functions reports its `message` (undefined) as the error, so the extension sees no failure and waits for more work; throw an Error', customStatus);
    }

    const scheduled = replay.decisions.map((decision) => schedulingEvent(decision, now, record.instanceId, record.executionId));
    if (replay.openTasks > 0 && (threw !== undefined || state.isDone)) {
        // TaskOrchestrationExecutor.cs `ExecuteCore`: the orchestration completes (or fails) only when it has no open tasks.
        return running(now, started, scheduled, replay, customStatus);
    }
    // Signals and lock releases of a last episode are still sent (the shim's fire-and-forget actions).
    const messages = replay.decisions.filter((decision) => decision.kind === 'entitySignal' || decision.kind === 'lockRelease').map((decision) => schedulingEvent(decision, now, record.instanceId, record.executionId));
    if (threw !== undefined) return failure(request, [...started, ...messages], `Orchestrator function '${record.name}' failed: ${threw}`, customStatus, { StackTrace: stack, error: threw });

    if (state.isDone) {
        const continueAsNew = state.actions.find((action) => action.kind === 'continueAsNew');
        if (continueAsNew && continueAsNew.kind === 'continueAsNew') {
            const input = toJson(continueAsNew.input);
            return { kind: 'continuedAsNew', events: [...started, ...messages, ...closing(now, OrchestrationStatusCode.ContinuedAsNew, input)], input, customStatus };
        }
        const output = toJson(state.output);
        return { kind: 'completed', events: [...started, ...messages, ...closing(now, OrchestrationStatusCode.Completed, output)], output, customStatus };
    }
    return running(now, started, scheduled, replay, customStatus);
}

function running(now: number, started: HistoryEvent[], scheduled: HistoryEvent[], replay: ReturnType<typeof replayActions>, customStatus: string | null): EpisodeOutcome {
    const events = [...started, ...scheduled, { EventType: EventType.OrchestratorCompleted, EventId: -1, IsPlayed: false, Timestamp: isoTime(now) } as HistoryEvent];
    return { kind: 'running', events, decisions: replay.decisions, customStatus, canceledTimers: replay.canceledTimers, warnings: replay.warnings };
}
