import type { Clock } from '../../clock';
import type { Logger } from '../../../lib/logger';
import type { RpcParameterBinding } from '../worker/core-api-types';
import type { RegisteredFunction } from '../worker/functions-core';
import type { InvocationOutcome } from '../worker/invoke-function';
import type { LoadedApp } from '../worker/load-app';
import type { TimedHandle, WorkScheduler } from '../work-scheduler';
import { runActivity } from './activity-execution';
import { isEntityId } from './entities/entity-messages';
import { EntityScheduler } from './entities/entity-scheduler';
import {
    EventType,
    isoTime,
    OrchestrationStatusCode,
    isSchedulingEvent,
    type InboundEvent,
    type SchedulingEvent,
    type SubOrchestrationInstanceCreatedEvent,
    type TaskFailedEvent,
    type TaskScheduledEvent,
    type TimerCreatedEvent,
} from './history-events';
import { executionStarted, newExecutionId, newInstanceRecord } from './new-instance';
import { runEpisode, WOULD_WAIT_FOREVER, type EpisodeOutcome, type SerializedTrigger } from './orchestration-episode';
import type { RetryTimerNote } from './replay-tasks';
import { isTerminal, type DurableStore, type InstanceRecord } from './store';

export type FunctionInvoker = (fn: RegisteredFunction, inputData: RpcParameterBinding[], instanceId: string, serialized?: SerializedTrigger) => Promise<InvocationOutcome>;

export interface DurableEngineDeps {
    readonly store: DurableStore;
    readonly app: LoadedApp;
    readonly clock: Clock;
    readonly scheduler: WorkScheduler;
    readonly logger: Logger;
    readonly invoke: FunctionInvoker;
    /** At-least-once mode: whether this activity execution is delivered a second time. */
    readonly deliverTwice: (key: string) => boolean;
    /** Input data for a function's extra input bindings (an activity's durable client). */
    readonly extraInputs?: (fn: RegisteredFunction) => RpcParameterBinding[];
}

const TRIGGERS = { activity: 'activitytrigger', orchestration: 'orchestrationtrigger', entity: 'entitytrigger' } as const;

/**
 * The Durable Task side of the host: runs orchestrator episodes one at a time per instance, runs
 * activities, fires durable timers, creates sub-orchestrations and reports their end to the parent.
 * Every change to an instance is committed to the store in one synchronous step.
 */
export class DurableEngine {
    private readonly queuedEpisodes = new Set<string>();
    private readonly runningEpisodes = new Set<string>();
    private readonly timers = new Map<string, Map<number, TimedHandle>>();
    private stopped = false;
    private readonly entities: EntityScheduler;

    constructor(private readonly deps: DurableEngineDeps) {
        this.entities = new EntityScheduler({
            store: deps.store,
            now: () => deps.clock.now(),
            find: (name) => this.find(name, 'entity'),
            invoke: deps.invoke,
            deliver: (instanceId, executionId, event) => this.deliver(instanceId, executionId, event),
            requestEpisode: (instanceId) => this.requestEpisode(instanceId),
            stopLoudly: (instanceId, reason) => this.stopLoudly(instanceId, reason),
            warn: (message, fields) => deps.logger.warn(message, fields),
        });
    }

    find(name: string, kind: keyof typeof TRIGGERS): RegisteredFunction | undefined {
        const fn = this.deps.app.find(name);
        return fn && fn.triggerType.toLowerCase() === TRIGGERS[kind] ? fn : undefined;
    }

    stop(): void {
        this.stopped = true;
        this.timers.clear();
    }

    /** Puts an event in an instance's inbox; false when the instance is gone, finished or on another execution. */
    deliver(instanceId: string, executionId: string | undefined, event: InboundEvent): boolean {
        if (this.stopped) return false;
        const record = this.deps.store.get(instanceId);
        if (!record || isTerminal(record.runtimeStatus)) return false;
        if (executionId !== undefined && record.executionId !== executionId) return false;
        record.inbox.push(event);
        this.deps.store.put(record);
        this.requestEpisode(instanceId);
        return true;
    }

    requestEpisode(instanceId: string): void {
        if (this.stopped || this.queuedEpisodes.has(instanceId) || this.runningEpisodes.has(instanceId)) return;
        this.queuedEpisodes.add(instanceId);
        this.deps.scheduler.enqueue(() => this.runEpisodeFor(instanceId));
    }

    /** Starts the work a committed scheduling event stands for (also used when resuming a store). */
    dispatch(record: InstanceRecord, event: SchedulingEvent): void {
        switch (event.EventType) {
            case EventType.TaskScheduled:
                this.deps.scheduler.enqueue(() => this.runActivityFor(record.instanceId, record.executionId, event, false));
                return;
            case EventType.TimerCreated:
                this.scheduleTimer(record.instanceId, record.executionId, event);
                return;
            case EventType.SubOrchestrationInstanceCreated:
                this.createSubOrchestration(record, event);
                return;
            case EventType.EventSent:
                if (!this.stopped) this.entities.send(event);
                return;
        }
    }

    cancelTimers(instanceId: string, ids?: Iterable<number>): void {
        const handles = this.timers.get(instanceId);
        if (!handles) return;
        for (const id of ids ?? [...handles.keys()]) {
            handles.get(id)?.cancel();
            handles.delete(id);
        }
        if (handles.size === 0) this.timers.delete(instanceId);
    }

    /** Reports the end of a sub-orchestration to its parent, as SubOrchestrationInstanceCompleted/Failed. */
    notifyParent(child: InstanceRecord): void {
        const parent = child.parent;
        if (!parent) return;
        const base = { EventId: -1, IsPlayed: false, Timestamp: isoTime(this.deps.clock.now()), TaskScheduledId: parent.taskScheduledId };
        const event: InboundEvent =
            child.runtimeStatus === 'Completed'
                ? { ...base, EventType: EventType.SubOrchestrationInstanceCompleted, Result: child.output ?? 'null' }
                : {
                      ...base,
                      EventType: EventType.SubOrchestrationInstanceFailed,
                      Reason: child.runtimeStatus === 'Terminated' ? `Sub-orchestration '${child.instanceId}' was terminated: ${child.output ?? ''}` : (child.output ?? 'failed'),
                      // OutOfProcOrchestrationShim.cs `ScheduleDurableTaskEvents`: OrchestrationFailureException details are "Message: …, StackTrace: …".
                      Details: child.failureDetails ?? `Message: ${child.output ?? ''}, StackTrace: `,
                  };
        this.deliver(parent.instanceId, parent.executionId, event);
    }

    private scheduleTimer(instanceId: string, executionId: string, event: TimerCreatedEvent): void {
        const handle = this.deps.scheduler.schedule({
            at: Date.parse(event.FireAt),
            drivesClock: true,
            fire: () => {
                this.timers.get(instanceId)?.delete(event.EventId);
                const fired: InboundEvent = { EventType: EventType.TimerFired, EventId: -1, IsPlayed: false, Timestamp: isoTime(this.deps.clock.now()), TimerId: event.EventId, FireAt: event.FireAt };
                this.deliver(instanceId, executionId, fired);
            },
        });
        const handles = this.timers.get(instanceId) ?? new Map<number, TimedHandle>();
        handles.set(event.EventId, handle);
        this.timers.set(instanceId, handles);
    }

    private createSubOrchestration(parent: InstanceRecord, event: SubOrchestrationInstanceCreatedEvent): void {
        const { store, clock } = this.deps;
        const existing = store.get(event.InstanceId);
        if (existing?.parent?.instanceId === parent.instanceId && existing.parent.taskScheduledId === event.EventId) {
            // Already created (a resumed store): only a finished child still owes its parent the result.
            if (isTerminal(existing.runtimeStatus)) this.notifyParent(existing);
            return;
        }
        if (existing && !isTerminal(existing.runtimeStatus)) {
            // Azure drops the start: TaskOrchestrationDispatcher.cs logs "Duplicate start event" and ignores an
            // ExecutionStarted for an instance that has one, and DurableTask.AzureStorage de-duplicates starts only
            // for top-level orchestrations (OrchestrationSessionManager.cs `DedupeExecutionStartedMessagesAsync`).
            // No failure ever reaches the parent.
            this.stopLoudly(
                parent.instanceId,
                `its sub-orchestration start for '${event.InstanceId}' (${event.Name}) is dropped as a duplicate: an instance with that id is ${existing.runtimeStatus}, ` +
                    'and DurableTask drops a start event for a running instance ("Duplicate start event") without telling the parent',
            );
            return;
        }
        this.cancelTimers(event.InstanceId);
        const link = { instanceId: parent.instanceId, taskScheduledId: event.EventId, executionId: parent.executionId };
        store.put(newInstanceRecord(event.InstanceId, event.Name, event.Input, clock.now(), link));
        this.requestEpisode(event.InstanceId);
    }

    private async runActivityFor(instanceId: string, executionId: string, event: TaskScheduledEvent, duplicate: boolean): Promise<void> {
        const { clock, logger } = this.deps;
        const result = await runActivity({
            fn: this.find(event.Name, 'activity'),
            name: event.Name,
            input: event.Input,
            taskScheduledId: event.EventId,
            now: () => clock.now(),
            invoke: (fn, inputData) => this.deps.invoke(fn, [...inputData, ...(this.deps.extraInputs?.(fn) ?? [])], instanceId),
        });
        if (this.stopped) return;
        if (duplicate) {
            logger.info('At-least-once delivery: the second execution of the activity finished; its result is discarded.', { functionName: event.Name, instanceId, taskScheduledId: event.EventId });
            return;
        }
        if (result.EventType === EventType.TaskFailed) logFunctionFailed(logger, instanceId, event.Name, result);
        this.deliver(instanceId, executionId, result);
        if (this.deps.deliverTwice(`${instanceId}|${event.EventId}|${event.Name}|${event.Timestamp}`)) {
            logger.info('At-least-once delivery: executing the activity a second time.', { functionName: event.Name, instanceId, taskScheduledId: event.EventId });
            this.deps.scheduler.enqueue(() => this.runActivityFor(instanceId, executionId, event, true));
        }
    }

    private async runEpisodeFor(instanceId: string): Promise<void> {
        this.queuedEpisodes.delete(instanceId);
        this.runningEpisodes.add(instanceId);
        let crashed = false;
        try {
            await this.runOneEpisode(instanceId);
        } catch (error) {
            // A host bug, not an orchestrator failure: leave the inbox for a restart rather than spin on it.
            crashed = true;
            throw error;
        } finally {
            this.runningEpisodes.delete(instanceId);
            const record = this.deps.store.get(instanceId);
            if (!crashed && record && record.inbox.length > 0 && !isTerminal(record.runtimeStatus)) this.requestEpisode(instanceId);
        }
    }

    private async runOneEpisode(instanceId: string): Promise<void> {
        const { store, clock } = this.deps;
        const record = store.get(instanceId);
        if (!record || this.stopped) return;
        if (isTerminal(record.runtimeStatus)) {
            if (record.inbox.length > 0) {
                record.inbox = [];
                store.put(record);
            }
            return;
        }
        // An entity runs without new messages too: its holder's end makes it look at its queue again.
        if (isEntityId(instanceId)) {
            await this.entities.runEpisode(record);
            return;
        }
        const inboxCount = record.inbox.length;
        if (inboxCount === 0) return;
        const executionId = record.executionId;
        const outcome = await runEpisode({
            record,
            inboxCount,
            now: clock.now(),
            fn: this.find(record.name, 'orchestration'),
            functionExists: (name, kind) => this.find(name, kind) !== undefined,
            invoke: (fn, inputData, serialized) => this.deps.invoke(fn, inputData, instanceId, serialized),
        });
        const current = store.get(instanceId);
        if (this.stopped || !current || current.executionId !== executionId) return;
        this.commit(current, inboxCount, outcome);
    }

    private commit(record: InstanceRecord, inboxCount: number, outcome: EpisodeOutcome): void {
        const { store, clock, logger } = this.deps;
        const now = clock.now();
        record.inbox.splice(0, inboxCount);
        for (const event of outcome.events) event.IsPlayed = true;
        record.history.push(...outcome.events);
        record.lastUpdatedTime = now;
        switch (outcome.kind) {
            case 'running':
                record.runtimeStatus = 'Running';
                record.customStatus = outcome.customStatus;
                store.put(record);
                this.cancelTimers(record.instanceId, outcome.canceledTimers);
                for (const warning of outcome.warnings) logger.warn(warning, { functionName: record.name, instanceId: record.instanceId });
                for (const decision of outcome.decisions) if (decision.kind === 'timer' && decision.retry) logRetryTimer(logger, record.instanceId, decision.id, decision.retry);
                for (const event of outcome.events) {
                    if (isSchedulingEvent(event) && !outcome.canceledTimers.has(event.EventId)) this.dispatch(record, event);
                }
                return;
            case 'continuedAsNew':
                this.cancelTimers(record.instanceId);
                this.entities.sendFinalMessages(outcome.events);
                this.entities.endCriticalSections(record, true);
                record.runtimeStatus = 'ContinuedAsNew';
                record.customStatus = outcome.customStatus;
                record.executionId = newExecutionId();
                record.input = outcome.input;
                record.output = null;
                record.history = [];
                // AzureTableTrackingStore.cs: the instance row's CreatedTime is the ExecutionStarted timestamp of the current generation.
                record.createdTime = now;
                record.inbox.unshift(executionStarted(record.name, outcome.input, now));
                store.put(record);
                this.requestEpisode(record.instanceId);
                return;
            case 'completed':
            case 'failed':
            case 'terminated':
                this.finish(record, outcome);
                return;
        }
    }

    private finish(record: InstanceRecord, outcome: Extract<EpisodeOutcome, { kind: 'completed' | 'failed' | 'terminated' }>): void {
        this.cancelTimers(record.instanceId);
        this.entities.sendFinalMessages(outcome.events);
        record.inbox = [];
        if (outcome.kind === 'terminated') {
            record.runtimeStatus = 'Terminated';
            record.output = outcome.reason;
        } else {
            record.runtimeStatus = outcome.kind === 'completed' ? 'Completed' : 'Failed';
            record.output = outcome.output;
            record.customStatus = outcome.customStatus;
            if (outcome.kind === 'failed') record.failureDetails = outcome.details;
        }
        this.deps.store.put(record);
        this.entities.endCriticalSections(record, outcome.kind === 'completed');
        if (outcome.kind === 'failed') {
            this.deps.logger.error(`Orchestration failed: ${outcome.output}`, { functionName: record.name, instanceId: record.instanceId });
            if (outcome.wouldWaitForever) {
                this.stopAncestors(record);
                return;
            }
        }
        this.notifyParent(record);
    }

    /**
     * Fails an instance that Azure would leave waiting forever, with a message that says why, and every
     * ancestor with it: on Azure they would wait for it forever too. No orchestrator code sees this
     * failure (nothing is delivered), so no try/catch can hide it.
     */
    private stopLoudly(instanceId: string, reason: string): void {
        const record = this.deps.store.get(instanceId);
        if (!record || isTerminal(record.runtimeStatus)) return;
        const now = this.deps.clock.now();
        const message = `Local host stopped orchestration '${record.name}' (${record.instanceId}): ${WOULD_WAIT_FOREVER} ${reason}.`;
        this.cancelTimers(instanceId);
        record.inbox = [];
        record.history.push({
            EventType: EventType.ExecutionCompleted,
            EventId: -1,
            IsPlayed: true,
            Timestamp: isoTime(now),
            OrchestrationStatus: OrchestrationStatusCode.Failed,
            Result: message,
            FailureDetails: { ErrorType: 'LocalHostWouldWaitForever', ErrorMessage: message },
        });
        record.runtimeStatus = 'Failed';
        record.output = message;
        record.failureDetails = `Message: ${message}, StackTrace: `;
        record.lastUpdatedTime = now;
        this.deps.store.put(record);
        this.deps.logger.error(message, { functionName: record.name, instanceId: record.instanceId });
        this.entities.endCriticalSections(record, false);
        this.stopAncestors(record);
    }

    private stopAncestors(record: InstanceRecord): void {
        const parent = record.parent && this.deps.store.get(record.parent.instanceId);
        if (parent && parent.executionId === record.parent?.executionId) this.stopLoudly(parent.instanceId, `it waits for its sub-orchestration '${record.instanceId}', which would wait forever`);
    }
}

/**
 * The extension's trace of a failed activity execution (azure-functions-durable-extension
 * src/WebJobs.Extensions.DurableTask/EndToEndTraceHelper.cs `FunctionFailed`: "{instanceId}: Function
 * '{functionName} ({functionType})' failed with an error. Reason: {reason}. … TaskEventId"), one per
 * failed attempt, retried or not.
 */
function logFunctionFailed(logger: Logger, instanceId: string, functionName: string, failed: TaskFailedEvent): void {
    logger.warn(`${instanceId}: Function '${functionName} (Activity)' failed with an error. Reason: ${failed.Reason ?? ''}. IsReplay: False. State: Failed.`, {
        event: 'FunctionFailed',
        instanceId,
        functionName,
        functionType: 'Activity',
        taskEventId: failed.TaskScheduledId,
    });
}

/**
 * The retry timer DurableTask.Core's RetryInterceptor creates after a failed attempt (Azure/durabletask
 * src/DurableTask.Core/RetryInterceptor.cs `Invoke`: `context.CreateTimer(retryAt, …)`), which the
 * instance's history shows as TimerCreated: logged once, when the timer is created, with the attempt
 * that failed and the wait before the next.
 */
function logRetryTimer(logger: Logger, instanceId: string, timerId: number, retry: RetryTimerNote): void {
    logger.warn(`${instanceId}: ${retry.functionName} attempt ${retry.failedAttempt} of ${retry.of} failed; retrying in ${retry.waitMs} ms (timer #${timerId})`, {
        event: 'RetryTimerCreated',
        instanceId,
        functionName: retry.functionName,
        attempt: retry.failedAttempt,
        of: retry.of,
        waitMs: retry.waitMs,
        timerId,
    });
}
