import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunRecord, TenantRecord } from '../../lib/contracts/activities';
import { Logger, MemoryLogSink, withInvocationLogger } from '../../lib/logger';
import { RUN_HISTORY_LIMIT, TenantRegistry, type RunClaim } from '../../lib/registry/tenant-registry';
import { startAzuriteTables, type RunningAzurite } from '../../local/azurite';

let azurite: RunningAzurite;

beforeAll(async () => {
    azurite = await startAzuriteTables();
});

afterAll(async () => {
    await azurite.stop();
});

function tenant(domain: string): TenantRecord {
    return {
        tenantDomain: domain,
        tenantId: null,
        cloud: 'global',
        keyTarget: { kind: 'firstPartyServicePrincipal' },
        hybridConnection: 'contoso-exchange',
        organizationGuid: null,
        reverifyMode: 'report',
        certificate: { thumbprint: 'ABC', notAfter: '2028-01-01T00:00:00.000Z', source: 'created', keyVaultName: 'ppo-contoso-com', keyVaultVersion: 'v1' },
        keyCredentialId: '9d1c0a8e-0000-4000-8000-000000000001',
        onboardedAt: '2026-01-05T09:00:00.000Z',
    };
}

function run(domain: string, n: number): RunRecord {
    return { tenantDomain: domain, instanceId: `tenant-${domain}`, runId: `run-${n}`, kind: 'reverifyTenant', outcome: 'succeeded', at: new Date(Date.UTC(2026, 0, n)).toISOString(), summary: `run ${n}` };
}

describe('TenantRegistry on Azurite', () => {
    it('saves, reads and lists tenant records', async () => {
        // Prepare
        const registry = TenantRegistry.withConnectionString(azurite.connectionString, 'tenantsA');

        // Act
        await registry.save(tenant('contoso.com'));
        await registry.save(tenant('fabrikam.com'));
        const one = await registry.get('contoso.com');
        const all = await registry.list();

        // Assess
        expect(one?.record).toEqual(tenant('contoso.com'));
        expect(one?.lastRun).toBeNull();
        expect(all.map((e) => e.record.tenantDomain).sort()).toEqual(['contoso.com', 'fabrikam.com']);
        expect(await registry.get('unknown.example')).toBeUndefined();
    });

    it('keeps the newest runs, bounded, and the latest one apart', async () => {
        // Prepare
        const registry = TenantRegistry.withConnectionString(azurite.connectionString, 'tenantsB');
        await registry.save(tenant('contoso.com'));

        // Act
        for (let n = 1; n <= RUN_HISTORY_LIMIT + 3; n++) await registry.recordRun(run('contoso.com', n));
        await registry.save({ ...tenant('contoso.com'), keyCredentialId: 'other' });
        const entry = await registry.get('contoso.com');

        // Assess
        expect(entry?.history).toHaveLength(RUN_HISTORY_LIMIT);
        expect(entry?.history[0]?.runId).toBe(`run-${RUN_HISTORY_LIMIT + 3}`);
        expect(entry?.lastRun?.runId).toBe(`run-${RUN_HISTORY_LIMIT + 3}`);
        expect(entry?.record.keyCredentialId).toBe('other');
    });

    it('records the same run once even when delivered twice', async () => {
        // Prepare
        const registry = TenantRegistry.withConnectionString(azurite.connectionString, 'tenantsC');
        await registry.save(tenant('contoso.com'));

        // Act
        await registry.recordRun(run('contoso.com', 1));
        await registry.recordRun(run('contoso.com', 1));

        // Assess
        expect((await registry.get('contoso.com'))?.history).toHaveLength(1);
    });

    it('logs each write it retries after another writer changed the row, with the service, attempt of, error and wait', async () => {
        // Prepare
        const registry = TenantRegistry.withConnectionString(azurite.connectionString, 'tenantsR');
        await registry.save(tenant('contoso.com'));
        const logs = new MemoryLogSink();

        // Act: three runs recorded at once race for the one row
        await withInvocationLogger(new Logger({}, logs.sink), () => Promise.all([1, 2, 3].map((n) => registry.recordRun(run('contoso.com', n)))));

        // Assess
        expect((await registry.get('contoso.com'))?.history).toHaveLength(3);
        const retries = logs.records.filter((record) => record.event === 'Retry');
        expect(retries.length).toBeGreaterThan(0);
        for (const retry of retries) expect(retry).toMatchObject({ service: 'registry', operation: 'recordRun', attempt: expect.any(Number) as unknown, of: 5, errorClass: 'RestError', errorCode: '412', waitMs: 0 });
    });
});

describe('TenantRegistry paging', () => {
    it('pages through every tenant exactly once, in domain order', async () => {
        // Prepare
        const registry = TenantRegistry.withConnectionString(azurite.connectionString, 'tenantsD');
        const domains = Array.from({ length: 23 }, (_, i) => `t${String(i).padStart(2, '0')}.example.com`);
        for (const domain of [...domains].reverse()) await registry.save(tenant(domain));

        // Act
        const seen: string[] = [];
        let after: string | null = null;
        let pages = 0;
        do {
            const page: { entries: { record: TenantRecord }[]; next: string | null } = await registry.listPage(after, 10);
            seen.push(...page.entries.map((e) => e.record.tenantDomain));
            after = page.next;
            pages++;
        } while (after !== null);

        // Assess
        expect(seen).toEqual(domains);
        expect(pages).toBe(3);
    });
});

describe('TenantRegistry run claims', () => {
    const claim = (runId: string): RunClaim => ({ runId, orchestration: 'onboardTenant', claimedAt: '2026-01-05T09:00:00.000Z' });

    it('lets exactly one of many simultaneous claims of a tenant through, and keeps the claims out of the tenant list', async () => {
        // Prepare
        const registry = TenantRegistry.withConnectionString(azurite.connectionString, 'tenantsE');

        // Act
        const results = await Promise.all(Array.from({ length: 20 }, (_, i) => registry.claimRun('contoso.com', claim(`run-${i}`))));

        // Assess
        const winners = results.flatMap((r, i) => (r.claimed ? [`run-${i}`] : []));
        expect(winners).toHaveLength(1);
        expect(results.filter((r) => !r.claimed).map((r) => (r.claimed ? '' : r.holder.runId))).toEqual(Array.from({ length: 19 }, () => winners[0]));
        expect(await registry.list()).toEqual([]);
    });

    it('lets exactly one of many simultaneous takeovers of a stale claim through', async () => {
        // Prepare
        const registry = TenantRegistry.withConnectionString(azurite.connectionString, 'tenantsF');
        await registry.claimRun('contoso.com', claim('old'));
        const held = await registry.claimRun('contoso.com', claim('reader'));
        if (held.claimed) throw new Error('the first claim should hold the tenant');

        // Act
        const results = await Promise.all(Array.from({ length: 10 }, (_, i) => registry.takeOverClaim('contoso.com', held.holder, claim(`new-${i}`))));

        // Assess
        expect(results.filter(Boolean)).toHaveLength(1);
    });

    it('releases a claim only for the run that holds it', async () => {
        // Prepare
        const registry = TenantRegistry.withConnectionString(azurite.connectionString, 'tenantsG');
        await registry.claimRun('contoso.com', claim('holder'));

        // Act
        await registry.releaseClaim('contoso.com', 'someone-else');
        const afterForeignRelease = await registry.claimRun('contoso.com', claim('second'));
        await registry.releaseClaim('contoso.com', 'holder');
        const afterOwnRelease = await registry.claimRun('contoso.com', claim('third'));

        // Assess
        expect(afterForeignRelease.claimed).toBe(false);
        expect(afterOwnRelease.claimed).toBe(true);
    });
});

describe('TenantRegistry saving over a record', () => {
    const reused = (thumbprint: string): TenantRecord['certificate'] => ({ thumbprint, notAfter: '2028-01-01T00:00:00.000Z', source: 'reused', keyVaultName: null, keyVaultVersion: null });

    it.each([
        ['the same certificate found on the servers', reused('ABC'), { thumbprint: 'ABC', source: 'created', keyVaultName: 'ppo-contoso-com', keyVaultVersion: 'v1' }],
        ['another certificate', reused('DEF'), { thumbprint: 'DEF', source: 'reused', keyVaultName: null, keyVaultVersion: null }],
    ])('keeps the first onboarding time and, for %s, what it knew of the certificate', async (_name, certificate, expected) => {
        // Prepare
        const registry = TenantRegistry.withConnectionString(azurite.connectionString, `tenantsH${certificate.thumbprint}`);
        await registry.save(tenant('contoso.com'));

        // Act
        await registry.save({ ...tenant('contoso.com'), certificate, onboardedAt: '2026-03-01T00:00:00.000Z', lastRunAt: '2026-03-01T00:00:00.000Z' });
        const record = (await registry.get('contoso.com'))?.record;

        // Assess
        expect(record?.certificate).toMatchObject(expected);
        expect({ onboardedAt: record?.onboardedAt, lastRunAt: record?.lastRunAt }).toEqual({ onboardedAt: '2026-01-05T09:00:00.000Z', lastRunAt: '2026-03-01T00:00:00.000Z' });
    });
});
