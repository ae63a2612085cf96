import Module from 'node:module';
import { functionsCoreState } from './functions-core';

export const CORE_MODULE_NAME = '@azure/functions-core';

const INSTALLED_KEY = Symbol.for('push-proxy-orchestrator.local-host.core-module-installed');

type ModuleLoad = (request: string, parent: unknown, isMain: boolean) => unknown;

/**
 * Makes `require('@azure/functions-core')` return the local host's stand-in, as the real Node.js
 * worker does for its built-in module. Only this process is affected; nothing is installed on disk,
 * so the stand-in can never shadow the real module in Azure. Idempotent.
 */
export function installFunctionsCoreModule(): void {
    const holder = globalThis as typeof globalThis & { [INSTALLED_KEY]?: boolean };
    if (holder[INSTALLED_KEY]) return;
    const moduleWithLoad = Module as unknown as { _load: ModuleLoad };
    const originalLoad = moduleWithLoad._load;
    moduleWithLoad._load = function loadWithFunctionsCore(request: string, parent: unknown, isMain: boolean): unknown {
        if (request === CORE_MODULE_NAME) return functionsCoreState().api;
        return originalLoad.call(this, request, parent, isMain);
    };
    holder[INSTALLED_KEY] = true;
}
