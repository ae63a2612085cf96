import { describe, expect, it } from 'vitest';
import { buildDemoReport, renderOutcome } from '../../local/cli/demo-report';
import type { RunView } from '../../cli/run-api-schemas';
import { AFTER, BEFORE, failedRun, NEW_KEY, OAUTH, OLD_KEY, steps } from './support/snapshots';

const SUCCEEDED_RUN: RunView = {
    instanceId: 'tenant-contoso.com',
    runtimeStatus: 'Completed',
    steps: steps({ inventory: 'succeeded', authConfig: 'skipped', probe: 'succeeded' }),
    error: null,
    output: {
        outcome: 'succeeded',
        tenantDomain: 'contoso.com',
        certificate: { thumbprint: OAUTH, notAfter: '2028-01-05T09:00:00.000Z', source: 'reused', keyVaultName: null },
        installed: { imported: ['EX2'], present: [] },
        authServer: 'updated',
        keyCredentials: { keyId: NEW_KEY, added: true, before: [OLD_KEY], after: [OLD_KEY, NEW_KEY] },
        probe: { server: 'EX1', resultType: 'Succeeded', attempts: 2 },
        changes: [`installed ${OAUTH} on EX2`, 'updated AuthServer MicrosoftSts'],
    },
};

describe('buildDemoReport', () => {
    it('takes a succeeded run from the API output, with exactly the documented fields', () => {
        // Act
        const report = buildDemoReport({ run: SUCCEEDED_RUN, before: BEFORE, after: AFTER });

        // Assess
        expect(report).toStrictEqual({
            outcome: 'succeeded',
            instanceId: 'tenant-contoso.com',
            steps: [
                { id: 'inventory', state: 'succeeded', detail: 'inventory succeeded' },
                { id: 'authConfig', state: 'skipped', detail: 'authConfig skipped' },
                { id: 'probe', state: 'succeeded', detail: 'probe succeeded' },
            ],
            probe: { resultType: 'Succeeded', attempts: 2 },
            certificate: { thumbprint: OAUTH, notAfter: '2028-01-05T09:00:00.000Z', source: 'reused', keyVaultName: null },
            installed: { imported: ['EX2'], present: [] },
            authServer: 'updated',
            keyCredentials: { before: [OLD_KEY], after: [OLD_KEY, NEW_KEY] },
            changes: [`installed ${OAUTH} on EX2`, 'updated AuthServer MicrosoftSts'],
        });
    });

    it('reports a failed run with its error and the key credentials the world shows', () => {
        // Prepare
        const run = failedRun('preflight', { inventory: 'succeeded', preflight: 'failed', certificate: 'pending', authServer: 'pending', probe: 'pending' });

        // Act
        const report = buildDemoReport({ run, before: BEFORE, after: BEFORE });

        // Assess
        expect(report).toStrictEqual({
            outcome: 'failed',
            instanceId: 'tenant-contoso.com',
            steps: expect.arrayContaining([{ id: 'preflight', state: 'failed', detail: 'preflight failed' }]) as unknown,
            keyCredentials: { before: [OLD_KEY], after: [OLD_KEY] },
            changes: [],
            error: { step: 'preflight', code: 'preflight_failed', message: 'preflight went wrong', remedy: 'fix it' },
        });
    });

    it('adds what a run that failed late had already done, read from the world', () => {
        // Prepare
        const run = { ...failedRun('probe', { certificate: 'succeeded', authServer: 'succeeded', probe: 'failed', registry: 'pending' }), output: { outcome: 'failed', changes: ['created AuthServer MicrosoftSts'] } };
        const after = { ...AFTER, exchange: { ...AFTER.exchange, probesRun: 3 } };

        // Act
        const report = buildDemoReport({ run, before: BEFORE, after });

        // Assess
        expect(report).toMatchObject({
            outcome: 'failed',
            probe: { resultType: 'Failed', attempts: 3 },
            certificate: { thumbprint: OAUTH, notAfter: '2028-01-05T09:00:00.000Z', source: 'created' },
            authServer: 'created',
            keyCredentials: { before: [OLD_KEY], after: [OLD_KEY, NEW_KEY] },
            changes: ['created AuthServer MicrosoftSts'],
            error: { step: 'probe', code: 'probe_failed' },
        });
    });

    it.each([
        { name: 'unchanged', before: AFTER, authServer: 'unchanged' },
        { name: 'updated', before: { ...AFTER, exchange: { ...AFTER.exchange, authServers: [{ name: 'MicrosoftSts', authMetadataUrl: 'https://old/', enabled: true }] } }, authServer: 'updated' },
    ])('derives an $name AuthServer from the world when the run failed after that step', ({ before, authServer }) => {
        // Prepare
        const run = failedRun('registerKey', { authServer: 'succeeded', registerKey: 'failed' });

        // Act
        const report = buildDemoReport({ run, before, after: AFTER });

        // Assess
        expect(report.authServer).toBe(authServer);
        expect(report.probe).toBeUndefined();
    });

    it('reports a request the API refused as a failure of the request step', () => {
        // Act
        const report = buildDemoReport({ refused: { code: 'run_in_progress', message: 'a run is Running' }, before: BEFORE, after: BEFORE });

        // Assess
        expect(report).toStrictEqual({
            outcome: 'failed',
            instanceId: null,
            steps: [],
            keyCredentials: { before: [OLD_KEY], after: [OLD_KEY] },
            changes: [],
            error: { step: 'request', code: 'run_in_progress', message: 'a run is Running', remedy: null },
        });
    });

    it.each([
        { name: 'a dry-run output', run: { ...SUCCEEDED_RUN, output: { outcome: 'dryRun', plannedChanges: [] } }, code: 'unexpected_output' },
        { name: 'a terminated run', run: { ...SUCCEEDED_RUN, runtimeStatus: 'Terminated', output: null }, code: 'unexpected_status' },
    ])('never calls $name a success', ({ run, code }) => {
        // Act
        const report = buildDemoReport({ run, before: BEFORE, after: AFTER });

        // Assess
        expect(report.outcome).toBe('failed');
        expect(report.error?.code).toBe(code);
    });
});

describe('renderOutcome', () => {
    it.each([
        {
            report: buildDemoReport({ run: SUCCEEDED_RUN, before: BEFORE, after: AFTER }),
            lines: ['Onboarding succeeded (tenant-contoso.com).', 'Probe PushNotificationsEnterpriseConnectivityProbe: Succeeded on attempt 2.'],
        },
        {
            report: buildDemoReport({ run: failedRun('preflight', { preflight: 'failed' }), before: BEFORE, after: BEFORE }),
            lines: ['Onboarding failed at step preflight (preflight_failed): preflight went wrong', 'What to do: fix it'],
        },
    ])('ends with the probe result or the error: $lines.0', ({ report, lines }) => {
        // Act
        const rendered = renderOutcome(report);

        // Assess
        expect(rendered).toEqual(lines);
    });
});
