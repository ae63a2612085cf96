import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TenantRecord } from '../../lib/contracts/activities';
import type { ReverifyAllSummary } from '../../lib/contracts/reverify';
import { TenantRegistry } from '../../lib/registry/tenant-registry';
import { VirtualClock } from '../../local/clock';
import { InMemoryDurableStore, isTerminal, type InstanceRecord } from '../../local/host';
import type { LocalStack } from '../../local/stack/local-stack';
import { api, waitForRun } from './support/api';
import { DEFAULT_SCENARIO, startWorld } from './support/world';

const TENANTS = 200;

/** Counts how many reverifyTenant instances run at the same time. */
class ConcurrencyWatchingStore extends InMemoryDurableStore {
    private readonly running = new Set<string>();
    maxRunning = 0;

    override put(record: InstanceRecord): void {
        super.put(record);
        if (record.name !== 'reverifyTenant') return;
        if (isTerminal(record.runtimeStatus)) this.running.delete(record.instanceId);
        else this.running.add(record.instanceId);
        this.maxRunning = Math.max(this.maxRunning, this.running.size);
    }
}

function syntheticTenant(domain: string): TenantRecord {
    return {
        tenantDomain: domain,
        tenantId: null,
        cloud: 'global',
        keyTarget: { kind: 'firstPartyServicePrincipal' },
        hybridConnection: 'contoso-exchange',
        organizationGuid: null,
        reverifyMode: 'report',
        certificate: { thumbprint: 'A'.repeat(40), notAfter: '2030-01-01T00:00:00.000Z', source: 'created', keyVaultName: null, keyVaultVersion: null },
        keyCredentialId: null,
        onboardedAt: '2025-06-01T00:00:00.000Z',
    };
}

describe(`reverifyAll over ${TENANTS} tenants in batches of 10`, () => {
    const store = new ConcurrencyWatchingStore();
    const clock = new VirtualClock();
    let stack: LocalStack;
    let registry: TenantRegistry;
    let summary: ReverifyAllSummary;

    beforeAll(async () => {
        stack = await startWorld(DEFAULT_SCENARIO, { store, clock });
        registry = TenantRegistry.withConnectionString(stack.azurite.connectionString, 'tenants');
        const domains = Array.from({ length: TENANTS }, (_, i) => `t${String(i).padStart(3, '0')}.example.com`);
        for (const domain of [...domains, 'contoso.com']) await registry.save(syntheticTenant(domain));

        // contoso.com is being onboarded, held at its first durable timer, while the timer fires.
        clock.setAutoAdvance(false);
        const onboarding = await api<{ instanceId: string }>(stack, 'POST', 'tenants/contoso.com/onboard', { agent: { hybridConnection: 'contoso-exchange' } });
        if (onboarding.status !== 202) throw new Error(`onboarding answered ${onboarding.status}`);
        await stack.host.whenIdle();

        await stack.host.fireFunction('reverifyAllTimer');
        const run = await waitForRun(stack, 'reverify-all');
        if (run.runtimeStatus !== 'Completed') throw new Error(`reverifyAll ended ${run.runtimeStatus}: ${JSON.stringify(run.error)}`);
        summary = run.output as unknown as ReverifyAllSummary;
        clock.setAutoAdvance(true);
        await waitForRun(stack, onboarding.body.instanceId);
    }, 300_000);

    afterAll(async () => {
        await stack.stop();
    });

    it('verifies every tenant once and skips the one with a run in progress', async () => {
        // Act
        const entries = await registry.list();

        // Assess
        expect(summary.tenants).toBe(TENANTS + 1);
        expect(summary.outcomes.skipped).toBe(1);
        const synthetic = entries.filter((e) => e.record.tenantDomain.endsWith('.example.com'));
        expect(synthetic).toHaveLength(TENANTS);
        expect(synthetic.every((e) => e.history.length === 1 && e.history[0]?.kind === 'reverifyTenant')).toBe(true);
    });

    it('never runs more than 10 at once', () => {
        expect(store.maxRunning).toBeGreaterThan(1);
        expect(store.maxRunning).toBeLessThanOrEqual(10);
    });

    it('keeps the parent history one batch long (continue-as-new)', () => {
        const parent = store.get('reverify-all');
        expect(parent?.history.length).toBeLessThan(80);
    });

    it('lists the tenants that need attention', () => {
        expect(summary.outcomes.drifted + summary.outcomes.failed).toBe(TENANTS);
        expect(summary.needsAttention.length).toBe(100);
    });
});
