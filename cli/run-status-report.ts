import { renderStepTable } from './step-table-render';
import type { FullRunView } from './ppo-api-schemas';
import { runErrorLines } from './run-verdict';

/** `ppo status`: the run's header, its step table and its error (the output is in --json). */
export function runStatusLines(run: FullRunView, color: boolean): string[] {
    return [
        `Run ${run.instanceId}: ${run.orchestration ?? 'run'} ${run.runtimeStatus}${run.tenantDomain ? ` for ${run.tenantDomain}` : ''}`,
        ...(run.createdTime === undefined ? [] : [`  Created ${run.createdTime}, last updated ${run.lastUpdatedTime ?? run.createdTime}`]),
        '',
        ...(run.steps.length === 0 ? ['(no steps reported yet)'] : renderStepTable(run.steps, { color })),
        ...(run.error === null ? [] : ['', ...runErrorLines('The run', run.error)]),
    ];
}
