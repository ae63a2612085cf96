import type { ComponentChildren } from 'preact';
import { ApiError } from './api';
import type { RunView, Step } from './api-types';
import { formatDate } from './tenant-health';

/** A state as words and a colour: the colour is never the only signal. */
export function StateBadge({ state }: { readonly state: string }) {
    return <span class={`badge badge-${state.toLowerCase()}`}>{state}</span>;
}

export function ErrorNotice({ error }: { readonly error: unknown }) {
    const message = error instanceof Error ? error.message : String(error);
    const remedy = error instanceof ApiError ? error.remedy : undefined;
    const issues = error instanceof ApiError ? (error.body?.error.issues ?? []) : [];
    return (
        <div class="notice notice-error" role="alert">
            <p>{message}</p>
            {issues.length > 0 && (
                <ul>
                    {issues.map((i) => (
                        <li key={i.field}>
                            <code>{i.field}</code>: {i.reason}
                        </li>
                    ))}
                </ul>
            )}
            {remedy && <p>What to do: {remedy}</p>}
        </div>
    );
}

export function Section({ title, children, id }: { readonly title: string; readonly children: ComponentChildren; readonly id: string }) {
    return (
        <section aria-labelledby={id}>
            <h2 id={id}>{title}</h2>
            {children}
        </section>
    );
}

/** The run's step table, as GET /api/runs/{instanceId} serves it, with the error and remedy of a failed run. */
export function StepTable({ run }: { readonly run: RunView }) {
    return (
        <div class="run" data-run={run.instanceId}>
            <p aria-live="polite" class="run-status">
                {run.orchestration} <StateBadge state={run.runtimeStatus} /> · started {formatDate(run.createdTime)} · updated {formatDate(run.lastUpdatedTime)}
            </p>
            <table class="steps">
                <caption>Steps of {run.instanceId}</caption>
                <thead>
                    <tr>
                        <th scope="col">Step</th>
                        <th scope="col">State</th>
                        <th scope="col">Detail</th>
                        <th scope="col">Started</th>
                        <th scope="col">Ended</th>
                    </tr>
                </thead>
                <tbody>
                    {run.steps.map((step: Step) => (
                        <tr key={step.id} data-step={step.id} data-state={step.state}>
                            <th scope="row">{step.title}</th>
                            <td>
                                <StateBadge state={step.state} />
                            </td>
                            <td>{step.detail ?? ''}</td>
                            <td>{formatDate(step.startedAt)}</td>
                            <td>{formatDate(step.endedAt)}</td>
                        </tr>
                    ))}
                </tbody>
            </table>
            {run.error && (
                <div class="notice notice-error" role="alert" data-error-code={run.error.code}>
                    <p>
                        Step <strong>{run.error.step}</strong> failed ({run.error.code}): {run.error.message}
                    </p>
                    {run.error.remedy && <p>What to do: {run.error.remedy}</p>}
                </div>
            )}
        </div>
    );
}
