import type { OrchestratorAction, RetryOptionsWire } from './orchestrator-state';
import { nextRetryDelayMs } from './retry-policy';

/** Work the host must schedule: a leaf of the task tree, identified by its sequence number. */
export type LeafRequest =
    | { readonly kind: 'activity'; readonly name: string; readonly input: unknown }
    | { readonly kind: 'subOrchestration'; readonly name: string; readonly instanceId: string | undefined; readonly input: unknown }
    | { readonly kind: 'timer'; readonly fireAt: number; readonly retry?: RetryTimerNote }
    | EntityMessageRequest;

/**
 * A message to an entity, written as EventSent (see entities/entity-messages.ts): an operation the
 * orchestration waits for, a signal, a lock request (waits for the grant) or a release.
 */
export type EntityMessageRequest =
    | { readonly kind: 'entityCall' | 'entitySignal'; readonly entity: string; readonly operation: string; readonly input: unknown }
    | { readonly kind: 'lockRequest'; readonly entity: string; readonly lockRequestId: string; readonly lockSet: readonly string[] }
    | { readonly kind: 'lockRelease'; readonly entity: string; readonly lockRequestId: string };

/** A retry timer the extension's RetryInterceptor adds after a failed attempt: which call, which attempt failed, of how many. */
export interface RetryTimerNote {
    readonly functionName: string;
    readonly failedAttempt: number;
    readonly of: number;
    readonly waitMs: number;
}

/** What the task tree needs from the replay: the orchestration clock and a way to schedule leaves. */
export interface ReplayScope {
    readonly now: number;
    readonly maximumShortTimerMs: number;
    readonly longTimerIntervalMs: number;
    schedule(request: LeafRequest, leaf: LeafTask): number;
    waitForEvent(name: string, task: SimTask): void;
    timerCanceled(id: number): void;
    /** The lock the orchestration holds (set by a LockEntities action, cleared by ReleaseEntities). */
    heldLock: { readonly lockRequestId: string; readonly lockSet: readonly string[] } | undefined;
    warn(message: string): void;
    unsupported(detail: string): void;
    /** Where Azure would leave the instance waiting forever: the host stops it loudly instead. */
    wouldWaitForever(reason: string): void;
}

type DoneListener = (task: SimTask) => void;

/**
 * A task as the Durable extension's .NET side sees it while it replays the actions of an
 * out-of-process orchestrator (OutOfProcOrchestrationShim): it completes or fails once.
 */
export abstract class SimTask {
    done = false;
    failed = false;
    private listeners: DoneListener[] = [];

    abstract start(scope: ReplayScope): void;

    onDone(listener: DoneListener): void {
        if (this.done) listener(this);
        else this.listeners.push(listener);
    }

    finish(failed: boolean): void {
        if (this.done) return;
        this.done = true;
        this.failed = failed;
        const listeners = this.listeners;
        this.listeners = [];
        for (const listener of listeners) listener(this);
    }
}

/** One scheduled unit with a sequence number: an activity, a sub-orchestration or a timer. */
export class LeafTask extends SimTask {
    id = -1;

    constructor(readonly request: LeafRequest) {
        super();
    }

    start(scope: ReplayScope): void {
        this.id = scope.schedule(this.request, this);
    }
}

class CompletedTask extends SimTask {
    start(): void {
        this.finish(false);
    }
}

class EventTask extends SimTask {
    constructor(readonly name: string) {
        super();
    }

    start(scope: ReplayScope): void {
        scope.waitForEvent(this.name, this);
    }
}

/** A durable timer; past `maximumShortTimerDuration` it is a chain of shorter timers, as in the extension. */
class TimerTask extends SimTask {
    constructor(
        private readonly fireAt: number,
        private readonly isCanceled: boolean,
    ) {
        super();
    }

    start(scope: ReplayScope): void {
        const leaf = this.scheduleNext(scope);
        if (this.isCanceled) {
            scope.timerCanceled(leaf.id);
            this.finish(false);
        }
    }

    private scheduleNext(scope: ReplayScope): LeafTask {
        const fireAt = this.fireAt - scope.now > scope.maximumShortTimerMs ? scope.now + scope.longTimerIntervalMs : this.fireAt;
        const leaf = new LeafTask({ kind: 'timer', fireAt });
        leaf.onDone(() => {
            if (this.done) return;
            if (this.fireAt > scope.now) this.scheduleNext(scope);
            else this.finish(false);
        });
        leaf.start(scope);
        return leaf;
    }
}

/**
 * DurableTask.Core's RetryInterceptor (Azure/durabletask src/DurableTask.Core/RetryInterceptor.cs,
 * `Invoke`): attempt; after a failure that was not the last, a retry timer of ComputeNextDelay, then
 * the next attempt; after the last failed attempt a "dummy timer for back-compat" that fires at
 * once (CurrentUtcDateTime), then the failure completes the task. durable-functions' RetryableTask
 * waits for a timer after every failed attempt, so when ComputeNextDelay returns zero (the retry
 * timeout has passed before the last attempt) the extension creates no timer and the JavaScript side
 * waits for one forever (azure-functions-durable-js#629).
 */
class RetryTask extends SimTask {
    private retryCount = 0;
    private firstAttemptAt = 0;

    constructor(
        private readonly attempt: () => LeafRequest,
        private readonly options: RetryOptionsWire,
        private readonly describe: string,
        private readonly functionName: string,
    ) {
        super();
    }

    start(scope: ReplayScope): void {
        this.firstAttemptAt = scope.now;
        this.runAttempt(scope);
    }

    private runAttempt(scope: ReplayScope): void {
        const leaf = new LeafTask(this.attempt());
        leaf.onDone(() => {
            if (!leaf.failed) this.finish(false);
            else this.afterFailure(scope);
        });
        leaf.start(scope);
    }

    private afterFailure(scope: ReplayScope): void {
        if (this.retryCount + 1 >= this.options.maxNumberOfAttempts) {
            const dummy = new LeafTask({ kind: 'timer', fireAt: scope.now });
            dummy.onDone(() => this.finish(true));
            dummy.start(scope);
            return;
        }
        const delay = nextRetryDelayMs(this.options, this.retryCount, this.firstAttemptAt, scope.now);
        if (delay <= 0) {
            scope.wouldWaitForever(
                `${this.describe} failed attempt ${this.retryCount + 1} of ${this.options.maxNumberOfAttempts} after its retry timeout ` +
                    `(${this.options.retryTimeoutInMilliseconds ?? 0} ms) had passed: the extension's RetryInterceptor then creates no retry timer, ` +
                    'and durable-functions waits for one (azure-functions-durable-js#629). Make the attempts run out before the retry timeout.',
            );
            return;
        }
        const retry: RetryTimerNote = { functionName: this.functionName, failedAttempt: this.retryCount + 1, of: this.options.maxNumberOfAttempts, waitMs: delay };
        const timer = new LeafTask({ kind: 'timer', fireAt: scope.now + delay, retry });
        timer.onDone(() => {
            this.retryCount += 1;
            this.runAttempt(scope);
        });
        timer.start(scope);
    }
}

/**
 * CallEntity: the message is sent (one sequence number) and the task completes when the entity's
 * response arrives as an EventRaised named by the request id (the scope registers it when it
 * schedules the leaf). LockEntities is the same with the lock request id, and the lock is then held.
 */
class EntityRequestTask extends SimTask {
    constructor(private readonly request: EntityMessageRequest) {
        super();
    }

    start(scope: ReplayScope): void {
        const leaf = new LeafTask(this.request);
        leaf.onDone(() => this.finish(leaf.failed));
        leaf.start(scope);
        if (this.request.kind === 'lockRequest') scope.heldLock = { lockRequestId: this.request.lockRequestId, lockSet: this.request.lockSet };
    }
}

/**
 * Fire and forget (SignalEntity, ReleaseEntities): each message takes a sequence number and the
 * task is done at once, as the shim's `fireAndForgetTask`. A release sends one message per locked
 * entity (durable-functions counts one sequence number per entity of the lock set).
 */
class FireAndForgetTask extends SimTask {
    constructor(private readonly messages: (scope: ReplayScope) => readonly EntityMessageRequest[]) {
        super();
    }

    start(scope: ReplayScope): void {
        for (const message of this.messages(scope)) new LeafTask(message).start(scope);
        this.finish(false);
    }
}

function releaseMessages(scope: ReplayScope): EntityMessageRequest[] {
    const held = scope.heldLock;
    if (held === undefined) {
        scope.unsupported('ReleaseEntities without a lock held');
        return [];
    }
    scope.heldLock = undefined;
    return held.lockSet.map((entity) => ({ kind: 'lockRelease', entity, lockRequestId: held.lockRequestId }));
}

class WhenAllTask extends SimTask {
    constructor(private readonly children: readonly SimTask[]) {
        super();
    }

    start(scope: ReplayScope): void {
        let remaining = this.children.length;
        let anyFailed = false;
        for (const child of this.children) {
            child.onDone((done) => {
                anyFailed ||= done.failed;
                remaining -= 1;
                if (remaining === 0) this.finish(anyFailed);
            });
            child.start(scope);
        }
        if (this.children.length === 0) this.finish(false);
    }
}

class WhenAnyTask extends SimTask {
    constructor(private readonly children: readonly SimTask[]) {
        super();
    }

    start(scope: ReplayScope): void {
        for (const child of this.children) {
            child.onDone(() => this.finish(false));
            child.start(scope);
        }
    }
}

export function describeAction(action: OrchestratorAction): string {
    switch (action.kind) {
        case 'callActivity':
            return `${action.retry ? 'CallActivityWithRetry' : 'CallActivity'} '${action.functionName}'`;
        case 'callSubOrchestrator':
            return `${action.retry ? 'CallSubOrchestratorWithRetry' : 'CallSubOrchestrator'} '${action.functionName}'`;
        case 'createTimer':
            return `CreateTimer ${new Date(action.fireAt).toISOString()}`;
        case 'waitForExternalEvent':
            return `WaitForExternalEvent '${action.name}'`;
        case 'continueAsNew':
            return 'ContinueAsNew';
        case 'callEntity':
            return `CallEntity '${action.entity}' '${action.operation}'`;
        case 'signalEntity':
            return `SignalEntity '${action.entity}' '${action.operation}'`;
        case 'lockEntities':
            return `LockEntities ${action.lockSet.join(', ')}`;
        case 'releaseEntities':
            return 'ReleaseEntities';
        case 'whenAll':
        case 'whenAny':
            return action.kind === 'whenAll' ? 'Task.all' : 'Task.any';
        case 'unsupported':
            return `action type ${action.actionType}`;
    }
}

/** Builds the .NET-side task for one action, as OutOfProcOrchestrationShim.InvokeAPIFromAction does. */
export function taskForAction(action: OrchestratorAction, scope: ReplayScope): SimTask {
    switch (action.kind) {
        case 'callActivity': {
            const attempt = (): LeafRequest => ({ kind: 'activity', name: action.functionName, input: action.input });
            return action.retry ? new RetryTask(attempt, action.retry, describeAction(action), action.functionName) : new LeafTask(attempt());
        }
        case 'callSubOrchestrator': {
            const attempt = (): LeafRequest => ({ kind: 'subOrchestration', name: action.functionName, instanceId: action.instanceId, input: action.input });
            return action.retry ? new RetryTask(attempt, action.retry, describeAction(action), action.functionName) : new LeafTask(attempt());
        }
        case 'createTimer':
            return new TimerTask(action.fireAt, action.isCanceled);
        case 'waitForExternalEvent':
            return new EventTask(action.name);
        case 'continueAsNew':
            return new CompletedTask();
        case 'callEntity':
            return new EntityRequestTask({ kind: 'entityCall', entity: action.entity, operation: action.operation, input: action.input });
        case 'signalEntity':
            return new FireAndForgetTask(() => [{ kind: 'entitySignal', entity: action.entity, operation: action.operation, input: action.input }]);
        case 'lockEntities': {
            const first = action.lockSet[0];
            if (first === undefined) {
                scope.unsupported('LockEntities with an empty lock set');
                return new CompletedTask();
            }
            return new EntityRequestTask({ kind: 'lockRequest', entity: first, lockRequestId: action.lockRequestId, lockSet: action.lockSet });
        }
        case 'releaseEntities':
            return new FireAndForgetTask(releaseMessages);
        case 'whenAll':
            return new WhenAllTask(action.children.map((child) => taskForAction(child, scope)));
        case 'whenAny':
            return new WhenAnyTask(action.children.map((child) => taskForAction(child, scope)));
        case 'unsupported':
            scope.unsupported(`the local host does not implement ${describeAction(action)} (callHttp is not supported)`);
            return new CompletedTask();
    }
}
