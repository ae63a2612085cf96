import { useEffect, useState } from 'preact/hooks';
import { api, isActive } from './api';
import type { RunView } from './api-types';

export type Loaded<T> = { readonly state: 'loading' } | { readonly state: 'loaded'; readonly value: T } | { readonly state: 'failed'; readonly error: unknown };

/** Loads once per change of `key`; `reload` loads again. */
export function useLoad<T>(load: () => Promise<T>, key: string): [Loaded<T>, () => void] {
    const [loaded, setLoaded] = useState<Loaded<T>>({ state: 'loading' });
    const [generation, setGeneration] = useState(0);
    useEffect(() => {
        let current = true;
        load().then(
            (value) => current && setLoaded({ state: 'loaded', value }),
            (error: unknown) => current && setLoaded({ state: 'failed', error }),
        );
        return () => {
            current = false;
        };
        // `load` is a new closure on every render: `key` says what it loads.
    }, [key, generation]);
    return [loaded, () => setGeneration((g) => g + 1)];
}

/** How often a running run's step table is read again. */
export const POLL_MS = 500;

/**
 * A run, read again every POLL_MS while it is in progress; `onEnd` once it has ended. A tenant's runs
 * share its instance id: `generation` (the runId of a run just started) starts a new poll loop.
 */
export function useLiveRun(instanceId: string | undefined, generation: string, onEnd?: (run: RunView) => void): Loaded<RunView> | undefined {
    const [loaded, setLoaded] = useState<Loaded<RunView> | undefined>(undefined);
    useEffect(() => {
        if (instanceId === undefined) return undefined;
        let timer: number | undefined;
        let current = true;
        setLoaded({ state: 'loading' });
        const poll = () => {
            api.run(instanceId).then(
                (run) => {
                    if (!current) return;
                    setLoaded({ state: 'loaded', value: run });
                    if (isActive(run)) timer = window.setTimeout(poll, POLL_MS);
                    else onEnd?.(run);
                },
                (error: unknown) => current && setLoaded({ state: 'failed', error }),
            );
        };
        poll();
        return () => {
            current = false;
            window.clearTimeout(timer);
        };
        // One poll loop per run.
    }, [instanceId, generation]);
    return loaded;
}
