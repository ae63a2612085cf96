import { useState } from 'preact/hooks';
import { api } from './api';
import type { RunStarted, TenantDetail } from './api-types';
import { ErrorNotice, Section, StateBadge, StepTable } from './components';
import { useLiveRun, useLoad } from './hooks';
import { attentionReasons, formatDate, formatDay } from './tenant-health';

function Actions({ domain, onStarted }: { readonly domain: string; readonly onStarted: (run: RunStarted) => void }) {
    const [error, setError] = useState<unknown>(undefined);
    const [busy, setBusy] = useState(false);
    const start = (mode: 'report' | 'repair') => {
        setBusy(true);
        setError(undefined);
        api.verify(domain, mode).then(
            (started) => {
                setBusy(false);
                onStarted(started);
            },
            (e: unknown) => {
                setBusy(false);
                setError(e);
            },
        );
    };
    return (
        <div class="actions">
            <button type="button" disabled={busy} onClick={() => start('report')}>
                Verify (report only)
            </button>
            <button type="button" disabled={busy} onClick={() => start('repair')}>
                Verify and repair
            </button>
            {error !== undefined && <ErrorNotice error={error} />}
        </div>
    );
}

function Overview({ detail }: { readonly detail: TenantDetail }) {
    const tenant = detail.tenant;
    if (tenant === null) return <p>Not in the registry yet: its first onboarding has not recorded it.</p>;
    const reasons = attentionReasons(tenant, Date.now());
    return (
        <dl class="facts">
            <dt>Cloud</dt>
            <dd>{tenant.cloud}</dd>
            <dt>Hybrid connection</dt>
            <dd>{tenant.hybridConnection}</dd>
            <dt>Exchange organization</dt>
            <dd>{tenant.organizationGuid ?? 'not bound yet'}</dd>
            <dt>Key target</dt>
            <dd>{tenant.keyTarget.kind === 'application' ? `application ${tenant.keyTarget.appId ?? ''}` : 'Exchange Online service principal'}</dd>
            <dt>Certificate</dt>
            <dd>
                <code>{tenant.certificate.thumbprint}</code> ({tenant.certificate.source}), expires {formatDay(tenant.certificate.notAfter)}, rotation from {formatDay(tenant.rotationDueAt)}
            </dd>
            <dt>Re-verification mode</dt>
            <dd>{tenant.reverifyMode}</dd>
            <dt>Attention</dt>
            <dd>{reasons.length > 0 ? reasons.join('; ') : 'healthy'}</dd>
            {tenant.partial && (
                <>
                    <dt>Partially onboarded</dt>
                    <dd>
                        {tenant.partial.error.step} failed: {tenant.partial.error.message}; changed: {tenant.partial.changes.join(', ') || 'nothing'}
                    </dd>
                </>
            )}
        </dl>
    );
}

function Checks({ detail }: { readonly detail: TenantDetail }) {
    const verification = detail.tenant?.lastVerification;
    if (!verification) return <p>Never verified.</p>;
    return (
        <table class="checks-table">
            <caption>
                Last verification {formatDate(verification.at)}: <StateBadge state={verification.outcome} /> {verification.summary}
            </caption>
            <thead>
                <tr>
                    <th scope="col">Check</th>
                    <th scope="col">State</th>
                    <th scope="col">Detail</th>
                </tr>
            </thead>
            <tbody>
                {verification.checks.map((check) => (
                    <tr key={check.id} data-check={check.id}>
                        <th scope="row">{check.id}</th>
                        <td>
                            <StateBadge state={check.state} />
                        </td>
                        <td>{check.detail}</td>
                    </tr>
                ))}
            </tbody>
        </table>
    );
}

function History({ detail }: { readonly detail: TenantDetail }) {
    if (detail.history.length === 0) return <p>No runs recorded.</p>;
    return (
        <table class="history">
            <caption>Runs, newest first</caption>
            <thead>
                <tr>
                    <th scope="col">When</th>
                    <th scope="col">Run</th>
                    <th scope="col">Outcome</th>
                    <th scope="col">Summary</th>
                </tr>
            </thead>
            <tbody>
                {detail.history.map((run) => (
                    <tr key={run.runId}>
                        <td>{formatDate(run.at)}</td>
                        <th scope="row">{run.kind}</th>
                        <td>
                            <StateBadge state={run.outcome} />
                        </td>
                        <td>{run.summary}</td>
                    </tr>
                ))}
            </tbody>
        </table>
    );
}

/** One tenant: its facts, checks, runs and the live step table of its latest run; verify from here. */
export function TenantPage({ domain, mayVerify }: { readonly domain: string; readonly mayVerify: boolean }) {
    const [loaded, reload] = useLoad(() => api.tenant(domain), `tenant:${domain}`);
    const [started, setStarted] = useState<RunStarted | undefined>(undefined);
    const latestId = started?.instanceId ?? (loaded.state === 'loaded' ? loaded.value.latestRun?.instanceId : undefined);
    // Once a run started here ends, the checks and history it recorded are read again.
    const live = useLiveRun(latestId, started?.runId ?? 'latest', () => {
        if (started !== undefined) reload();
    });
    if (loaded.state === 'loading') return <p>Loading {domain}…</p>;
    if (loaded.state === 'failed') return <ErrorNotice error={loaded.error} />;
    const detail = loaded.value;
    return (
        <>
            <h1>{domain}</h1>
            {mayVerify && detail.tenant !== null && <Actions domain={domain} onStarted={setStarted} />}
            <Overview detail={detail} />
            <Section title="Checks" id="checks">
                <Checks detail={detail} />
            </Section>
            <Section title="Latest run" id="latest-run">
                {live === undefined ? <p>No run yet.</p> : live.state === 'loaded' ? <StepTable run={live.value} /> : live.state === 'failed' ? <ErrorNotice error={live.error} /> : <p>Loading the run…</p>}
            </Section>
            <Section title="History" id="history">
                <History detail={detail} />
            </Section>
        </>
    );
}
