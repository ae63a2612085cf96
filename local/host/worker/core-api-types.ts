/**
 * The contract of `@azure/functions-core`, the module the Azure Functions Node.js worker provides at
 * run time (it is never an npm package). Only what `@azure/functions` 4.x uses is described here.
 */

export interface RpcNullableString {
    value?: string | null;
}

export interface RpcHttpCookie {
    name?: string | null;
    value?: string | null;
    domain?: RpcNullableString | null;
    path?: RpcNullableString | null;
    expires?: { value?: { seconds?: number | null; nanos?: number | null } | null } | null;
    secure?: { value?: boolean | null } | null;
    httpOnly?: { value?: boolean | null } | null;
    sameSite?: 'none' | 'lax' | 'strict' | 'explicitNone' | null;
    maxAge?: { value?: number | null } | null;
}

export interface RpcHttpData {
    method?: string | null;
    url?: string | null;
    headers?: Record<string, string> | null;
    body?: RpcTypedData | null;
    params?: Record<string, string> | null;
    statusCode?: string | null;
    query?: Record<string, string> | null;
    enableContentNegotiation?: boolean | null;
    cookies?: RpcHttpCookie[] | null;
}

export interface RpcTypedData {
    string?: string | null;
    json?: string | null;
    bytes?: Uint8Array | null;
    stream?: Uint8Array | null;
    http?: RpcHttpData | null;
    int?: number | null;
    double?: number | null;
}

export interface RpcParameterBinding {
    name?: string | null;
    data?: RpcTypedData | null;
}

export interface RpcBindingInfo {
    type?: string | null;
    direction?: 'in' | 'out' | 'inout' | null;
    dataType?: string | null;
    readonly [property: string]: unknown;
}

export interface RpcInvocationRequest {
    invocationId?: string | null;
    functionId?: string | null;
    inputData?: RpcParameterBinding[] | null;
    triggerMetadata?: Record<string, RpcTypedData> | null;
    retryContext?: { retryCount?: number | null; maxRetryCount?: number | null } | null;
}

export interface RpcInvocationResponse {
    invocationId?: string | null;
    outputData?: RpcParameterBinding[] | null;
    returnValue?: RpcTypedData | null;
}

export interface FunctionMetadata {
    name: string;
    functionId?: string;
    bindings: Record<string, RpcBindingInfo>;
    retryOptions?: unknown;
}

export type FunctionCallback = (...args: unknown[]) => unknown;

export type RpcLogLevel = 'trace' | 'debug' | 'information' | 'warning' | 'error' | 'critical' | 'none';
export type RpcLogCategory = 'user' | 'system' | 'customMetric';
export type InvocationState = 'preInvocationHooks' | 'postInvocationHooks' | 'invocation';

export interface CoreInvocationContext {
    invocationId: string;
    request: RpcInvocationRequest;
    metadata: { name: string; bindings: Record<string, RpcBindingInfo> };
    state?: InvocationState;
    log(level: RpcLogLevel, category: RpcLogCategory, message: string): void;
}

export interface InvocationArguments {
    context: unknown;
    inputs: unknown[];
}

export interface InvocationModel {
    getArguments(): Promise<InvocationArguments>;
    invokeFunction(context: unknown, inputs: unknown[], callback: FunctionCallback): Promise<unknown>;
    getResponse(context: unknown, result: unknown): Promise<RpcInvocationResponse>;
}

export interface ProgrammingModel {
    name: string;
    version: string;
    getInvocationModel(coreContext: CoreInvocationContext): InvocationModel;
    getCapabilities?(capabilities: Record<string, string>): Promise<Record<string, string>>;
}

export interface Disposable {
    dispose(): void;
}

export type HookName = 'preInvocation' | 'postInvocation' | 'appStart' | 'appTerminate' | 'log';

export type HookCallback = (context: Record<string, unknown>) => void | Promise<void>;

/** The object `require('@azure/functions-core')` returns inside the local host. */
export interface FunctionsCoreApi {
    readonly version: string;
    readonly hostVersion: string;
    registerFunction(metadata: FunctionMetadata, callback: FunctionCallback): Disposable;
    setProgrammingModel(model: ProgrammingModel): void;
    getProgrammingModel(): ProgrammingModel | undefined;
    registerHook(hookName: string, callback: HookCallback): Disposable;
    log(level: RpcLogLevel, category: RpcLogCategory, message: string): void;
    readonly Disposable: new (callOnDispose: () => void) => Disposable;
}
