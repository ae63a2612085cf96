import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isVirtualClock } from '../../local/clock';
import type { LocalStack } from '../../local/stack/local-stack';
import type { OnboardDryRun, OnboardSucceeded } from '../../lib/contracts/onboarding-result';
import type { ReverifyResult } from '../../lib/contracts/reverify';
import { waitForRun, type RunView } from '../e2e/support/api';
import { DEFAULT_SCENARIO, startWorld } from '../e2e/support/world';
import { ppo, type PpoResult } from './support/run-ppo';
import { withLine } from './support/with-line';

const DOMAIN = 'contoso.com';
const ONBOARD = ['onboard', DOMAIN, '--hybrid-connection', 'contoso-exchange'];

interface RunJson extends Omit<RunView, 'output'> {
    readonly orchestration: string;
    readonly tenantDomain: string | null;
}

describe('ppo against a running local world', () => {
    let stack: LocalStack;
    let dryRun: PpoResult;
    let onboarded: PpoResult;

    beforeAll(async () => {
        stack = await startWorld(DEFAULT_SCENARIO);
        dryRun = await ppo(stack, [...ONBOARD, '--dry-run', '--json']);
        onboarded = await ppo(stack, [...ONBOARD, '--json']);
    });

    afterAll(async () => {
        await stack?.stop();
    });

    it('onboard --dry-run exits 0 listing the planned changes, and writes nothing', () => {
        // Prepare
        const run = dryRun.json<RunJson & { output: OnboardDryRun }>();

        // Assess
        expect(dryRun.exitCode).toBe(0);
        expect(run.output.outcome).toBe('dryRun');
        expect(run.output.plannedChanges.length).toBeGreaterThan(0);
        expect(dryRun.io.stderr.text).toContain('Dry run: nothing was written. A real run would:');
        expect(dryRun.io.stderr.text).toContain(`  - ${run.output.plannedChanges[0]}`);
    });

    it('onboard --json exits 0 and prints the finished run, every step succeeded or skipped', () => {
        // Prepare
        const run = onboarded.json<RunJson & { output: OnboardSucceeded }>();

        // Assess
        expect(onboarded.exitCode).toBe(0);
        expect(run).toMatchObject({ instanceId: 'tenant-contoso.com', orchestration: 'onboardTenant', runtimeStatus: 'Completed', tenantDomain: DOMAIN, error: null });
        expect(run.steps.filter((step) => step.state !== 'succeeded' && step.state !== 'skipped')).toEqual([]);
        expect(onboarded.io.stderr.text).toContain('✓ probe');
        expect(onboarded.io.stderr.text).toContain('Onboarding succeeded (run tenant-contoso.com).');
    });

    it("onboard --json reports the certificate, key credentials and probe as the world holds them", () => {
        // Prepare
        const { output } = onboarded.json<{ output: OnboardSucceeded }>();
        const credentials = stack.cloud.graph.keyTargetCredentials();

        // Assess
        expect(stack.exchange.authConfig().currentThumbprint).toBe(output.certificate.thumbprint);
        for (const server of ['EX1', 'EX2']) expect(stack.exchange.certificatesOn(server).map((c) => c.thumbprint)).toContain(output.certificate.thumbprint);
        expect([...output.keyCredentials.after].sort()).toEqual(credentials.map((c) => c.keyId).sort());
        expect(credentials.filter((c) => c.thumbprint === output.certificate.thumbprint)).toHaveLength(1);
        expect(credentials).toHaveLength(output.keyCredentials.before.length + 1);
        expect(output.probe).toMatchObject({ resultType: 'Succeeded', attempts: 1 });
        expect(stack.exchange.pushProxyState()).toMatchObject({ enabled: true, organization: DOMAIN });
    });

    it('status shows the run with its step table', async () => {
        // Act
        const shown = await ppo(stack, ['status', 'tenant-contoso.com']);

        // Assess
        expect(shown.exitCode).toBe(0);
        expect(shown.io.stdout.text).toContain('Run tenant-contoso.com: onboardTenant Completed for contoso.com');
        expect(shown.io.stdout.text).toMatch(/✓ .*succeeded/);
    });

    it('status --json prints the run as GET /api/runs answers it', async () => {
        // Act
        const shown = await ppo(stack, ['status', 'tenant-contoso.com', '--json']);

        // Assess
        expect(shown.exitCode).toBe(0);
        expect(shown.json<RunJson>()).toMatchObject({ instanceId: 'tenant-contoso.com', orchestration: 'onboardTenant', runtimeStatus: 'Completed' });
    });

    it('tenants lists the onboarded tenant with its certificate', async () => {
        // Prepare
        const { output } = onboarded.json<{ output: OnboardSucceeded }>();

        // Act
        const listed = await ppo(stack, ['tenants']);
        const json = await ppo(stack, ['tenants', '--json']);

        // Assess
        expect(listed.exitCode).toBe(0);
        expect(listed.io.stdout.text).toMatch(/^TENANT +CLOUD +HYBRID CONNECTION/);
        expect(listed.io.stdout.text).toMatch(/contoso\.com +global +contoso-exchange/);
        expect(json.json<{ tenants: { tenantDomain: string; certificate: { thumbprint: string } }[] }>().tenants).toEqual([
            expect.objectContaining({ tenantDomain: DOMAIN, certificate: expect.objectContaining({ thumbprint: output.certificate.thumbprint }) as unknown }),
        ]);
    });

    it('tenant shows the registry record, its history and the latest run', async () => {
        // Prepare
        const { output } = onboarded.json<{ output: OnboardSucceeded }>();

        // Act
        const shown = await ppo(stack, ['tenant', DOMAIN]);

        // Assess
        expect(shown.exitCode).toBe(0);
        expect(shown.io.stdout.text).toContain('Tenant contoso.com');
        expect(shown.io.stdout.text).toContain(`  Certificate        ${output.certificate.thumbprint} (created)`);
        expect(shown.io.stdout.text).toContain('Latest run: onboardTenant Completed, details with: ppo status tenant-contoso.com');
    });

    it('verify --mode report exits 0 with every check ok on the freshly onboarded world', async () => {
        // Act
        const verified = await ppo(stack, ['verify', DOMAIN, '--mode', 'report', '--json']);

        // Assess
        const run = verified.json<RunJson & { output: ReverifyResult }>();
        expect(verified.exitCode).toBe(0);
        expect(run).toMatchObject({ orchestration: 'reverifyTenant', runtimeStatus: 'Completed', output: { mode: 'report', outcome: 'succeeded' } });
        expect(run.output.checks.filter((check) => check.state !== 'ok')).toEqual([]);
        expect(verified.io.stderr.text).toContain('Verification succeeded (report mode, run tenant-contoso.com).');
    });

    it('tenant lists the verification in its history once verify has run', async () => {
        // Act
        const shown = await ppo(stack, ['tenant', DOMAIN]);

        // Assess
        expect(shown.exitCode).toBe(0);
        expect(shown.io.stdout.text).toMatch(/ {2}Last verification {2}succeeded at /);
        expect(shown.io.stdout.text).toMatch(/^ {2}\S+ +reverifyTenant +succeeded +/m);
        expect(shown.io.stdout.text).toContain('Latest run: reverifyTenant Completed');
    });

    it('onboard while a run is in progress exits 1 naming the 409 and how to follow that run', async () => {
        // Prepare: the clock stands still, so the re-onboarding waits at its settle timer
        const clock = stack.clock;
        if (!isVirtualClock(clock)) throw new Error('the world runs on a virtual clock');
        clock.setAutoAdvance(false);
        let started: PpoResult;
        let refused: PpoResult;
        try {
            started = await ppo(stack, [...ONBOARD, '--no-wait', '--json']);

            // Act
            refused = await ppo(stack, ONBOARD);
        } finally {
            clock.setAutoAdvance(true);
        }
        await waitForRun(stack, 'tenant-contoso.com');

        // Assess
        expect(started.exitCode).toBe(0);
        expect(started.json<{ instanceId: string; statusUrl: string }>()).toMatchObject({ instanceId: 'tenant-contoso.com', statusUrl: expect.stringContaining('/api/runs/tenant-contoso.com') as unknown });
        expect(refused.exitCode).toBe(1);
        expect(refused.io.stderr.text).toContain('ppo: the API answered 409 (run_in_progress): contoso.com already has a run in progress (onboardTenant');
        expect(refused.io.stderr.text).toContain('Follow the run in progress: ppo status tenant-contoso.com');
    });

    it.each([
        {
            argv: ['onboard', 'cоntoso.com', '--hybrid-connection', 'contoso-exchange'],
            exitCode: 2,
            messages: ['ppo: the API answered 400 (validation): the request has invalid fields', '  tenantDomain (<tenantDomain>): label "cоntoso" mixes writing systems'],
        },
        {
            argv: ['onboard', DOMAIN, '--hybrid-connection', 'contoso exchange', '--validity-months', '61'],
            exitCode: 2,
            messages: ['  body.agent.hybridConnection (--hybrid-connection): must be the hybrid connection name', '  body.certificate.validityMonths (--validity-months): '],
        },
        { argv: ['tenant', 'fabrikam.com'], exitCode: 1, messages: ['ppo: the API answered 404 (not_found): fabrikam.com has never been onboarded'] },
        { argv: ['verify', 'fabrikam.com'], exitCode: 1, messages: ['ppo: the API answered 404 (not_found): fabrikam.com has never been onboarded: onboard it first'] },
        { argv: ['status', 'tenant-fabrikam.com'], exitCode: 1, messages: ['ppo: the API answered 404 (not_found): no run tenant-fabrikam.com'] },
    ].map(withLine))('"ppo $line" exits $exitCode naming what the API refused', async ({ argv, exitCode, messages }) => {
        // Act
        const refused = await ppo(stack, argv);

        // Assess
        expect(refused.exitCode).toBe(exitCode);
        for (const message of messages) expect(refused.io.stderr.text).toContain(message);
        expect(refused.io.stdout.text).not.toContain('started');
    });

    it('a 400 under --json prints the refusal as JSON on stdout with each field', async () => {
        // Act
        const refused = await ppo(stack, ['onboard', 'contoso', '--hybrid-connection', 'contoso-exchange', '--json']);

        // Assess
        expect(refused.exitCode).toBe(2);
        expect(refused.json()).toEqual({
            status: 400,
            error: { code: 'validation', message: expect.stringContaining('tenantDomain') as unknown, issues: [{ field: 'tenantDomain', reason: 'must have at least two labels, e.g. contoso.com' }] },
        });
    });

    it('a wrong client secret exits 1 saying the sign-in failed (the issuer refused it), and never prints a secret or a token', async () => {
        // Prepare
        const wrongSecret = 'not-the-client-secret-0123456789';

        // Act
        const refused = await ppo(stack, ['tenants'], { PPO_CLIENT_SECRET: wrongSecret });

        // Assess
        expect(refused.exitCode).toBe(1);
        expect(refused.io.stderr.text).toMatch(/^ppo: could not sign in for the API: .*AADSTS7000215/);
        expect(refused.io.stderr.text + refused.io.stdout.text).not.toContain(wrongSecret);
        expect(onboarded.io.stderr.text + onboarded.io.stdout.text).not.toContain(stack.api.automationSecret);
    });
});
