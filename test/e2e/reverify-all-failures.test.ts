import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TenantRecord } from '../../lib/contracts/activities';
import { ATTENTION_DETAIL_LIMIT, type ReverifyAllSummary } from '../../lib/contracts/reverify';
import { TenantRegistry } from '../../lib/registry/tenant-registry';
import { customStatusSizeError } from '../../local/host/durable/orchestration-episode';
import { InMemoryDurableStore, type InstanceRecord } from '../../local/host';
import type { LocalStack } from '../../local/stack/local-stack';
import { waitForRun } from './support/api';
import { DEFAULT_SCENARIO, startWorld } from './support/world';

const FAILING = 100;

/** Keeps the largest custom status reverifyAll ever set. */
class StatusWatchingStore extends InMemoryDurableStore {
    largestStatus = '';

    override put(record: InstanceRecord): void {
        super.put(record);
        if (record.name === 'reverifyAll' && (record.customStatus?.length ?? 0) > this.largestStatus.length) this.largestStatus = record.customStatus ?? '';
    }
}

/** A tenant whose agent's hybrid connection the relay does not know: its run fails with a long message. */
function unreachableTenant(index: number): TenantRecord {
    const label = `tenant-${String(index).padStart(3, '0')}-${'x'.repeat(40)}`;
    return {
        tenantDomain: `${label}.${'long-subdomain-'.repeat(3)}example.com`,
        tenantId: null,
        cloud: 'global',
        keyTarget: { kind: 'firstPartyServicePrincipal' },
        hybridConnection: `${label}-${'unknown-hybrid-connection-'.repeat(4)}`.slice(0, 200),
        organizationGuid: null,
        reverifyMode: 'report',
        certificate: { thumbprint: 'B'.repeat(40), notAfter: '2030-01-01T00:00:00.000Z', source: 'created', keyVaultName: null, keyVaultVersion: null },
        keyCredentialId: null,
        onboardedAt: '2025-06-01T00:00:00.000Z',
    };
}

describe(`reverifyAll on a bad night: ${FAILING} tenants fail with long messages`, () => {
    const store = new StatusWatchingStore();
    let stack: LocalStack;
    let summary: ReverifyAllSummary;
    let runtimeStatus: string;

    beforeAll(async () => {
        stack = await startWorld(DEFAULT_SCENARIO, { store });
        const registry = TenantRegistry.withConnectionString(stack.azurite.connectionString, 'tenants');
        for (let index = 0; index < FAILING; index++) await registry.save(unreachableTenant(index));

        await stack.host.fireFunction('reverifyAllTimer');
        const run = await waitForRun(stack, 'reverify-all');
        runtimeStatus = run.runtimeStatus;
        summary = run.output as unknown as ReverifyAllSummary;
    }, 300_000);

    afterAll(async () => {
        await stack.stop();
    });

    it('completes and lists every failure with a bounded detail', () => {
        // Assess
        expect(runtimeStatus).toBe('Completed');
        expect(summary.outcomes.failed).toBe(FAILING);
        expect(summary.needsAttentionTotal).toBe(FAILING);
        expect(summary.needsAttention).toHaveLength(FAILING);
        expect(summary.needsAttention.every((entry) => entry.detail.length <= ATTENTION_DETAIL_LIMIT && !entry.detail.includes('StackTrace'))).toBe(true);
        expect(summary.needsAttention[0]?.detail).toMatch(/^Orchestrator function 'reverifyTenant' failed: inventory: /);
    });

    it('kept its custom status within the 16 KB the extension allows, and its output small', () => {
        // Assess
        expect(store.largestStatus.length).toBeGreaterThan(0);
        expect(customStatusSizeError(store.largestStatus)).toBeUndefined();
        expect(JSON.stringify(summary).length).toBeLessThan(45 * 1024);
    });
});
