import type { TenantRecord } from '../../lib/contracts/activities';

/** A registered tenant behind the scenario's agent, as the re-verification test suite makes them; in its own directory when tenantId is given. */
export function syntheticTenant(domain: string, hybridConnection: string, tenantId: string | null = null): TenantRecord {
    return {
        tenantDomain: domain,
        tenantId,
        cloud: 'global',
        keyTarget: { kind: 'firstPartyServicePrincipal' },
        hybridConnection,
        organizationGuid: null,
        reverifyMode: 'report',
        certificate: { thumbprint: 'A'.repeat(40), notAfter: '2030-01-01T00:00:00.000Z', source: 'created', keyVaultName: null, keyVaultVersion: null },
        keyCredentialId: null,
        onboardedAt: '2025-06-01T00:00:00.000Z',
    };
}
