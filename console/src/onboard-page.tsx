import { useState } from 'preact/hooks';
import { api, isActive } from './api';
import type { OnboardDryRun, OnboardRequestBody, RunStarted, RunView } from './api-types';
import { ErrorNotice, Section, StepTable } from './components';
import { useLiveRun } from './hooks';

interface Form {
    readonly tenantDomain: string;
    readonly hybridConnection: string;
    readonly cloud: NonNullable<OnboardRequestBody['cloud']>;
    readonly appId: string;
    readonly reverifyMode: 'report' | 'repair';
}

type Stage = { readonly name: 'form' } | { readonly name: 'planning'; readonly started: RunStarted } | { readonly name: 'onboarding'; readonly started: RunStarted };

function requestBody(form: Form, dryRun: boolean): OnboardRequestBody {
    return {
        cloud: form.cloud,
        agent: { hybridConnection: form.hybridConnection.trim() },
        keyTarget: form.appId.trim() === '' ? { kind: 'firstPartyServicePrincipal' } : { kind: 'application', appId: form.appId.trim() },
        reverifyMode: form.reverifyMode,
        dryRun,
    };
}

function Plan({ run }: { readonly run: RunView }) {
    const output = run.output as OnboardDryRun | null;
    if (run.runtimeStatus !== 'Completed' || output?.outcome !== 'dryRun') return <StepTable run={run} />;
    return (
        <>
            <p>Nothing was written. Onboarding would:</p>
            <ul class="planned-changes">{output.plannedChanges.length === 0 ? <li>change nothing: everything is in place</li> : output.plannedChanges.map((c) => <li key={c}>{c}</li>)}</ul>
            <table class="plan">
                <caption>Planned steps</caption>
                <thead>
                    <tr>
                        <th scope="col">Step</th>
                        <th scope="col">Action</th>
                        <th scope="col">Why</th>
                    </tr>
                </thead>
                <tbody>
                    {output.plan.map((p) => (
                        <tr key={p.step} data-step={p.step}>
                            <th scope="row">{p.step}</th>
                            <td>{p.action}</td>
                            <td>{p.detail}</td>
                        </tr>
                    ))}
                </tbody>
            </table>
        </>
    );
}

const CLOUDS = [
    ['global', 'Global'],
    ['usGovHigh', 'GCC High'],
    ['usGovDoD', 'DoD'],
    ['china', '21Vianet'],
] as const satisfies readonly (readonly [Form['cloud'], string])[];

/** Onboarding: the dry-run plan first, then the real run after the operator confirms it, watched live. */
export function OnboardPage() {
    const [form, setForm] = useState<Form>({ tenantDomain: '', hybridConnection: '', cloud: 'global', appId: '', reverifyMode: 'report' });
    const [stage, setStage] = useState<Stage>({ name: 'form' });
    const [error, setError] = useState<unknown>(undefined);
    const [planned, setPlanned] = useState<RunView | undefined>(undefined);
    const live = useLiveRun(stage.name === 'form' ? undefined : stage.started.instanceId, stage.name === 'form' ? '' : stage.started.runId, (run) => {
        if (stage.name === 'planning') setPlanned(run);
    });
    const set = (field: keyof Form) => (e: Event) => setForm({ ...form, [field]: (e.currentTarget as HTMLInputElement).value });
    const start = (dryRun: boolean) => {
        setError(undefined);
        api.onboard(form.tenantDomain.trim(), requestBody(form, dryRun)).then(
            (started) => {
                if (dryRun) setPlanned(undefined);
                setStage(dryRun ? { name: 'planning', started } : { name: 'onboarding', started });
            },
            (e: unknown) => setError(e),
        );
    };
    const running = live?.state === 'loading' || (live?.state === 'loaded' && isActive(live.value));
    const planReady = planned?.runtimeStatus === 'Completed' && (planned.output as OnboardDryRun | null)?.outcome === 'dryRun';
    return (
        <>
            <h1>Onboard a tenant</h1>
            <form
                class="onboard"
                onSubmit={(e) => {
                    e.preventDefault();
                    start(true);
                }}
            >
                <fieldset disabled={running}>
                    <legend>Tenant and agent</legend>
                    <label>
                        Tenant domain
                        <input name="tenantDomain" required value={form.tenantDomain} onInput={set('tenantDomain')} placeholder="contoso.com" autoComplete="off" />
                    </label>
                    <label>
                        Hybrid connection of the organization's agent
                        <input name="hybridConnection" required value={form.hybridConnection} onInput={set('hybridConnection')} placeholder="contoso-exchange" autoComplete="off" />
                    </label>
                    <label>
                        Cloud
                        <select name="cloud" value={form.cloud} onChange={set('cloud')}>
                            {CLOUDS.map(([value, label]) => (
                                <option key={value} value={value}>
                                    {label}
                                </option>
                            ))}
                        </select>
                    </label>
                    <label>
                        Hybrid application id (empty: the Exchange Online service principal)
                        <input name="appId" value={form.appId} onInput={set('appId')} autoComplete="off" />
                    </label>
                    <label>
                        Re-verification
                        <select name="reverifyMode" value={form.reverifyMode} onChange={set('reverifyMode')}>
                            <option value="report">report drift</option>
                            <option value="repair">repair drift</option>
                        </select>
                    </label>
                    <button type="submit">Show the plan (dry run)</button>
                </fieldset>
            </form>
            {error !== undefined && <ErrorNotice error={error} />}
            {stage.name === 'planning' && (
                <Section title="Plan" id="plan">
                    {live?.state === 'loaded' ? <Plan run={live.value} /> : live?.state === 'failed' ? <ErrorNotice error={live.error} /> : <p>Planning…</p>}
                    {planReady && (
                        <button type="button" class="confirm" onClick={() => start(false)}>
                            Confirm and onboard {form.tenantDomain}
                        </button>
                    )}
                </Section>
            )}
            {stage.name === 'onboarding' && (
                <Section title="Onboarding" id="onboarding">
                    {live?.state === 'loaded' ? <StepTable run={live.value} /> : live?.state === 'failed' ? <ErrorNotice error={live.error} /> : <p>Starting…</p>}
                    <p>
                        <a href={`#/tenants/${encodeURIComponent(stage.started.tenantDomain)}`}>Open {stage.started.tenantDomain}</a>
                    </p>
                </Section>
            )}
        </>
    );
}
