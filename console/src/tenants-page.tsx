import { useState } from 'preact/hooks';
import { api } from './api';
import type { TenantView } from './api-types';
import { ErrorNotice, StateBadge } from './components';
import { useLoad } from './hooks';
import { attentionReasons, formatDate, formatDay } from './tenant-health';

function keyTarget(tenant: TenantView): string {
    return tenant.keyTarget.kind === 'application' ? `application ${tenant.keyTarget.appId ?? ''}` : 'Exchange Online service principal';
}

function TenantRow({ tenant, reasons }: { readonly tenant: TenantView; readonly reasons: readonly string[] }) {
    const verification = tenant.lastVerification;
    return (
        <tr data-tenant={tenant.tenantDomain} data-attention={reasons.length > 0 ? 'yes' : 'no'}>
            <th scope="row">
                <a href={`#/tenants/${encodeURIComponent(tenant.tenantDomain)}`}>{tenant.tenantDomain}</a>
            </th>
            <td>{tenant.cloud}</td>
            <td>{keyTarget(tenant)}</td>
            <td>
                <code title={tenant.certificate.thumbprint}>{tenant.certificate.thumbprint.slice(0, 12)}…</code>
            </td>
            <td>{formatDay(tenant.certificate.notAfter)}</td>
            <td>{formatDay(tenant.rotationDueAt)}</td>
            <td>
                {verification ? (
                    <>
                        <StateBadge state={verification.outcome} /> {formatDate(verification.at)}
                    </>
                ) : (
                    'never'
                )}
            </td>
            <td>
                <ul class="checks">
                    {(verification?.checks ?? []).map((check) => (
                        <li key={check.id} title={check.detail}>
                            {check.id}: <StateBadge state={check.state} />
                        </li>
                    ))}
                </ul>
            </td>
            <td>{reasons.length > 0 ? reasons.join('; ') : 'healthy'}</td>
        </tr>
    );
}

/** Every tenant with its certificate and last verification; "needs attention" keeps the ones to look at. */
export function TenantsPage() {
    const [loaded] = useLoad(() => api.tenants(), 'tenants');
    const [attentionOnly, setAttentionOnly] = useState(false);
    if (loaded.state === 'loading') return <p>Loading tenants…</p>;
    if (loaded.state === 'failed') return <ErrorNotice error={loaded.error} />;
    const now = Date.now();
    const rows = loaded.value.tenants.map((tenant) => ({ tenant, reasons: attentionReasons(tenant, now) }));
    const shown = attentionOnly ? rows.filter((r) => r.reasons.length > 0) : rows;
    const needing = rows.filter((r) => r.reasons.length > 0).length;
    return (
        <>
            <h1>Tenants</h1>
            <p class="filters">
                <label>
                    <input type="checkbox" checked={attentionOnly} onChange={(e) => setAttentionOnly(e.currentTarget.checked)} /> Needs attention only ({needing} of {rows.length})
                </label>
            </p>
            <table class="tenants">
                <caption>
                    {shown.length} tenant{shown.length === 1 ? '' : 's'}
                    {attentionOnly ? ' needing attention' : ''}
                </caption>
                <thead>
                    <tr>
                        <th scope="col">Organization</th>
                        <th scope="col">Cloud</th>
                        <th scope="col">Key target</th>
                        <th scope="col">Certificate</th>
                        <th scope="col">Expires</th>
                        <th scope="col">Rotation</th>
                        <th scope="col">Last verification</th>
                        <th scope="col">Checks</th>
                        <th scope="col">Attention</th>
                    </tr>
                </thead>
                <tbody>
                    {shown.map((r) => (
                        <TenantRow key={r.tenant.tenantDomain} tenant={r.tenant} reasons={r.reasons} />
                    ))}
                </tbody>
            </table>
        </>
    );
}
