import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PartialOnboarding } from '../../lib/contracts/activities';
import type { LocalStack } from '../../local/stack/local-stack';
import { api, checkStates, onboard, verify, type RunView } from './support/api';
import { scenarioPath, startWorld } from './support/world';

interface TenantView {
    readonly tenantDomain: string;
    readonly certificate: { readonly thumbprint: string; readonly source: string; readonly keyVaultName: string | null };
    readonly keyCredentialId: string | null;
    readonly partial?: PartialOnboarding;
}

const README = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');

/**
 * The case: a run that created and installed a certificate, registered its key, set
 * AuthConfig and enabled the proxy, then failed at the probe (probe-fails-twice, with two attempts).
 */
describe('an onboarding that fails after changing things', () => {
    let stack: LocalStack;
    let failed: RunView;

    beforeAll(async () => {
        stack = await startWorld(scenarioPath('probe-fails-twice'));
        failed = await onboard(stack, { probeAttempts: 2 });
    });

    afterAll(async () => {
        await stack.stop();
    });

    it('fails at the probe, and its output still lists every change it made, in order', () => {
        expect(failed.runtimeStatus).toBe('Failed');
        expect(failed.error).toMatchObject({ step: 'probe', code: 'probe_failed' });
        expect(failed.output).toEqual({
            outcome: 'failed',
            changes: [
                // AuthServer and the push proxy run alongside the certificate's creation and are recorded when they finish, before it.
                'created AuthServer MicrosoftSts',
                'enabled the push notification proxy for contoso.com to https://outlook.office365.com/PushNotifications',
                expect.stringMatching(/^created certificate [0-9A-F]{40} in Key Vault/),
                expect.stringMatching(/^installed [0-9A-F]{40} on EX1, EX2$/),
                expect.stringMatching(/^registered key [0-9a-f-]{36} on /),
                expect.stringMatching(/^Set-AuthConfig current certificate [0-9A-F]{40}$/),
                'restarted MSExchangeServiceHost and recycled MSExchangeOWAAppPool, MSExchangeECPAppPool on EX1, EX2',
            ],
        });
    });

    it('leaves the tenant in the registry as partially onboarded, with its certificate, key and what the run changed', async () => {
        // Act
        const list = await api<{ tenants: readonly TenantView[] }>(stack, 'GET', 'tenants');

        // Assess
        expect(list.body.tenants).toHaveLength(1);
        const tenant = list.body.tenants[0];
        expect(tenant).toMatchObject({ tenantDomain: 'contoso.com', certificate: { source: 'created', keyVaultName: expect.any(String) as string }, keyCredentialId: expect.any(String) as string });
        expect(tenant?.partial).toMatchObject({ instanceId: 'tenant-contoso.com', error: { step: 'probe', code: 'probe_failed' }, changes: (failed.output as { changes: string[] }).changes });
    });

    it('is re-verified, which reports it partially onboarded and says how to resume', async () => {
        // Act
        const run = await verify(stack, 'report');

        // Assess
        expect(run.runtimeStatus).toBe('Completed');
        expect(run.output).toMatchObject({ outcome: 'failed' });
        expect(checkStates(run)).toMatchObject({ onboarding: 'failed', certificateOnServers: 'ok', keyCredential: 'ok', pushProxy: 'ok' });
        expect((run.output as { checks: { id: string; detail: string }[] }).checks.find((c) => c.id === 'onboarding')?.detail).toMatch(/^partially onboarded: run .* stopped at probe .*Onboard again to resume/);
    });

    it('has every change it lists undone by a row of the README\'s "Resume or undo a partial onboarding"', () => {
        // Prepare
        const section = README.split('### Resume or undo a partial onboarding')[1]?.split('\n## ')[0] ?? '';
        const changesUndone = section
            .split('\n')
            .filter((line) => line.startsWith('| `'))
            .flatMap((row) => [...(row.split('|')[1] ?? '').matchAll(/`([^`]+)`/g)].map((match) => match[1] ?? ''))
            .map((template) => new RegExp(`^${template.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/<[^>]+>/g, '.+')}`));

        // Act
        const withoutUndo = (failed.output as { changes: string[] }).changes.filter((change) => !changesUndone.some((pattern) => pattern.test(change)));

        // Assess
        expect(section).toContain('**Resume**');
        expect(withoutUndo).toEqual([]);
    });

    it('is onboarded completely by the next onboarding, which clears the partial mark and keeps the certificate it created', async () => {
        // Prepare
        const before = (await api<{ tenant: TenantView }>(stack, 'GET', 'tenants/contoso.com')).body.tenant;

        // Act
        const run = await onboard(stack);
        const after = (await api<{ tenant: TenantView }>(stack, 'GET', 'tenants/contoso.com')).body.tenant;

        // Assess
        expect(run.runtimeStatus).toBe('Completed');
        expect(run.output).toMatchObject({ changes: [] });
        expect(after.partial).toBeUndefined();
        expect(after.certificate).toEqual(before.certificate);
    });
});
