import type { TenantDetail, TenantList, TenantView } from './ppo-api-schemas';

function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
    const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]?.length ?? 0)));
    const line = (cells: readonly string[]) => cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ').trimEnd();
    return [line(header), ...rows.map(line)];
}

function day(iso: string): string {
    return iso.slice(0, 10);
}

function keyTarget(tenant: TenantView): string {
    return tenant.keyTarget.appId === undefined ? tenant.keyTarget.kind : `${tenant.keyTarget.kind} ${tenant.keyTarget.appId}`;
}

function lastVerification(tenant: TenantView): string {
    const last = tenant.lastVerification;
    return last === null ? 'never' : `${last.outcome} ${day(last.at)}`;
}

export function tenantListLines(list: TenantList): string[] {
    if (list.tenants.length === 0) return ['No tenant has been onboarded yet: ppo onboard <tenantDomain> --hybrid-connection <name>'];
    return table(
        ['TENANT', 'CLOUD', 'HYBRID CONNECTION', 'CERTIFICATE EXPIRES', 'REVERIFY', 'LAST VERIFICATION'],
        list.tenants.map((tenant) => [tenant.tenantDomain, tenant.cloud, tenant.hybridConnection, day(tenant.certificate.notAfter), tenant.reverifyMode, lastVerification(tenant)]),
    );
}

function recordLines(tenant: TenantView): string[] {
    return [
        `Tenant ${tenant.tenantDomain}`,
        `  Tenant id          ${tenant.tenantId ?? '(from the domain)'}`,
        `  Cloud              ${tenant.cloud}`,
        `  Key target         ${keyTarget(tenant)}`,
        `  Hybrid connection  ${tenant.hybridConnection}`,
        `  Reverify mode      ${tenant.reverifyMode}`,
        `  Certificate        ${tenant.certificate.thumbprint} (${tenant.certificate.source}), valid until ${tenant.certificate.notAfter}`,
        `  Onboarded          ${tenant.onboardedAt}`,
        `  Last verification  ${tenant.lastVerification === null ? 'never' : `${tenant.lastVerification.outcome} at ${tenant.lastVerification.at}: ${tenant.lastVerification.summary}`}`,
    ];
}

export function tenantDetailLines(detail: TenantDetail, tenantDomain: string): string[] {
    const history = table(
        ['AT', 'RUN', 'OUTCOME', 'SUMMARY'],
        detail.history.map((entry) => [entry.at, entry.kind, entry.outcome, entry.summary]),
    ).map((line) => `  ${line}`);
    const run = detail.latestRun;
    return [
        ...(detail.tenant === null ? [`Tenant ${tenantDomain}: not in the registry (onboarding has not completed)`] : recordLines(detail.tenant)),
        '',
        'History',
        ...(detail.history.length === 0 ? ['  (none)'] : history),
        '',
        run === null ? 'Latest run: none' : `Latest run: ${run.orchestration ?? 'run'} ${run.runtimeStatus}, details with: ppo status ${run.instanceId}`,
    ];
}
