import { randomUUID } from 'node:crypto';
import type {
    CoreInvocationContext,
    HookName,
    RpcInvocationResponse,
    RpcLogCategory,
    RpcLogLevel,
    RpcParameterBinding,
    RpcTypedData,
} from './core-api-types';
import { functionsCoreState, type RegisteredFunction } from './functions-core';
import { LocalHostError } from '../errors';

export interface InvocationLog {
    (level: RpcLogLevel, category: RpcLogCategory, message: string, invocationContext: unknown): void;
}

export interface InvocationRequest {
    readonly fn: RegisteredFunction;
    readonly inputData: readonly RpcParameterBinding[];
    readonly triggerMetadata?: Record<string, RpcTypedData>;
    readonly invocationId?: string;
    readonly log: InvocationLog;
}

export interface InvocationFailure {
    readonly message: string;
    readonly stack: string | undefined;
}

export type InvocationOutcome =
    | { readonly ok: true; readonly invocationId: string; readonly response: RpcInvocationResponse }
    | { readonly ok: false; readonly invocationId: string; readonly failure: InvocationFailure };

function toFailure(error: unknown): InvocationFailure {
    if (error instanceof Error) return { message: error.message, stack: error.stack };
    return { message: typeof error === 'string' ? error : JSON.stringify(error) ?? String(error), stack: undefined };
}

async function runHooks(name: HookName, context: Record<string, unknown>): Promise<void> {
    for (const hook of [...(functionsCoreState().hooks.get(name) ?? [])]) {
        await hook(context);
    }
}

/**
 * One invocation as the Azure Functions Node.js worker performs it: the programming model turns the
 * RPC request into a context and inputs, pre-invocation hooks run, the handler runs, post-invocation
 * hooks run, and the model turns the result into the RPC response the host reads.
 */
export async function invokeFunction(request: InvocationRequest): Promise<InvocationOutcome> {
    const state = functionsCoreState();
    const model = state.programmingModel;
    if (!model) {
        throw new LocalHostError('no-programming-model', 'No programming model was registered: the app did not load "@azure/functions".');
    }
    const invocationId = request.invocationId ?? randomUUID();
    let invocationContext: unknown;
    const coreContext: CoreInvocationContext = {
        invocationId,
        request: {
            invocationId,
            functionId: request.fn.name,
            inputData: [...request.inputData],
            triggerMetadata: request.triggerMetadata ?? {},
        },
        metadata: { name: request.fn.name, bindings: { ...request.fn.bindings } },
        state: undefined,
        log: (level, category, message) => request.log(level, category, message, invocationContext),
    };
    try {
        const invocationModel = model.getInvocationModel(coreContext);
        const args = await invocationModel.getArguments();
        invocationContext = args.context;

        coreContext.state = 'preInvocationHooks';
        const pre: Record<string, unknown> = {
            hookData: {},
            appHookData: state.appHookData,
            invocationContext,
            inputs: args.inputs,
            functionCallback: request.fn.callback,
        };
        await runHooks('preInvocation', pre);

        coreContext.state = 'invocation';
        let result: unknown;
        let error: unknown;
        try {
            const callback = pre.functionCallback as RegisteredFunction['callback'];
            result = await invocationModel.invokeFunction(invocationContext, pre.inputs as unknown[], callback);
        } catch (thrown) {
            error = thrown;
        }

        coreContext.state = 'postInvocationHooks';
        const post: Record<string, unknown> = { hookData: pre.hookData, appHookData: state.appHookData, invocationContext, inputs: pre.inputs, result, error };
        await runHooks('postInvocation', post);
        coreContext.state = undefined;

        if (post.error !== undefined && post.error !== null) {
            return { ok: false, invocationId, failure: toFailure(post.error) };
        }
        const response = await invocationModel.getResponse(invocationContext, post.result);
        return { ok: true, invocationId, response };
    } catch (error) {
        return { ok: false, invocationId, failure: toFailure(error) };
    }
}
