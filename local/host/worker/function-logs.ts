import type { Logger, LogLevel } from '../../../lib/logger';
import type { RpcLogCategory, RpcLogLevel } from './core-api-types';
import { functionsCoreState } from './functions-core';
import type { InvocationLog } from './invoke-function';

const LEVELS: Record<RpcLogLevel, LogLevel | undefined> = {
    trace: 'debug',
    debug: 'debug',
    information: 'info',
    warning: 'warn',
    error: 'error',
    critical: 'error',
    none: undefined,
};

export interface InvocationLogFields {
    readonly functionName: string;
    readonly instanceId?: string;
}

function isReplayingOrchestrator(invocationContext: unknown): boolean {
    if (typeof invocationContext !== 'object' || invocationContext === null) return false;
    const df = (invocationContext as { df?: unknown }).df;
    return typeof df === 'object' && df !== null && (df as { isReplaying?: unknown }).isReplaying === true;
}

/** Runs the app's log hooks, which may rewrite the level and message, as the worker does. */
function applyLogHooks(level: RpcLogLevel, category: RpcLogCategory, message: string, invocationContext: unknown): { level: RpcLogLevel; message: string } {
    const hooks = functionsCoreState().hooks.get('log');
    if (!hooks || hooks.size === 0) return { level, message };
    const context: Record<string, unknown> = { level, category, message, invocationContext, hookData: {} };
    for (const hook of [...hooks]) void hook(context);
    return { level: context.level as RpcLogLevel, message: String(context.message) };
}

/**
 * Sends everything an invocation logs to the one structured logger, tagged with the function name,
 * invocation id and (for durable functions) the instance id. Logs written by an orchestrator while
 * it replays are dropped, so each line appears once per orchestration, as on the real host.
 */
export function invocationLog(logger: Logger, fields: InvocationLogFields): (invocationId: string) => InvocationLog {
    return (invocationId) => (rpcLevel, category, rawMessage, invocationContext) => {
        if (category === 'user' && isReplayingOrchestrator(invocationContext)) return;
        const { level, message } = applyLogHooks(rpcLevel, category, rawMessage, invocationContext);
        const mapped = LEVELS[level];
        if (!mapped) return;
        const record: Record<string, unknown> = { functionName: fields.functionName, invocationId, category };
        if (fields.instanceId !== undefined) record.instanceId = fields.instanceId;
        logger[mapped](message, record);
    };
}

export function hostSystemLog(logger: Logger): (level: RpcLogLevel, category: RpcLogCategory, message: string) => void {
    return (level, category, message) => {
        const mapped = LEVELS[level];
        if (mapped) logger[mapped](message, { category });
    };
}
