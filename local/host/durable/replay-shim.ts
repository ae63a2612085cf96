import { entityMessageName, newRequestId, requestIdOf } from './entities/entity-messages';
import { EventType, eventTypeName, isSchedulingEvent, type HistoryEvent, type SchedulingEvent } from './history-events';
import type { OrchestratorAction } from './orchestrator-state';
import { describeAction, taskForAction, type LeafRequest, type LeafTask, type ReplayScope, type SimTask } from './replay-tasks';

/** `requestId`: for an entity call, the id its response will carry (recorded in the EventSent). */
export type Decision = LeafRequest & { readonly id: number; readonly requestId?: string };

export interface ReplayOutcome {
    /** Work the episode schedules, in sequence-number order. */
    readonly decisions: readonly Decision[];
    /** Set when the actions contradict the history (non-determinism) or cannot run here. */
    readonly problem: string | undefined;
    /** Sequence numbers of timers the orchestrator has canceled. */
    readonly canceledTimers: ReadonlySet<number>;
    readonly warnings: readonly string[];
    /** Set when Azure would leave the instance waiting forever; the host stops it loudly instead. */
    readonly wouldWaitForever: string | undefined;
    /**
     * Scheduled tasks (in the history or scheduled now) with no completion yet, canceled timers
     * excepted. DurableTask.Core completes an orchestration only when it has none
     * (TaskOrchestrationExecutor.cs, `ExecuteCore`: `if (!this.context.HasOpenTasks)`).
     */
    readonly openTasks: number;
}

export interface ReplayInput {
    readonly orchestrationName: string;
    readonly instanceId: string;
    readonly parentInstanceId: string | undefined;
    readonly history: readonly HistoryEvent[];
    readonly actions: readonly OrchestratorAction[];
    readonly maximumShortTimerMs: number;
    readonly longTimerIntervalMs: number;
    /** Whether the app registered a function of that kind (the extension checks before scheduling). */
    readonly functionExists: (name: string, kind: 'activity' | 'orchestration') => boolean;
}

function describeScheduled(event: SchedulingEvent): string {
    switch (event.EventType) {
        case EventType.TaskScheduled:
            return `TaskScheduled '${event.Name}'`;
        case EventType.SubOrchestrationInstanceCreated:
            return `SubOrchestrationInstanceCreated '${event.Name}'`;
        case EventType.TimerCreated:
            return `TimerCreated ${event.FireAt}`;
        case EventType.EventSent:
            return `EventSent '${event.Name}' to '${event.InstanceId}'`;
    }
}

function describeRequest(request: LeafRequest): string {
    switch (request.kind) {
        case 'activity':
            return `activity '${request.name}'`;
        case 'subOrchestration':
            return `sub-orchestration '${request.name}'`;
        case 'timer':
            return `timer ${new Date(request.fireAt).toISOString()}`;
        case 'entityCall':
        case 'entitySignal':
            return `${request.kind === 'entityCall' ? 'call' : 'signal'} of '${request.operation}' on entity '${request.entity}'`;
        case 'lockRequest':
            return `lock request to entity '${request.entity}'`;
        case 'lockRelease':
            return `lock release to entity '${request.entity}'`;
    }
}

/**
 * A signal or a lock release is a message sent (DurableTask.Core `SendEventOrchestratorAction`), not a
 * task: nothing completes it, so it never keeps an orchestration open.
 */
function isFireAndForget(request: LeafRequest): boolean {
    return request.kind === 'entitySignal' || request.kind === 'lockRelease';
}

function matches(request: LeafRequest, event: SchedulingEvent): boolean {
    switch (request.kind) {
        case 'activity':
            return event.EventType === EventType.TaskScheduled && event.Name === request.name;
        case 'subOrchestration':
            return event.EventType === EventType.SubOrchestrationInstanceCreated && event.Name === request.name;
        case 'timer':
            return event.EventType === EventType.TimerCreated;
        default:
            return event.EventType === EventType.EventSent && event.InstanceId === request.entity && event.Name === entityMessageName(request);
    }
}

function completes(request: LeafRequest, event: HistoryEvent): boolean {
    switch (request.kind) {
        case 'activity':
            return event.EventType === EventType.TaskCompleted || event.EventType === EventType.TaskFailed;
        case 'subOrchestration':
            return event.EventType === EventType.SubOrchestrationInstanceCompleted || event.EventType === EventType.SubOrchestrationInstanceFailed;
        case 'timer':
            return event.EventType === EventType.TimerFired;
        default:
            // Entity responses and lock grants arrive as EventRaised named by the request id.
            return false;
    }
}

/**
 * Replays an out-of-process orchestrator's actions against its history the way the Durable
 * extension does (OutOfProcOrchestrationShim, replay schema V2+): each top-level action is started
 * in order and awaited before the next one; sequence numbers are handed out as tasks are scheduled,
 * including the retry timers and re-attempts the extension adds for `...WithRetry` calls. A
 * scheduled task that disagrees with the event of the same sequence number in the history, or a
 * history event the orchestrator no longer schedules, is non-determinism.
 */
class ActionReplay implements ReplayScope {
    now = 0;
    readonly maximumShortTimerMs: number;
    readonly longTimerIntervalMs: number;
    private nextId = 0;
    private cursor = 0;
    private current: SimTask | undefined;
    private issuing = false;
    private readonly scheduledInHistory = new Map<number, SchedulingEvent>();
    private readonly matched = new Set<number>();
    private readonly leaves = new Map<number, LeafTask>();
    private readonly eventWaiters = new Map<string, SimTask[]>();
    private readonly bufferedEvents = new Map<string, number>();
    readonly decisions: Decision[] = [];
    readonly canceledTimers = new Set<number>();
    readonly warnings: string[] = [];
    heldLock: ReplayScope['heldLock'];
    problem: string | undefined;
    hang: string | undefined;

    constructor(private readonly input: ReplayInput) {
        this.maximumShortTimerMs = input.maximumShortTimerMs;
        this.longTimerIntervalMs = input.longTimerIntervalMs;
        for (const event of input.history) {
            if (isSchedulingEvent(event)) this.scheduledInHistory.set(event.EventId, event);
        }
    }

    run(): ReplayOutcome {
        for (const event of this.input.history) {
            if (this.problem || this.hang) break;
            this.apply(event);
        }
        if (!this.problem && !this.hang) this.checkEverythingScheduledIsStillScheduled();
        const openTasks = [...this.leaves].filter(([id, leaf]) => !leaf.done && !this.canceledTimers.has(id) && !isFireAndForget(leaf.request)).length;
        return { decisions: this.decisions, problem: this.problem, canceledTimers: this.canceledTimers, warnings: this.warnings, wouldWaitForever: this.hang, openTasks };
    }

    schedule(request: LeafRequest, leaf: LeafTask): number {
        this.checkFunctionExists(request);
        if (request.kind === 'subOrchestration') this.checkSubOrchestrationId(request.instanceId);
        const id = this.nextId++;
        this.leaves.set(id, leaf);
        const existing = this.scheduledInHistory.get(id);
        let requestId: string | undefined;
        if (existing) {
            this.matched.add(id);
            if (!matches(request, existing)) {
                this.nonDeterministic(`the orchestrator now schedules ${describeRequest(request)} as task #${id}, but its history has ${describeScheduled(existing)} there`);
            }
            if (existing.EventType === EventType.EventSent) requestId = requestIdOf(existing);
        } else {
            requestId = request.kind === 'lockRequest' ? request.lockRequestId : request.kind === 'entityCall' ? newRequestId() : undefined;
            this.decisions.push({ ...request, id, ...(requestId === undefined ? {} : { requestId }) });
        }
        // The response to a call, or the grant of a lock, is an EventRaised named by the request id.
        if ((request.kind === 'entityCall' || request.kind === 'lockRequest') && requestId !== undefined) this.waitForEvent(requestId, leaf);
        return id;
    }

    /**
     * The extension checks that the function exists before it schedules anything
     * (DurableOrchestrationContext.cs `CallDurableTaskFunctionAsync` → DurableTaskExtension.cs
     * `ThrowIfFunctionDoesNotExist`); for an out-of-process orchestrator that exception never reaches
     * the orchestration, which sleeps forever (azure-functions-durable-js#197, open).
     */
    private checkFunctionExists(request: LeafRequest): void {
        if (request.kind !== 'activity' && request.kind !== 'subOrchestration') return;
        const kind = request.kind === 'activity' ? 'activity' : 'orchestration';
        if (!this.input.functionExists(request.name, kind)) {
            const label = kind === 'activity' ? 'an activity function' : 'an orchestrator function';
            this.wouldWaitForever(
                `it calls the function '${request.name}', which doesn't exist, is disabled, or is not ${label}: the extension refuses to schedule it, ` +
                    'and that refusal never reaches a durable-functions orchestrator (azure-functions-durable-js#197)',
            );
        }
    }

    /** DurableOrchestrationContext.cs `CallDurableTaskFunctionAsync`: a sub-orchestration may not reuse its own or its parent's id, nor start with @. */
    private checkSubOrchestrationId(instanceId: string | undefined): void {
        if (instanceId === undefined) return;
        const lower = instanceId.toLowerCase();
        const own = lower === this.input.instanceId.toLowerCase() || (this.input.parentInstanceId !== undefined && lower === this.input.parentInstanceId.toLowerCase());
        if (own || instanceId.startsWith('@')) {
            const why = own ? 'the instance ID of a sub-orchestration must be different than the instance ID of a parent orchestration' : 'orchestration instance ids must not start with @';
            this.wouldWaitForever(
                `it starts a sub-orchestration with the instance id '${instanceId}', which the extension refuses (${why}); that refusal never reaches a durable-functions orchestrator (azure-functions-durable-js#197)`,
            );
        }
    }

    wouldWaitForever(reason: string): void {
        this.hang ??= reason;
    }

    waitForEvent(name: string, task: SimTask): void {
        const buffered = this.bufferedEvents.get(name) ?? 0;
        if (buffered > 0) {
            this.bufferedEvents.set(name, buffered - 1);
            task.finish(false);
            return;
        }
        const waiters = this.eventWaiters.get(name) ?? [];
        waiters.push(task);
        this.eventWaiters.set(name, waiters);
    }

    timerCanceled(id: number): void {
        this.canceledTimers.add(id);
    }

    warn(message: string): void {
        this.warnings.push(message);
    }

    unsupported(detail: string): void {
        this.problem ??= `Orchestration '${this.input.orchestrationName}' cannot run on the local host: ${detail}.`;
    }

    private nonDeterministic(detail: string): void {
        this.problem ??= `Non-deterministic orchestration '${this.input.orchestrationName}': ${detail}. Was the orchestrator changed, or does it depend on something other than its history?`;
    }

    private apply(event: HistoryEvent): void {
        switch (event.EventType) {
            case EventType.OrchestratorStarted:
                this.now = Date.parse(event.Timestamp);
                return;
            case EventType.ExecutionStarted:
                this.issueNext();
                return;
            case EventType.EventRaised:
                this.deliverEvent(event.Name);
                return;
            case EventType.TaskCompleted:
            case EventType.TaskFailed:
            case EventType.SubOrchestrationInstanceCompleted:
            case EventType.SubOrchestrationInstanceFailed:
                this.complete(event.TaskScheduledId, event);
                return;
            case EventType.TimerFired:
                this.complete(event.TimerId, event);
                return;
            default:
                return;
        }
    }

    private complete(id: number, event: HistoryEvent): void {
        const leaf = this.leaves.get(id);
        if (!leaf) return; // reported at the end if the history also scheduled it
        if (!completes(leaf.request, event)) {
            this.nonDeterministic(`its history completes task #${id} with ${eventTypeName(event.EventType)}, but the orchestrator now waits for ${describeRequest(leaf.request)} there`);
            return;
        }
        const failed = event.EventType === EventType.TaskFailed || event.EventType === EventType.SubOrchestrationInstanceFailed;
        leaf.finish(failed);
    }

    /** Waiters for one name are a stack, as in the extension's DurableOrchestrationContext.RaiseEvent. */
    private deliverEvent(name: string): void {
        const waiter = this.eventWaiters.get(name)?.pop();
        if (waiter) waiter.finish(false);
        else this.bufferedEvents.set(name, (this.bufferedEvents.get(name) ?? 0) + 1);
    }

    /** Starts the next top-level action once the current one is done (the shim's `await`). */
    private issueNext(): void {
        if (this.issuing) return;
        this.issuing = true;
        try {
            while ((!this.current || this.current.done) && this.cursor < this.input.actions.length && !this.problem && !this.hang) {
                const action = this.input.actions[this.cursor++] as OrchestratorAction;
                const task = taskForAction(action, this);
                this.current = task;
                task.onDone(() => this.issueNext());
                task.start(this);
            }
        } finally {
            this.issuing = false;
        }
    }

    private checkEverythingScheduledIsStillScheduled(): void {
        for (const [id, event] of this.scheduledInHistory) {
            if (!this.matched.has(id)) {
                const next = this.input.actions[this.cursor];
                const now = next ? `; the orchestrator's next action is ${describeAction(next)}` : '';
                this.nonDeterministic(`its history has ${describeScheduled(event)} as task #${id}, which the orchestrator no longer schedules${now}`);
                return;
            }
        }
    }
}

export function replayActions(input: ReplayInput): ReplayOutcome {
    return new ActionReplay(input).run();
}
