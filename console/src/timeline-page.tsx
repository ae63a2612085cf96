import { api } from './api';
import { ErrorNotice } from './components';
import { useLoad } from './hooks';
import { daysFrom, formatDay } from './tenant-health';

interface Event {
    readonly at: string;
    readonly tenantDomain: string;
    readonly kind: 'rotation' | 'expiry';
    readonly thumbprint: string;
}

/** Upcoming certificate rotations and expiries of every tenant, soonest first. */
export function TimelinePage() {
    const [loaded] = useLoad(() => api.tenants(), 'timeline');
    if (loaded.state === 'loading') return <p>Loading…</p>;
    if (loaded.state === 'failed') return <ErrorNotice error={loaded.error} />;
    const now = Date.now();
    const events: Event[] = loaded.value.tenants
        .flatMap((t): Event[] => [
            { at: t.rotationDueAt, tenantDomain: t.tenantDomain, kind: 'rotation', thumbprint: t.certificate.thumbprint },
            { at: t.certificate.notAfter, tenantDomain: t.tenantDomain, kind: 'expiry', thumbprint: t.certificate.thumbprint },
        ])
        .sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
    return (
        <>
            <h1>Expiries and rotations</h1>
            <p>Re-verification rotates a certificate from its rotation date on; it expires on its expiry date.</p>
            <ol class="timeline">
                {events.map((e) => {
                    const days = daysFrom(now, e.at);
                    return (
                        <li key={`${e.tenantDomain}-${e.kind}`} data-tenant={e.tenantDomain} data-kind={e.kind} class={days < 0 ? 'overdue' : days <= 30 ? 'soon' : ''}>
                            <time dateTime={e.at}>{formatDay(e.at)}</time>{' '}
                            <a href={`#/tenants/${encodeURIComponent(e.tenantDomain)}`}>{e.tenantDomain}</a>: {e.kind === 'rotation' ? 'rotation due' : 'certificate expires'} (
                            <code>{e.thumbprint.slice(0, 12)}…</code>), {days < 0 ? `${-days} days ago` : `in ${days} days`}
                        </li>
                    );
                })}
            </ol>
        </>
    );
}
