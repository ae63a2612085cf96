import { LocalHostError } from '../errors';

/** durable-functions `ActionType` numbers, as found in the `actions` an orchestrator episode returns. */
export const ActionType = {
    CallActivity: 0,
    CallActivityWithRetry: 1,
    CallSubOrchestrator: 2,
    CallSubOrchestratorWithRetry: 3,
    ContinueAsNew: 4,
    CreateTimer: 5,
    WaitForExternalEvent: 6,
    CallEntity: 7,
    CallHttp: 8,
    SignalEntity: 9,
    WhenAny: 11,
    WhenAll: 12,
    LockEntities: 13,
    ReleaseEntities: 14,
} as const;

export interface RetryOptionsWire {
    readonly firstRetryIntervalInMilliseconds: number;
    readonly maxNumberOfAttempts: number;
    readonly backoffCoefficient?: number;
    readonly maxRetryIntervalInMilliseconds?: number;
    readonly retryTimeoutInMilliseconds?: number;
}

export type OrchestratorAction =
    | { readonly kind: 'callActivity'; readonly functionName: string; readonly input: unknown; readonly retry?: RetryOptionsWire }
    | { readonly kind: 'callSubOrchestrator'; readonly functionName: string; readonly instanceId?: string; readonly input: unknown; readonly retry?: RetryOptionsWire }
    | { readonly kind: 'continueAsNew'; readonly input: unknown }
    | { readonly kind: 'createTimer'; readonly fireAt: number; readonly isCanceled: boolean }
    | { readonly kind: 'waitForExternalEvent'; readonly name: string }
    | { readonly kind: 'whenAll' | 'whenAny'; readonly children: readonly OrchestratorAction[] }
    /** Entities (durable-functions CallEntityAction, SignalEntityAction): `entity` is the scheduler id `@name@key`. */
    | { readonly kind: 'callEntity' | 'signalEntity'; readonly entity: string; readonly operation: string; readonly input: unknown }
    /** A critical section (LockEntitiesAction, schema V4): its lock request id and the sorted, deduplicated lock set. */
    | { readonly kind: 'lockEntities'; readonly lockRequestId: string; readonly lockSet: readonly string[] }
    /** The end of the critical section (ReleaseEntitiesAction): one release message per locked entity. */
    | { readonly kind: 'releaseEntities' }
    | { readonly kind: 'unsupported'; readonly actionType: number };

/** What the orchestration trigger returns (durable-functions `OrchestratorState`), validated. */
export interface OrchestratorState {
    readonly isDone: boolean;
    readonly actions: readonly OrchestratorAction[];
    readonly output: unknown;
    readonly error: string | undefined;
    readonly customStatus: unknown;
    readonly schemaVersion: number;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalid(detail: string): LocalHostError {
    return new LocalHostError('orchestrator-state', `The orchestrator returned a state the host cannot read: ${detail}`);
}

function requireString(raw: Json, field: string): string {
    const value = raw[field];
    if (typeof value !== 'string' || value.length === 0) throw invalid(`"${field}" must be a non-empty string`);
    return value;
}

function parseRetry(raw: unknown): RetryOptionsWire {
    if (!isObject(raw) || typeof raw.firstRetryIntervalInMilliseconds !== 'number' || typeof raw.maxNumberOfAttempts !== 'number') {
        throw invalid('retryOptions needs firstRetryIntervalInMilliseconds and maxNumberOfAttempts');
    }
    const optional = (field: string): number | undefined => (typeof raw[field] === 'number' ? raw[field] : undefined);
    return {
        firstRetryIntervalInMilliseconds: raw.firstRetryIntervalInMilliseconds,
        maxNumberOfAttempts: raw.maxNumberOfAttempts,
        backoffCoefficient: optional('backoffCoefficient'),
        maxRetryIntervalInMilliseconds: optional('maxRetryIntervalInMilliseconds'),
        retryTimeoutInMilliseconds: optional('retryTimeoutInMilliseconds'),
    };
}

function parseAction(raw: unknown): OrchestratorAction {
    if (!isObject(raw) || typeof raw.actionType !== 'number') throw invalid('an action without a numeric actionType');
    switch (raw.actionType) {
        case ActionType.CallActivity:
            return { kind: 'callActivity', functionName: requireString(raw, 'functionName'), input: raw.input };
        case ActionType.CallActivityWithRetry:
            return { kind: 'callActivity', functionName: requireString(raw, 'functionName'), input: raw.input, retry: parseRetry(raw.retryOptions) };
        case ActionType.CallSubOrchestrator:
        case ActionType.CallSubOrchestratorWithRetry: {
            const instanceId = typeof raw.instanceId === 'string' && raw.instanceId.length > 0 ? raw.instanceId : undefined;
            const retry = raw.actionType === ActionType.CallSubOrchestratorWithRetry ? parseRetry(raw.retryOptions) : undefined;
            return { kind: 'callSubOrchestrator', functionName: requireString(raw, 'functionName'), instanceId, input: raw.input, retry };
        }
        case ActionType.ContinueAsNew:
            return { kind: 'continueAsNew', input: raw.input };
        case ActionType.CreateTimer: {
            const fireAt = typeof raw.fireAt === 'string' ? Date.parse(raw.fireAt) : Number.NaN;
            if (Number.isNaN(fireAt)) throw invalid('a CreateTimer action without a valid fireAt');
            return { kind: 'createTimer', fireAt, isCanceled: raw.isCanceled === true };
        }
        case ActionType.WaitForExternalEvent:
            return { kind: 'waitForExternalEvent', name: requireString(raw, 'externalEventName') };
        case ActionType.WhenAll:
        case ActionType.WhenAny: {
            if (!Array.isArray(raw.compoundActions)) throw invalid('a compound action without compoundActions');
            return { kind: raw.actionType === ActionType.WhenAll ? 'whenAll' : 'whenAny', children: raw.compoundActions.map(parseAction) };
        }
        case ActionType.CallEntity:
        case ActionType.SignalEntity:
            return {
                kind: raw.actionType === ActionType.CallEntity ? 'callEntity' : 'signalEntity',
                entity: requireString(raw, 'instanceId'),
                operation: requireString(raw, 'operation'),
                input: raw.input,
            };
        case ActionType.LockEntities: {
            if (!Array.isArray(raw.lockSet)) throw invalid('a LockEntities action without a lockSet');
            const lockSet = raw.lockSet.map((entity: unknown) => {
                if (!isObject(entity)) throw invalid('a lockSet entry must be {name, key}');
                return `@${requireString(entity, 'name').toLowerCase()}@${requireString(entity, 'key')}`;
            });
            return { kind: 'lockEntities', lockRequestId: requireString(raw, 'lockRequestId'), lockSet };
        }
        case ActionType.ReleaseEntities:
            return { kind: 'releaseEntities' };
        default:
            return { kind: 'unsupported', actionType: raw.actionType };
    }
}

export function parseOrchestratorState(raw: unknown): OrchestratorState {
    if (!isObject(raw) || typeof raw.isDone !== 'boolean' || !Array.isArray(raw.actions)) {
        throw invalid('expected {isDone, actions, ...}');
    }
    // Schema V2 and later: one flat list of every action since the execution started, wrapped once.
    const outer: unknown[] = raw.actions;
    if (outer.length > 1) throw invalid(`expected the actions of replay schema V2 or later (one list), got ${outer.length} lists`);
    const inner: unknown = outer[0] ?? [];
    if (!Array.isArray(inner)) throw invalid('actions[0] must be a list');
    return {
        isDone: raw.isDone,
        actions: inner.map(parseAction),
        output: raw.output,
        error: typeof raw.error === 'string' ? raw.error : undefined,
        customStatus: raw.customStatus,
        schemaVersion: typeof raw.schemaVersion === 'number' ? raw.schemaVersion : 0,
    };
}

const OUT_OF_PROC_LABEL = '\n\n$OutOfProcData$:';

/**
 * When an orchestrator throws, durable-functions appends its state to the error message after a
 * `$OutOfProcData$:` marker (OrchestrationFailureError); the real extension reads it back from there.
 */
export function splitOrchestratorFailure(message: string): { message: string; state: OrchestratorState | undefined } {
    const index = message.indexOf(OUT_OF_PROC_LABEL);
    if (index < 0) return { message, state: undefined };
    const json = message.slice(index + OUT_OF_PROC_LABEL.length);
    return { message: message.slice(0, index), state: parseOrchestratorState(JSON.parse(json) as unknown) };
}
