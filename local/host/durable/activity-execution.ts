import type { RpcParameterBinding } from '../worker/core-api-types';
import type { RegisteredFunction } from '../worker/functions-core';
import type { InvocationFailure, InvocationOutcome } from '../worker/invoke-function';
import { fromTypedData, toTypedData } from '../worker/typed-data';
import { throughExtension } from './extension-json';
import { EventType, isoTime, type FailureDetails, type TaskCompletedEvent, type TaskFailedEvent } from './history-events';

export interface ActivityRequest {
    readonly fn: RegisteredFunction | undefined;
    readonly name: string;
    /** TaskScheduled.Input: the JSON of the action's input. */
    readonly input: string | null;
    readonly taskScheduledId: number;
    readonly now: () => number;
    readonly invoke: (fn: RegisteredFunction, inputData: RpcParameterBinding[]) => Promise<InvocationOutcome>;
}

export type ActivityResult = TaskCompletedEvent | TaskFailedEvent;

/**
 * durable-functions rewrites an activity error's message into this JSON when an exception
 * properties provider is registered; the extension turns it into FailureDetails.
 */
function failureDetailsFromMessage(message: string): FailureDetails | undefined {
    if (!message.startsWith('{')) return undefined;
    try {
        const parsed = JSON.parse(message) as Record<string, unknown>;
        if (typeof parsed.errorType !== 'string' || typeof parsed.errorMessage !== 'string') return undefined;
        return {
            ErrorType: parsed.errorType,
            ErrorMessage: parsed.errorMessage,
            ...(typeof parsed.stackTrace === 'string' ? { StackTrace: parsed.stackTrace } : {}),
            IsNonRetriable: parsed.isNonRetriable === true,
            ...(typeof parsed.properties === 'object' && parsed.properties !== null ? { Properties: parsed.properties as Record<string, unknown> } : {}),
        };
    } catch {
        return undefined;
    }
}

function failed(request: ActivityRequest, failure: InvocationFailure): TaskFailedEvent {
    const details = failureDetailsFromMessage(failure.message);
    const message = details?.ErrorMessage ?? failure.message;
    return {
        EventType: EventType.TaskFailed,
        EventId: -1,
        IsPlayed: false,
        Timestamp: isoTime(request.now()),
        TaskScheduledId: request.taskScheduledId,
        Reason: `Activity function '${request.name}' failed: ${message}`,
        Details: JSON.stringify({ Message: message, StackTrace: failure.stack ?? null }),
        ...(details ? { FailureDetails: details } : {}),
    };
}

/** Runs one activity execution and returns the event the orchestration will receive. */
export async function runActivity(request: ActivityRequest): Promise<ActivityResult> {
    if (!request.fn) {
        return failed(request, { message: `The function '${request.name}' doesn't exist, is disabled, or is not an activity function.`, stack: undefined });
    }
    let outcome: InvocationOutcome;
    try {
        const data = toTypedData(request.input === null ? undefined : (JSON.parse(request.input) as unknown));
        outcome = await request.invoke(request.fn, [{ name: request.fn.triggerName, ...(data ? { data } : {}) }]);
    } catch (error) {
        return failed(request, { message: error instanceof Error ? error.message : String(error), stack: error instanceof Error ? error.stack : undefined });
    }
    if (!outcome.ok) return failed(request, outcome.failure);
    const result = fromTypedData(outcome.response.returnValue);
    return {
        EventType: EventType.TaskCompleted,
        EventId: -1,
        IsPlayed: false,
        Timestamp: isoTime(request.now()),
        TaskScheduledId: request.taskScheduledId,
        Result: throughExtension(JSON.stringify(result ?? null)) ?? 'null',
    };
}
