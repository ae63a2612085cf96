import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isVirtualClock } from '../../local/clock';
import type { LocalStack } from '../../local/stack/local-stack';
import type { OnboardDryRun, OnboardSucceeded } from '../../lib/contracts/onboarding-result';
import { api, startOnboarding, waitForRun, type ApiResponse, type RunStarted, type RunView } from './support/api';
import { DEFAULT_SCENARIO, startWorld } from './support/world';
import { cloudWrites, writeCommands } from './support/world-state';

interface ErrorBody {
    readonly error: { readonly code: string; readonly message: string; readonly issues?: readonly { field: string; reason: string }[]; readonly statusUrl?: string };
}

interface TenantView {
    readonly tenantDomain: string;
    readonly cloud: string;
    readonly keyTarget: { readonly kind: string };
    readonly certificate: { readonly thumbprint: string; readonly notAfter: string; readonly source: string };
    readonly keyCredentialId: string | null;
    readonly onboardedAt: string;
}

const AGENT = { hybridConnection: 'contoso-exchange' };

interface BadRequest {
    /** The tenant domain as it goes in the path (already URL-encoded). */
    readonly domain: string;
    /** The body: an object sent as JSON, or the raw text. */
    readonly body: unknown;
    /** The field the 400 must name. */
    readonly field: string;
}

const badDomain = (domain: string): BadRequest => ({ domain: encodeURIComponent(domain), body: { agent: AGENT }, field: 'tenantDomain' });
const badBody = (body: unknown, field: string): BadRequest => ({ domain: 'contoso.com', body, field });
const withAgent = (fields: Record<string, unknown>): Record<string, unknown> => ({ agent: AGENT, ...fields });

const BAD_REQUESTS: readonly (readonly [string, BadRequest])[] = [
    ['a PowerShell injection in the domain', badDomain('fabrikam.com"; Remove-Item')],
    ['a path traversal in the domain (URL-encoded)', badDomain('../x')],
    ['a 300-character domain', badDomain(`${'a'.repeat(296)}.com`)],
    ['a 64-character label', badDomain(`${'a'.repeat(64)}.com`)],
    ['a Cyrillic "о" in a Latin name', badDomain('cоntoso.com')],
    ['full-width letters', badDomain('ｃontoso.com')],
    ['a space in the domain', badDomain('contoso .com')],
    ['a blank domain', badDomain(' ')],
    ['a single-label domain', badDomain('contoso')],
    ['a label starting with a hyphen', badDomain('-contoso.com')],
    ['an IP address', badDomain('10.0.0.1')],
    ['an empty body', badBody('', 'body.agent')],
    ['malformed JSON', badBody('{"agent":', 'body')],
    ['JSON null', badBody('null', 'body')],
    ['a JSON array', badBody('[]', 'body')],
    ['an unknown field', badBody(withAgent({ force: true }), 'body.force')],
    ['an unknown field in agent', badBody({ agent: { ...AGENT, sharedSecret: 'x' } }, 'body.agent.sharedSecret')],
    ['agent as a string', badBody({ agent: 'contoso-exchange' }, 'body.agent')],
    ['a hybrid connection name with a space', badBody({ agent: { hybridConnection: 'contoso exchange' } }, 'body.agent.hybridConnection')],
    ['a hybrid connection name with a path', badBody({ agent: { hybridConnection: '../relay' } }, 'body.agent.hybridConnection')],
    ['a 51-character hybrid connection name', badBody({ agent: { hybridConnection: 'h'.repeat(51) } }, 'body.agent.hybridConnection')],
    ['an empty hybrid connection name', badBody({ agent: { hybridConnection: '' } }, 'body.agent.hybridConnection')],
    ['settleSeconds as a string', badBody(withAgent({ settleSeconds: '120' }), 'body.settleSeconds')],
    ['settleSeconds below 0', badBody(withAgent({ settleSeconds: -1 }), 'body.settleSeconds')],
    ['settleSeconds above 900', badBody(withAgent({ settleSeconds: 901 }), 'body.settleSeconds')],
    ['settleSeconds not whole', badBody(withAgent({ settleSeconds: 1.5 }), 'body.settleSeconds')],
    ['probeAttempts 0', badBody(withAgent({ probeAttempts: 0 }), 'body.probeAttempts')],
    ['probeAttempts 11', badBody(withAgent({ probeAttempts: 11 }), 'body.probeAttempts')],
    ['validityMonths 0', badBody(withAgent({ certificate: { validityMonths: 0 } }), 'body.certificate.validityMonths')],
    ['validityMonths 61', badBody(withAgent({ certificate: { validityMonths: 61 } }), 'body.certificate.validityMonths')],
    ['keySize 1024', badBody(withAgent({ certificate: { keySize: 1024 } }), 'body.certificate.keySize')],
    ['keySize 2049', badBody(withAgent({ certificate: { keySize: 2049 } }), 'body.certificate.keySize')],
    ['dryRun as a string', badBody(withAgent({ dryRun: 'yes' }), 'body.dryRun')],
    ['a tenantId that is not a GUID', badBody(withAgent({ tenantId: 'contoso' }), 'body.tenantId')],
    ['an unknown cloud', badBody(withAgent({ cloud: 'mars' }), 'body.cloud')],
    ['an application key target without appId', badBody(withAgent({ keyTarget: { kind: 'application' } }), 'body.keyTarget.appId')],
    ['an unknown key target kind', badBody(withAgent({ keyTarget: { kind: 'user' } }), 'body.keyTarget.kind')],
];

describe('the HTTP API', () => {
    let stack: LocalStack;
    let relayExchanges = 0;

    beforeAll(async () => {
        stack = await startWorld(DEFAULT_SCENARIO, { logSink: () => undefined });
        stack.relay.onEvent((event) => {
            if (event.type === 'exchange-completed') relayExchanges++;
        });
    });

    afterAll(async () => {
        await stack.stop();
    });

    describe('requests that must start nothing', () => {
        it.each(BAD_REQUESTS)('answers 400 naming the field for %s', async (_name, bad) => {
            // Act
            const response = await api<ErrorBody>(stack, 'POST', `tenants/${bad.domain}/onboard`, bad.body);

            // Assess
            expect(response.status).toBe(400);
            expect(response.body.error.code).toBe('validation');
            expect(response.body.error.issues?.map((i) => i.field)).toContain(bad.field);
        });

        it.each([
            ['no token', null, 401],
            ['a token without an app role', 'nobody', 403],
        ] as const)('answers %s with %i', async (_name, caller, status) => {
            // Act
            const answers = await Promise.all([
                api(stack, 'POST', 'tenants/contoso.com/onboard', { agent: AGENT }, caller),
                api(stack, 'GET', 'tenants', undefined, caller),
                api(stack, 'GET', 'tenants/contoso.com', undefined, caller),
                api(stack, 'GET', 'runs/tenant-contoso.com', undefined, caller),
            ]);

            // Assess
            expect(answers.map((a) => a.status)).toEqual([status, status, status, status]);
        });

        it('started no orchestration and sent the agent nothing', async () => {
            // Act
            await stack.host.whenIdle();

            // Assess
            expect([...stack.host.store.instances()]).toEqual([]);
            expect(stack.exchange.commandLog()).toEqual([]);
            expect(relayExchanges).toBe(0);
        });
    });

    describe('before any onboarding', () => {
        it.each([
            ['an unknown run', 'runs/tenant-unknown.example', 404, 'not_found'],
            ['a malformed run id', `runs/${encodeURIComponent('tenant-contoso.com; rm -rf /')}`, 400, 'validation'],
            ['a run id of 101 characters', `runs/${'r'.repeat(101)}`, 400, 'validation'],
            ['a tenant never onboarded', 'tenants/fabrikam.com', 404, 'not_found'],
            ['a tenant domain that is no DNS name', `tenants/${encodeURIComponent('fabrikam.com"; Remove-Item')}`, 400, 'validation'],
        ] as const)('answers %s with %i', async (_name, path, status, code) => {
            // Act
            const response = await api<ErrorBody>(stack, 'GET', path);

            // Assess
            expect({ status: response.status, code: response.body.error.code }).toEqual({ status, code });
        });

        it('lists no tenant', async () => {
            expect((await api<{ tenants: readonly TenantView[] }>(stack, 'GET', 'tenants')).body).toEqual({ tenants: [] });
        });
    });

    describe('a dry run', () => {
        let run: RunView;

        beforeAll(async () => {
            const started = await startOnboarding(stack, { dryRun: true });
            run = await waitForRun(stack, started.body.instanceId);
        });

        it('lists each change a real run would make', () => {
            // Prepare
            const output = run.output as unknown as OnboardDryRun;

            // Assess
            expect(run.runtimeStatus).toBe('Completed');
            expect(output.outcome).toBe('dryRun');
            expect(output.plannedChanges).toEqual([
                expect.stringMatching(/^Create a 2048-bit certificate for corp\.contoso\.com in Key Vault, valid 24 months/),
                'Install the new certificate on EX1, EX2',
                expect.stringMatching(/keeping the 2 existing key credentials$/),
                'Set-AuthConfig -CertificateThumbprint <new certificate>',
                'Restart MSExchangeServiceHost and recycle MSExchangeOWAAppPool, MSExchangeECPAppPool on EX1, EX2',
                'New-AuthServer MicrosoftSts -AuthMetadataUrl https://accounts.accesscontrol.windows.net/metadata/json/1/?realm=contoso.com',
                'Enable-PushNotificationProxy -Organization contoso.com -Uri https://outlook.office365.com/PushNotifications',
                expect.stringMatching(/^Restart MSExchangeHM on .*wait 120 s, run the connectivity probe$/),
            ]);
            expect(run.steps.filter((s) => !['inventory', 'keyTarget', 'preflight'].includes(s.id)).map((s) => s.state)).toEqual(Array.from({ length: 11 }, () => 'skipped'));
        });

        it('writes nothing anywhere: only reads on premises, no Graph PATCH, nothing in Key Vault, no registry record', async () => {
            // Act
            const tenants = await api<{ tenants: readonly TenantView[] }>(stack, 'GET', 'tenants');

            // Assess
            expect(writeCommands(stack)).toEqual([]);
            expect(cloudWrites(stack)).toEqual({ graphPatches: 0, keyVaultCreates: 0, pfxReads: 0 });
            expect(stack.cloud.keyVault.certificates()).toEqual([]);
            expect(stack.cloud.graph.keyTargetCredentials()).toHaveLength(2);
            expect(tenants.body.tenants).toEqual([]);
        });
    });

    describe('a run in progress', () => {
        let started: ApiResponse<RunStarted>;
        let second: ApiResponse<ErrorBody>;
        let run: RunView;

        beforeAll(async () => {
            // Time stands still: the run stops at its first durable timer, in progress.
            const clock = stack.clock;
            if (!isVirtualClock(clock)) throw new Error('the world needs a virtual clock');
            clock.setAutoAdvance(false);
            started = await startOnboarding(stack);
            await stack.host.whenIdle();
            second = await api<ErrorBody>(stack, 'POST', 'tenants/contoso.com/onboard', { agent: AGENT });
            clock.setAutoAdvance(true);
            run = await waitForRun(stack, started.body.instanceId);
        });

        it('answered the first request 202 with the status URL, also in Location', () => {
            expect(started.status).toBe(202);
            expect(started.body).toMatchObject({ instanceId: 'tenant-contoso.com', tenantDomain: 'contoso.com' });
            expect(started.body.statusUrl).toMatch(/\/api\/runs\/tenant-contoso\.com$/);
            expect(started.headers.get('location')).toBe(started.body.statusUrl);
        });

        it('answered a second request for the same tenant 409, pointing at the run in progress', () => {
            expect(second.status).toBe(409);
            expect(second.body.error).toMatchObject({ code: 'run_in_progress', statusUrl: started.body.statusUrl });
        });

        it('let the first run finish', () => {
            expect(run.runtimeStatus).toBe('Completed');
        });
    });

    describe('after onboarding', () => {
        it('lists the tenant with its certificate, key credential, key target, cloud and onboarding time', async () => {
            // Prepare
            const run = await api<RunView>(stack, 'GET', 'runs/tenant-contoso.com');
            const output = run.body.output as unknown as OnboardSucceeded;

            // Act
            const list = await api<{ tenants: readonly TenantView[] }>(stack, 'GET', 'tenants');

            // Assess
            expect(list.body.tenants).toHaveLength(1);
            expect(list.body.tenants[0]).toMatchObject({
                tenantDomain: 'contoso.com',
                cloud: 'global',
                keyTarget: { kind: 'firstPartyServicePrincipal' },
                certificate: { thumbprint: output.certificate.thumbprint, notAfter: output.certificate.notAfter, source: 'created' },
                keyCredentialId: output.keyCredentials.keyId,
            });
            // The time went through an activity: the Durable extension writes it back without a zero fraction (…:00Z), as on Azure.
            expect(list.body.tenants[0]?.onboardedAt).toMatch(/^2026-01-05T09:0\d:\d\d(\.\d+)?Z$/);
        });

        it.each(['tenant-CONTOSO.COM', 'tenant-Contoso.com.', 'tenant-contoso.com'])('shows the run asked as %s, its tenant domain normalised as the tenant routes do', async (instanceId) => {
            // Act
            const run = await api<RunView>(stack, 'GET', `runs/${encodeURIComponent(instanceId)}`);

            // Assess
            expect({ status: run.status, instanceId: run.body.instanceId }).toEqual({ status: 200, instanceId: 'tenant-contoso.com' });
        });

        it('shows the tenant with its latest run, also when asked in upper case', async () => {
            // Act
            const tenant = await api<{ tenant: TenantView; latestRun: RunView }>(stack, 'GET', 'tenants/CONTOSO.COM');

            // Assess
            expect(tenant.status).toBe(200);
            expect(tenant.body.tenant.tenantDomain).toBe('contoso.com');
            expect(tenant.body.latestRun).toMatchObject({ instanceId: 'tenant-contoso.com', runtimeStatus: 'Completed' });
        });
    });
});
