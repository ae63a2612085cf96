import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultScenarioPath } from '../../local/cli/cli-args';
import type { DemoReport } from '../../local/cli/demo-report';
import { runDemo } from '../../local/cli/demo';
import { loadScenarioFile, type Scenario } from '../../local/scenario/schema';
import { CapturedStack, isClosed } from './support/captured-stack';
import { memoryIo, type MemoryIo } from './support/memory-io';

const ONBOARD_STEP_IDS = ['inventory', 'keyTarget', 'preflight', 'certificate', 'install', 'authServer', 'registerKey', 'authConfig', 'restartAuthServices', 'pushProxy', 'restartHealthManager', 'settle', 'probe', 'registry'];

interface DemoRun {
    readonly exitCode: number;
    readonly io: MemoryIo;
    readonly report: DemoReport;
    readonly captured: CapturedStack;
    readonly scenario: Scenario;
}

async function demo(scenarioPath: string): Promise<DemoRun> {
    const io = memoryIo();
    const captured = new CapturedStack();
    const exitCode = await runDemo(['--virtual-clock', '--json', '--scenario', scenarioPath], io, { startStack: captured.startStack });
    if (io.stdout.text === '') throw new Error(`the demo printed no JSON (exit ${exitCode}):\n${io.stderr.text}`);
    return { exitCode, io, report: JSON.parse(io.stdout.text) as DemoReport, captured, scenario: await loadScenarioFile(scenarioPath) };
}

describe('npm run demo -- --virtual-clock --json on the default scenario', () => {
    let run: DemoRun;

    beforeAll(async () => {
        run = await demo(defaultScenarioPath());
    });

    afterAll(async () => {
        await run?.captured.stack?.stop();
    });

    it('exits 0 with one JSON object on stdout and the progress on stderr', () => {
        expect(run.exitCode).toBe(0);
        expect(run.report.outcome).toBe('succeeded');
        expect(run.report.instanceId).toBe('tenant-contoso.com');
        expect(run.io.stderr.text).toContain('✓ probe');
        expect(run.io.stderr.text).toContain('Entra ID key credentials on the key target (before 2, after 3)');
    });

    it('lists every step, each succeeded or skipped', () => {
        expect(run.report.steps.map((step) => step.id)).toEqual(ONBOARD_STEP_IDS);
        expect(run.report.steps.filter((step) => step.state !== 'succeeded' && step.state !== 'skipped')).toEqual([]);
    });

    it('reports the certificate Exchange now uses, created in Key Vault and on every server', () => {
        // Prepare
        const { exchange, cloud } = run.captured.world;
        const certificate = run.report.certificate;
        const vaultVersions = cloud.keyVault.certificates().flatMap((c) => c.versions);

        // Assess
        expect(certificate?.source).toBe('created');
        expect(exchange.authConfig().currentThumbprint).toBe(certificate?.thumbprint);
        for (const server of ['EX1', 'EX2']) expect(exchange.certificatesOn(server).map((c) => c.thumbprint)).toContain(certificate?.thumbprint);
        expect(vaultVersions).toEqual([expect.objectContaining({ status: 'issued', thumbprint: certificate?.thumbprint })]);
        // The same instant: the report's text went through activities, which the Durable extension writes back as …Z without a zero fraction.
        expect(Date.parse(vaultVersions[0]?.notAfter ?? '')).toBe(Date.parse(certificate?.notAfter ?? ''));
    });

    it('reports the AuthServer created and the probe that succeeded, as the world shows them', () => {
        // Prepare
        const { exchange } = run.captured.world;

        // Assess
        expect(run.report.authServer).toBe('created');
        expect(exchange.authServers()).toEqual([expect.objectContaining({ name: 'MicrosoftSts', authMetadataUrl: 'https://accounts.accesscontrol.windows.net/metadata/json/1/?realm=contoso.com' })]);
        expect(run.report.probe).toEqual({ resultType: 'Succeeded', attempts: 1 });
        expect(exchange.commandLog().filter((c) => c.cmdlet === 'Invoke-MonitoringProbe')).toHaveLength(1);
        expect(exchange.pushProxyState()).toMatchObject({ enabled: true, organization: 'contoso.com' });
        expect(exchange.missingLink()).toBeUndefined();
    });

    it('reports the key credentials before and after as the key target holds them', () => {
        // Prepare
        const credentials = run.captured.world.cloud.graph.keyTargetCredentials();
        const scenarioKeys = run.scenario.entra.keyCredentials.map((k) => k.keyId);
        // The write re-created the earlier credentials under new keyIds: the added one is told by its certificate.
        const added = credentials.filter((c) => c.thumbprint === run.report.certificate?.thumbprint);

        // Assess
        expect(run.report.keyCredentials.before).toEqual(scenarioKeys);
        expect([...run.report.keyCredentials.after].sort()).toEqual(credentials.map((c) => c.keyId).sort());
        expect(added).toHaveLength(1);
        expect(credentials).toHaveLength(scenarioKeys.length + 1);
    });

    it('stops the whole stack before returning', async () => {
        expect(await isClosed(run.captured.world.baseUrl)).toBe(true);
    });
});

describe('npm run demo -- --virtual-clock --json on an organization with a server below CU3', () => {
    let run: DemoRun;

    beforeAll(async () => {
        run = await demo(join(__dirname, 'fixtures', 'server-below-cu3.json'));
    });

    afterAll(async () => {
        await run?.captured.stack?.stop();
    });

    it('exits 1 and reports the preflight error naming the server and its build', () => {
        expect(run.exitCode).toBe(1);
        expect(run.report.outcome).toBe('failed');
        expect(run.report.error).toMatchObject({ step: 'preflight', code: 'preflight_failed', remedy: expect.stringContaining('CU3') as unknown });
        expect(run.report.error?.message).toMatch(/EX2.*15\.0\.712\.24|EX2.*712\.24/);
        expect(run.report.steps.find((step) => step.id === 'preflight')?.state).toBe('failed');
        expect(run.io.stderr.text).toContain('Onboarding failed at step preflight (preflight_failed)');
    });

    it('reports nothing it did not do, and the world shows nothing was written', () => {
        // Prepare
        const { exchange, cloud } = run.captured.world;
        const scenarioKeys = run.scenario.entra.keyCredentials.map((k) => k.keyId);

        // Assess
        expect(Object.keys(run.report).sort()).toEqual(['changes', 'error', 'instanceId', 'keyCredentials', 'outcome', 'steps']);
        expect(run.report.keyCredentials).toEqual({ before: scenarioKeys, after: scenarioKeys });
        expect(cloud.graph.keyTargetCredentials().map((c) => c.keyId)).toEqual(scenarioKeys);
        expect(cloud.keyVault.certificates()).toEqual([]);
        expect(exchange.authServers()).toEqual([]);
        expect(exchange.authConfig().currentThumbprint).toBeNull();
        expect(exchange.pushProxyState().enabled).toBe(false);
    });
});
