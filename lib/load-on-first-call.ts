/**
 * A handler that imports its implementation on its first call and reuses it from then on. The app
 * registers its functions and activities this way, so that loading the app loads only what
 * registration needs: each handler's module, and the zod schemas and app services it uses, load
 * when the handler first runs (benchmark B3).
 */
export function loadOnFirstCall<A extends unknown[], R>(load: () => Promise<(...args: A) => Promise<R>>): (...args: A) => Promise<R> {
    let implementation: Promise<(...args: A) => Promise<R>> | undefined;
    return async (...args) => (await (implementation ??= load()))(...args);
}
