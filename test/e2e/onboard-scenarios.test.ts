import { describe, expect, it } from 'vitest';
import type { OnboardSucceeded } from '../../lib/contracts/onboarding-result';
import { api } from './support/api';
import { itEndsInTheExpectedWorld, onboardScenario } from './support/scenario-run';
import { tenantMetadataUrl } from './support/scenarios';
import { cloudWrites, failedActivities, READ_ONLY_CMDLETS, scheduledActivities, timerWaitsSeconds, writeCommands } from './support/world-state';

/** The wait after restarting MSExchangeHM (a durable timer of every onboarding). */
const SETTLE_SECONDS = 120;

/** Key credentials on the service principal in pre-existing-key-credentials.json. */
const PRE_EXISTING = ['33333333-aaaa-4bbb-8ccc-000000000001', '33333333-aaaa-4bbb-8ccc-000000000002', '33333333-aaaa-4bbb-8ccc-000000000003'];
/** faults.keyVault.creationDelaySeconds in slow-key-vault.json. */
const CREATION_DELAY_SECONDS = 420;

/* One world per scenario of test/scenarios (the checks every scenario shares are in support/scenario-run.ts). */

describe('an organization the product onboarded earlier', () => {
    const get = onboardScenario('already-onboarded');

    itEndsInTheExpectedWorld(get);

    it('changes nothing: reuses the certificate, finds its key registered and MicrosoftSts unchanged', () => {
        // Prepare
        const { stack, run } = get();

        // Assess
        expect(run.output).toMatchObject({
            certificate: { source: 'reused', thumbprint: stack.exchange.thumbprintOf('oauth'), keyVaultName: null },
            installed: { imported: [], present: [] },
            authServer: 'unchanged',
            keyCredentials: { added: false, keyId: '22222222-aaaa-4bbb-8ccc-000000000001' },
            changes: [],
        });
        expect(cloudWrites(stack)).toEqual({ graphPatches: 0, keyVaultCreates: 0, pfxReads: 0 });
        expect(stack.cloud.keyVault.certificates()).toEqual([]);
    });

    it('probes without restarting MSExchangeHM, since nothing changed on premises, and writes nothing else', () => {
        // Prepare
        const { stack, run } = get();

        // Assess
        expect(run.output).toMatchObject({ probe: { resultType: 'Succeeded', attempts: 1 }, changes: [] });
        expect(writeCommands(stack)).toEqual(['Enable-PushNotificationProxy', 'Invoke-MonitoringProbe @EX1']);
        expect(stack.exchange.pushProxyState().enabledAt).toBe(new Date(Date.UTC(2026, 0, 4, 9, 0, 0)).toISOString());
    });
});

describe('a MicrosoftSts AuthServer pointing at another tenant', () => {
    const get = onboardScenario('auth-server-wrong-url');

    itEndsInTheExpectedWorld(get);

    it('updates it in place to the tenant realm with Set-AuthServer, never a second one', () => {
        // Prepare
        const { stack, run } = get();

        // Act
        const commands = writeCommands(stack);

        // Assess
        expect(run.output).toMatchObject({ authServer: 'updated' });
        expect(run.steps.find((s) => s.id === 'authServer')?.detail).toBe(`updated: ${tenantMetadataUrl('contoso.com')}`);
        expect(commands.filter((c) => /AuthServer/.test(c))).toEqual(['Set-AuthServer']);
        expect(stack.exchange.authServers()).toEqual([expect.objectContaining({ name: 'MicrosoftSts', authMetadataUrl: tenantMetadataUrl('contoso.com'), realm: stack.scenario.entra.tenantId })]);
    });
});

describe('a valid OAuth certificate on one of two servers', () => {
    const get = onboardScenario('oauth-certificate-on-one-server');

    itEndsInTheExpectedWorld(get);

    it('reuses it, and creates nothing in Key Vault', () => {
        // Prepare
        const { stack, run } = get();

        // Assess
        expect(run.output).toMatchObject({ certificate: { source: 'reused', thumbprint: stack.exchange.thumbprintOf('oauth'), keyVaultName: null } });
        expect(stack.cloud.keyVault.certificates()).toEqual([]);
        expect(stack.cloud.keyVault.requests.filter((r) => r.path.startsWith('/certificates/'))).toEqual([]);
        expect(cloudWrites(stack)).toEqual({ graphPatches: 1, keyVaultCreates: 0, pfxReads: 0 });
    });

    it('copies it on premises from EX1 to EX2 with its private key, and registers that certificate', () => {
        // Prepare
        const { stack, run } = get();
        const output = run.output as unknown as OnboardSucceeded;
        const thumbprint = stack.exchange.thumbprintOf('oauth');

        // Act
        const copy = stack.exchange.certificatesOn('EX2').find((c) => c.thumbprint === thumbprint);
        const registered = stack.cloud.graph.keyTargetCredentials().find((k) => k.keyId === output.keyCredentials.keyId);

        // Assess
        expect(output.installed).toEqual({ imported: ['EX2'], present: [] });
        expect(stack.exchange.commandLog().filter((c) => /-ExchangeCertificate$/.test(c.cmdlet) && c.cmdlet !== 'Get-ExchangeCertificate')).toEqual([
            expect.objectContaining({ cmdlet: 'Export-ExchangeCertificate', server: 'EX1' }),
            expect.objectContaining({ cmdlet: 'Import-ExchangeCertificate', server: 'EX2' }),
            expect.objectContaining({ cmdlet: 'Enable-ExchangeCertificate', server: 'EX2' }),
        ]);
        expect(copy).toMatchObject({ hasPrivateKey: true });
        expect(registered).toMatchObject({ thumbprint, usage: 'Verify' });
    });
});

describe('a server below Exchange 2013 CU3', () => {
    const get = onboardScenario('server-below-cu3');

    itEndsInTheExpectedWorld(get);

    it('fails the preflight naming the server and its build, and says what to do', () => {
        // Prepare
        const { run } = get();

        // Assess
        expect(run.error).toMatchObject({ step: 'preflight', code: 'preflight_failed' });
        expect(run.error?.remedy).toContain('CU3');
        expect(run.error?.message).toContain('EX2 runs Exchange build 15.0.712.24');
        expect(run.error?.message).not.toContain('EX1');
    });

    it('writes nothing anywhere: only reads on premises, no Graph PATCH, nothing in Key Vault, no registry record', async () => {
        // Prepare
        const { stack } = get();

        // Act
        const tenants = await api<{ tenants: readonly unknown[] }>(stack, 'GET', 'tenants');

        // Assess
        expect(stack.exchange.commandLog().filter((c) => !READ_ONLY_CMDLETS.has(c.cmdlet))).toEqual([]);
        expect(stack.cloud.graph.requests.map((r) => r.method)).not.toContain('PATCH');
        expect(cloudWrites(stack)).toEqual({ graphPatches: 0, keyVaultCreates: 0, pfxReads: 0 });
        expect(stack.cloud.keyVault.requests.filter((r) => r.path.startsWith('/certificates/'))).toEqual([]);
        expect(tenants.body.tenants).toEqual([]);
    });
});

describe('a connectivity probe that fails twice, then succeeds', () => {
    const get = onboardScenario('probe-fails-twice');

    itEndsInTheExpectedWorld(get);

    it('probes three times, waiting on durable timers in between, after a single restart of MSExchangeHM', () => {
        // Prepare
        const { stack, run } = get();

        // Act
        const probes = stack.exchange.commandLog().filter((c) => c.cmdlet === 'Invoke-MonitoringProbe');

        // Assess
        expect(run.output).toMatchObject({ probe: { resultType: 'Succeeded', attempts: 3 } });
        expect(run.steps.find((s) => s.id === 'probe')?.detail).toBe('Succeeded on attempt 3');
        expect(probes.map((p) => p.server)).toEqual(['EX1', 'EX1', 'EX1']);
        expect(probes.map((p) => p.atMs - (probes[0]?.atMs ?? 0))).toEqual([0, 120_000, 240_000]);
        expect(stack.exchange.healthManagerRestarts('EX1')).toHaveLength(1);
        expect(timerWaitsSeconds(stack, run.instanceId).slice(-3)).toEqual([120, 120, 120]);
    });
});

describe('three key credentials already on the service principal', () => {
    const get = onboardScenario('pre-existing-key-credentials');

    itEndsInTheExpectedWorld(get);

    it('sends every existing credential back as key, type and usage in its one PATCH, next to the new one', () => {
        // Prepare
        const { stack, run, keyCredentialsBefore } = get();
        const output = run.output as unknown as OnboardSucceeded;

        // Act
        const patches = stack.cloud.graph.patchBodies() as { keyCredentials: Record<string, unknown>[] }[];

        // Assess
        expect(patches).toHaveLength(1);
        expect(patches[0]?.keyCredentials.slice(0, 3)).toEqual(keyCredentialsBefore.map((k) => ({ key: k.key, type: k.type, usage: k.usage })));
        expect(patches[0]?.keyCredentials).toHaveLength(4);
        expect(output.keyCredentials).toMatchObject({ added: true, before: PRE_EXISTING });
        expect(output.keyCredentials.after).toHaveLength(4);
        expect(run.steps.find((s) => s.id === 'registerKey')?.detail).toBe(`added key ${output.keyCredentials.keyId}; all 3 existing key credentials kept`);
    });
});

describe('Microsoft Graph throttling the key target lookup and the PATCH', () => {
    const get = onboardScenario('graph-throttling');

    itEndsInTheExpectedWorld(get);

    it('was answered 429 with Retry-After on the reads and on the PATCH, and retried until each went through', () => {
        // Prepare
        const { stack } = get();

        // Act
        const answers = stack.cloud.graph.requests.map((r) => `${r.method} ${r.path.includes('/servicePrincipals/') ? 'one' : 'list'} ${r.status}`);

        // Assess
        expect(answers.filter((a) => a === 'GET list 429')).toHaveLength(3);
        expect(answers.filter((a) => a === 'PATCH one 429')).toHaveLength(3);
        expect(answers.filter((a) => a.startsWith('PATCH one 2'))).toEqual(['PATCH one 204']);
        expect(answers.at(-1)).toBe('GET one 200');
    });

    it('waited out each long Retry-After on a durable timer, exactly as long as Graph asked, with no failed attempt', () => {
        // Prepare
        const { stack, run } = get();

        // Act
        const failed = failedActivities(stack, run.instanceId);
        const waits = timerWaitsSeconds(stack, run.instanceId).filter((seconds) => seconds >= 30 && seconds !== SETTLE_SECONDS);

        // Assess
        expect(failed).toEqual([]);
        expect(waits).toEqual([90, 90, 90, 90]);
    });
});

describe('a Key Vault that takes minutes to create the certificate', () => {
    const get = onboardScenario('slow-key-vault');

    itEndsInTheExpectedWorld(get);

    it('polls the pending operation between durable timers until it completes, without failing or blocking an activity', () => {
        // Prepare
        const { stack, run } = get();

        // Act
        const activities = scheduledActivities(stack, run.instanceId);
        const checks = activities.filter((name) => name === 'keyVaultCheckCertificate').length;
        const pollWaits = timerWaitsSeconds(stack, run.instanceId).slice(0, checks);

        // Assess
        expect(failedActivities(stack, run.instanceId)).toEqual([]);
        expect(checks).toBeGreaterThan(3);
        expect(pollWaits.reduce((sum, wait) => sum + wait, 0)).toBeGreaterThanOrEqual(CREATION_DELAY_SECONDS);
        expect(pollWaits.slice(0, -1).reduce((sum, wait) => sum + wait, 0)).toBeLessThan(CREATION_DELAY_SECONDS);
        expect(stack.cloud.keyVault.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/pending')).length).toBeGreaterThanOrEqual(checks);
    });

    it('shows the certificate step running for the whole wait on the durable clock', () => {
        // Prepare
        const { run } = get();

        // Act
        const step = run.steps.find((s) => s.id === 'certificate');
        const seconds = (Date.parse(step?.endedAt ?? '') - Date.parse(step?.startedAt ?? '')) / 1000;

        // Assess
        expect(step?.detail).toMatch(/^created [0-9A-F]{40} in Key Vault/);
        expect(seconds).toBeGreaterThanOrEqual(CREATION_DELAY_SECONDS);
    });
});

describe('a relay drop in the middle of installing the certificate', () => {
    const get = onboardScenario('relay-drop');

    itEndsInTheExpectedWorld(get);

    it('retries the call whose reply was lost, and the agent answers it from its store without importing again', () => {
        // Prepare
        const { stack, run } = get();

        // Act
        const imports = stack.exchange.commandLog().filter((c) => c.cmdlet === 'Import-ExchangeCertificate');

        // Assess
        expect(failedActivities(stack, run.instanceId)).toEqual(['agentInstallCertificate']);
        expect(scheduledActivities(stack, run.instanceId).filter((name) => name === 'agentInstallCertificate')).toHaveLength(2);
        expect(imports.map((c) => c.server)).toEqual(['EX1', 'EX2']);
        expect(run.output).toMatchObject({ installed: { imported: ['EX1', 'EX2'], present: [] } });
    });
});

describe('the agent restarting mid-run', () => {
    const get = onboardScenario('agent-restart');

    itEndsInTheExpectedWorld(get);

    it('loses the reply of the operation it was running, and the retry gets that result without running Set-AuthConfig twice', () => {
        // Prepare
        const { stack, run } = get();

        // Assess
        expect(stack.agent.restarts).toBe(1);
        expect(failedActivities(stack, run.instanceId)).toEqual(['agentSetAuthConfig']);
        expect(stack.exchange.commandLog().filter((c) => c.cmdlet.startsWith('Set-AuthConfig'))).toHaveLength(1);
    });
});
