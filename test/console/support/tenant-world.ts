import type { RunRecord, TenantRecord } from '../../../lib/contracts/activities';
import { TenantRegistry } from '../../../lib/registry/tenant-registry';
import type { LocalStack } from '../../../local/stack/local-stack';

const DAY_MS = 86_400_000;

function record(domain: string, hybridConnection: string, notAfter: Date, onboardedAt: Date): TenantRecord {
    return {
        tenantDomain: domain,
        tenantId: null,
        cloud: 'global',
        keyTarget: { kind: 'firstPartyServicePrincipal' },
        hybridConnection,
        organizationGuid: null,
        reverifyMode: 'report',
        certificate: { thumbprint: `${domain.length.toString(16).toUpperCase().padStart(2, '0')}${'C0FFEE'.repeat(7)}`.slice(0, 40), notAfter: notAfter.toISOString(), source: 'created', keyVaultName: null, keyVaultVersion: null },
        keyCredentialId: null,
        onboardedAt: onboardedAt.toISOString(),
    };
}

function verification(domain: string, outcome: RunRecord['outcome'], at: Date, checks: RunRecord['checks']): RunRecord {
    return { tenantDomain: domain, instanceId: `tenant-${domain}`, runId: `${domain}-verify`, kind: 'reverifyTenant', outcome, at: at.toISOString(), summary: `${outcome} (recorded by the test)`, checks };
}

const ok = (id: string) => ({ id, state: 'ok', detail: `${id} as onboarding left it` });

/**
 * Tenants beside the world's own, as other organizations' runs would have recorded them: one drifted,
 * one whose verification failed, one whose certificate expires within days, one healthy. Dates are
 * relative to `now`, the time the browser also reads.
 */
export const OTHER_TENANTS = { drifted: 'fabrikam.com', failed: 'northwind.com', expiring: 'tailspin.com', healthy: 'litware.com' } as const;

export async function recordOtherTenants(stack: LocalStack, now: number): Promise<void> {
    const registry = TenantRegistry.withConnectionString(stack.azurite.connectionString, stack.appSettings.PPO_REGISTRY_TABLE ?? 'tenants');
    const at = (days: number) => new Date(now + days * DAY_MS);
    const tenants: [string, number, RunRecord][] = [
        [OTHER_TENANTS.drifted, 500, verification(OTHER_TENANTS.drifted, 'drifted', at(-1), [ok('authConfigCertificate'), { id: 'keyCredential', state: 'drifted', detail: 'the key credential of the certificate is missing from the key target' }, ok('pushProxy')])],
        [OTHER_TENANTS.failed, 400, verification(OTHER_TENANTS.failed, 'failed', at(-2), [ok('authConfigCertificate'), { id: 'probe', state: 'failed', detail: 'PushNotificationsEnterpriseConnectivityProbe: Failed' }])],
        [OTHER_TENANTS.expiring, 10, verification(OTHER_TENANTS.expiring, 'succeeded', at(-1), [ok('authConfigCertificate'), ok('keyCredential'), ok('probe')])],
        [OTHER_TENANTS.healthy, 700, verification(OTHER_TENANTS.healthy, 'succeeded', at(-1), [ok('authConfigCertificate'), ok('keyCredential'), ok('probe')])],
    ];
    for (const [domain, expiresInDays, run] of tenants) {
        await registry.save(record(domain, `${domain.split('.')[0] ?? domain}-exchange`, at(expiresInDays), at(-90)));
        await registry.recordRun(run);
    }
}
