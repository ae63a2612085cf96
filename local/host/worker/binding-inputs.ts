import type { RpcParameterBinding } from './core-api-types';
import type { RegisteredFunction } from './functions-core';

const CLIENT_BINDING_TYPES = new Set(['durableclient', 'orchestrationclient']);

/**
 * Input data for a function's extra input bindings. Only the durable client binding exists in the
 * local host; other input bindings receive nothing.
 */
export function extraInputData(fn: RegisteredFunction, durableClientData: () => unknown): RpcParameterBinding[] {
    const inputs: RpcParameterBinding[] = [];
    for (const [name, binding] of Object.entries(fn.bindings)) {
        if (name === fn.triggerName || binding.direction !== 'in') continue;
        if (CLIENT_BINDING_TYPES.has(String(binding.type).toLowerCase())) {
            inputs.push({ name, data: { string: JSON.stringify(durableClientData()) } });
        }
    }
    return inputs;
}
