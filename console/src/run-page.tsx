import { ErrorNotice, StepTable } from './components';
import { useLiveRun } from './hooks';

/** One run's live step table. */
export function RunPage({ instanceId }: { readonly instanceId: string }) {
    const live = useLiveRun(instanceId, 'page');
    return (
        <>
            <h1>Run {instanceId}</h1>
            {live?.state === 'loaded' ? <StepTable run={live.value} /> : live?.state === 'failed' ? <ErrorNotice error={live.error} /> : <p>Loading the run…</p>}
        </>
    );
}
