import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LocalHostError } from '../errors';
import { functionsCoreState, type RegisteredFunction } from './functions-core';
import { installFunctionsCoreModule } from './install-core-module';

export interface LoadedApp {
    readonly entry: string;
    readonly functions: readonly RegisteredFunction[];
    find(name: string): RegisteredFunction | undefined;
}

const CACHE_KEY = Symbol.for('push-proxy-orchestrator.local-host.loaded-apps');

interface LoadCache {
    readonly apps: Map<string, readonly RegisteredFunction[]>;
    queue: Promise<unknown>;
}

function loadCache(): LoadCache {
    const holder = globalThis as typeof globalThis & { [CACHE_KEY]?: LoadCache };
    holder[CACHE_KEY] ??= { apps: new Map(), queue: Promise.resolve() };
    return holder[CACHE_KEY];
}

function toLoadedApp(entry: string, functions: readonly RegisteredFunction[]): LoadedApp {
    const byName = new Map(functions.map((f) => [f.name.toLowerCase(), f]));
    return { entry, functions, find: (name) => byName.get(name.toLowerCase()) };
}

async function importAndCapture(entry: string): Promise<LoadedApp> {
    const cache = loadCache();
    const state = functionsCoreState();
    state.capture = [];
    let captured: RegisteredFunction[];
    try {
        await import(pathToFileURL(entry).href);
    } catch (error) {
        throw new LocalHostError('load', `Loading the app entry ${entry} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    } finally {
        captured = state.capture;
        state.capture = undefined;
    }
    let functions: readonly RegisteredFunction[] = captured;
    if (functions.length === 0) {
        // The module was already imported in this process: reuse what it registered then.
        functions = cache.apps.get(entry) ?? state.uncaptured.splice(0);
    }
    if (functions.length === 0) {
        throw new LocalHostError('no-functions', `The app entry ${entry} registered no functions.`, {
            remedy: 'Import local/host before anything imports "@azure/functions": without the host\'s @azure/functions-core the library runs in test mode and drops registrations.',
        });
    }
    cache.apps.set(entry, functions);
    return toLoadedApp(entry, functions);
}

/**
 * Loads the app's entry module once per process (dynamic `import()`, so a TypeScript entry works
 * under vitest and a compiled one under node) and returns every function it registered.
 */
export function loadApp(entry: string): Promise<LoadedApp> {
    if (!isAbsolute(entry)) {
        return Promise.reject(new LocalHostError('load', `The app entry must be an absolute path, got "${entry}".`));
    }
    installFunctionsCoreModule();
    const cache = loadCache();
    const result = cache.queue.then(() => importAndCapture(entry));
    cache.queue = result.catch(() => undefined);
    return result;
}
