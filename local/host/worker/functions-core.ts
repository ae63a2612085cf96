import type {
    Disposable,
    FunctionCallback,
    FunctionMetadata,
    FunctionsCoreApi,
    HookCallback,
    HookName,
    ProgrammingModel,
    RpcBindingInfo,
    RpcLogCategory,
    RpcLogLevel,
} from './core-api-types';
import { LocalHostError } from '../errors';

export interface RegisteredFunction {
    readonly name: string;
    readonly bindings: Readonly<Record<string, RpcBindingInfo>>;
    readonly callback: FunctionCallback;
    readonly triggerName: string;
    readonly triggerType: string;
    readonly trigger: RpcBindingInfo;
}

export type SystemLogTarget = (level: RpcLogLevel, category: RpcLogCategory, message: string) => void;

/**
 * Process-wide state behind the stand-in `@azure/functions-core`. It lives on `globalThis` because
 * `@azure/functions` caches the core module it first sees for the life of the process, while test
 * runners may evaluate this file more than once.
 */
export interface FunctionsCoreState {
    readonly api: FunctionsCoreApi;
    programmingModel: ProgrammingModel | undefined;
    readonly hooks: Map<HookName, Set<HookCallback>>;
    readonly appHookData: Record<string, unknown>;
    capture: RegisteredFunction[] | undefined;
    readonly uncaptured: RegisteredFunction[];
    systemLog: SystemLogTarget;
}

const STATE_KEY = Symbol.for('push-proxy-orchestrator.local-host.functions-core');
const KNOWN_HOOKS: readonly HookName[] = ['preInvocation', 'postInvocation', 'appStart', 'appTerminate', 'log'];

class CoreDisposable implements Disposable {
    private callOnDispose: (() => void) | undefined;

    constructor(callOnDispose: () => void) {
        this.callOnDispose = callOnDispose;
    }

    dispose(): void {
        const call = this.callOnDispose;
        this.callOnDispose = undefined;
        call?.();
    }
}

function isTriggerType(type: string | null | undefined): type is string {
    return typeof type === 'string' && /trigger$/i.test(type);
}

function toRegisteredFunction(metadata: FunctionMetadata, callback: FunctionCallback): RegisteredFunction {
    const entry = Object.entries(metadata.bindings).find(([, binding]) => isTriggerType(binding.type));
    if (!entry || !isTriggerType(entry[1].type)) {
        throw new LocalHostError('registration', `Function "${metadata.name}" has no trigger binding.`);
    }
    const [triggerName, trigger] = entry;
    return { name: metadata.name, bindings: metadata.bindings, callback, triggerName, triggerType: entry[1].type, trigger };
}

function createState(): FunctionsCoreState {
    const state: FunctionsCoreState = {
        api: undefined as unknown as FunctionsCoreApi,
        programmingModel: undefined,
        hooks: new Map(KNOWN_HOOKS.map((name) => [name, new Set<HookCallback>()])),
        appHookData: {},
        capture: undefined,
        uncaptured: [],
        systemLog: () => undefined,
    };
    const api: FunctionsCoreApi = {
        version: '3.10.1-local',
        hostVersion: '4.1040.0-local',
        Disposable: CoreDisposable,
        registerFunction(metadata, callback) {
            const registration = toRegisteredFunction(metadata, callback);
            const target = state.capture ?? state.uncaptured;
            if (target.some((existing) => existing.name.toLowerCase() === registration.name.toLowerCase())) {
                throw new LocalHostError('registration', `A function with the name "${registration.name}" has already been registered.`);
            }
            target.push(registration);
            return new CoreDisposable(() => {
                const index = target.indexOf(registration);
                if (index >= 0) target.splice(index, 1);
            });
        },
        setProgrammingModel(model) {
            state.programmingModel = model;
        },
        getProgrammingModel() {
            return state.programmingModel;
        },
        registerHook(hookName, callback) {
            const hooks = state.hooks.get(hookName as HookName);
            if (!hooks) {
                // The real worker rejects unknown hook names with a RangeError as well.
                throw new RangeError(`Unrecognized hook "${hookName}"`);
            }
            hooks.add(callback);
            return new CoreDisposable(() => hooks.delete(callback));
        },
        log(level, category, message) {
            state.systemLog(level, category, message);
        },
    };
    (state as { api: FunctionsCoreApi }).api = api;
    return state;
}

export function functionsCoreState(): FunctionsCoreState {
    const holder = globalThis as typeof globalThis & { [STATE_KEY]?: FunctionsCoreState };
    holder[STATE_KEY] ??= createState();
    return holder[STATE_KEY];
}
