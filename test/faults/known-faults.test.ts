import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Scenario } from '../../local/scenario/schema';
import { AGENT_SECRET_PREFIX, type LocalStack } from '../../local/stack/local-stack';
import { READ_ONLY_CMDLETS } from '../e2e/support/world-state';
import { manualPlan, type FaultPlan } from './support/fault-plan';
import type { FaultRates } from './support/fault-rates';
import { faultScenario, type FaultScenarioName, type FaultWorld } from './support/fault-world';
import { onboardUnderFaults, replayReports } from './support/matrix-run';
import { onboardWithPlan, rotateWithPlan, type PlannedRun } from './support/planned-runs';
import { stopSharedResources } from './support/shared-resources';

let current: PlannedRun | undefined;

afterEach(async () => {
    await current?.world.stack.stop();
    current = undefined;
});
afterAll(stopSharedResources);

/** "METHOD status" of each request the run made to a stand-in (status 0: the connection was closed without an answer). */
function statuses(requests: readonly { method: string; path: string; status: number }[], from: number, pathPart = ''): string[] {
    return requests.slice(from).filter((r) => r.path.includes(pathPart)).map((r) => `${r.method} ${r.status}`);
}

function cmdlets(stack: LocalStack, name: string): string[] {
    return stack.exchange
        .commandLog()
        .filter((c) => c.cmdlet === name)
        .map((c) => c.server ?? '-');
}

interface RecoveredCase {
    readonly name: string;
    readonly scenario: FaultScenarioName;
    readonly phase: 'onboard' | 'rotate';
    readonly plan: FaultPlan;
    /** What shows that the fault happened, and that the product did the right thing anyway. */
    readonly evidence: (run: PlannedRun) => unknown;
    readonly expected: unknown;
}

const RECOVERED: readonly RecoveredCase[] = [
    {
        name: 'Graph carries out the PATCH that registers the key but the answer is lost',
        scenario: 'default',
        phase: 'onboard',
        plan: manualPlan({ graph: [{ status: 'lostAnswer', count: 1, afterRequests: 0, match: 'PATCH' }] }),
        evidence: ({ world, requestsBefore }) => statuses(world.stack.cloud.graph.requests, requestsBefore.graph).filter((s) => s.startsWith('PATCH')),
        expected: ['PATCH 0', 'PATCH 204'],
    },
    {
        name: 'Key Vault creates the certificate but the answer is lost',
        scenario: 'default',
        phase: 'onboard',
        plan: manualPlan({ keyVault: [{ status: 'lostAnswer', count: 1, afterRequests: 0, match: '/create' }] }),
        evidence: ({ world, requestsBefore }) => {
            const issued = world.stack.cloud.keyVault.certificates().flatMap((c) => c.versions.flatMap((v) => (v.thumbprint === undefined ? [] : [v.thumbprint])));
            const installed = issued.filter((thumbprint) => world.stack.exchange.certificatesOn('EX1').some((c) => c.thumbprint === thumbprint));
            return { creates: statuses(world.stack.cloud.keyVault.requests, requestsBefore.keyVault, '/create'), issued: issued.length, installed: installed.length };
        },
        // The retry makes a second version; only the one the run went on with is installed and registered.
        expected: { creates: ['POST 0', 'POST 202'], issued: 2, installed: 1 },
    },
    {
        name: 'Graph throttles the first two reads with Retry-After 600: the run waits that long each time, not its shorter back-off',
        scenario: 'default',
        phase: 'onboard',
        plan: manualPlan({ graph: [{ status: 429, count: 2, afterRequests: 0, retryAfterSeconds: 600 }] }),
        evidence: ({ world, requestsBefore }) => {
            const reads = world.stack.cloud.graph.requests.slice(requestsBefore.graph, requestsBefore.graph + 3);
            return reads.map((read, index) => `${read.method} ${read.status}${index === 0 ? '' : ` after ${Math.floor((read.atMs - (reads[index - 1]?.atMs ?? 0)) / 60_000)} min`}`);
        },
        expected: ['GET 429', 'GET 429 after 10 min', 'GET 200 after 10 min'],
    },
    {
        name: 'Graph resets the first connection, then throttles (Retry-After 60), then fails 500 and 504',
        scenario: 'application',
        phase: 'onboard',
        plan: manualPlan({
            graph: [
                { status: 'reset', count: 1, afterRequests: 0 },
                { status: 429, count: 2, afterRequests: 0, retryAfterSeconds: 60 },
                { status: 500, count: 1, afterRequests: 0 },
                { status: 504, count: 1, afterRequests: 0 },
            ],
        }),
        evidence: ({ world, requestsBefore }) => statuses(world.stack.cloud.graph.requests, requestsBefore.graph).slice(0, 5),
        expected: ['GET 0', 'GET 429', 'GET 429', 'GET 500', 'GET 504'],
    },
    {
        name: 'the relay drops the listener while the agent installs the certificate',
        scenario: 'default',
        phase: 'onboard',
        plan: manualPlan({ relay: [{ request: 3, kind: 'drop' }] }),
        // The drop; then the sender resends at once on a new connection (its kept one failed before any byte
        // of the answer), which meets a 502 when the agent has not reconnected yet (a race), and the activity's retry succeeds.
        evidence: ({ world, relayFailures }) => ({ relayFailures: relayFailures === 1 || relayFailures === 2 ? 'the drop, and perhaps a 502 for the resend' : relayFailures, imports: cmdlets(world.stack, 'Import-ExchangeCertificate') }),
        expected: { relayFailures: 'the drop, and perhaps a 502 for the resend', imports: ['EX1', 'EX2'] },
    },
    {
        name: 'the relay answers 504 after the agent set AuthConfig, and refuses the next send',
        scenario: 'default',
        phase: 'onboard',
        plan: manualPlan({ relay: [{ request: 4, kind: 'timeout' }, { request: 5, kind: 'busy' }] }),
        evidence: ({ world, relayFailures }) => ({ relayFailures, setAuthConfig: cmdlets(world.stack, 'Set-AuthConfig -CertificateThumbprint') }),
        expected: { relayFailures: 2, setAuthConfig: ['-'] },
    },
    {
        name: 'the shell times out after Import-ExchangeCertificate ran, and is unavailable for the inventory',
        scenario: 'reuse',
        phase: 'onboard',
        // Calls: inventory (unavailable), inventory, then alongside: the accepted domains read before ensureAuthServer, ensureAuthServer,
        // the accepted domains read before enablePushProxy, enablePushProxy; then installCertificate.
        plan: manualPlan({ shell: [{ call: 1, kind: 'unavailable' }, { call: 7, kind: 'timeout' }] }),
        evidence: ({ world }) => ({ fired: world.shell.fired, imports: cmdlets(world.stack, 'Import-ExchangeCertificate') }),
        expected: { fired: ['1 inventory unavailable', '7 installCertificate timeout'], imports: ['EX2', 'EX3'] },
    },
    {
        name: 'the agent restarts after enabling the push proxy, before its reply leaves',
        scenario: 'default',
        phase: 'onboard',
        plan: manualPlan({ agentRestarts: [5] }),
        evidence: ({ world }) => ({ restarts: world.stack.agent.restarts, enabled: cmdlets(world.stack, 'Enable-PushNotificationProxy') }),
        expected: { restarts: 1, enabled: ['-'] },
    },
    {
        name: 'Graph carries out the PATCH that registers the new key but the answer is lost',
        scenario: 'default',
        phase: 'rotate',
        plan: manualPlan({ graph: [{ status: 'lostAnswer', count: 1, afterRequests: 0, match: 'PATCH' }] }),
        evidence: ({ world, requestsBefore }) => statuses(world.stack.cloud.graph.requests, requestsBefore.graph).filter((s) => s.startsWith('PATCH')),
        // Registration (lost, sent again), then the removal of the old key.
        expected: ['PATCH 0', 'PATCH 204', 'PATCH 204'],
    },
    {
        name: 'Graph carries out the PATCH that removes the old key but the answer is lost',
        scenario: 'application',
        phase: 'rotate',
        plan: manualPlan({ graph: [{ status: 'lostAnswer', count: 1, afterRequests: 1, match: 'PATCH' }] }),
        evidence: ({ world, requestsBefore }) => statuses(world.stack.cloud.graph.requests, requestsBefore.graph).filter((s) => s.startsWith('PATCH')),
        expected: ['PATCH 204', 'PATCH 0', 'PATCH 204'],
    },
    {
        name: 'the agent restarts after staging the next certificate, and every activity is delivered twice',
        scenario: 'configuredByHand',
        phase: 'rotate',
        plan: manualPlan({ agentRestarts: [4], atLeastOnce: { seed: 7, probability: 1 } }),
        evidence: ({ world }) => ({ restarts: world.stack.agent.restarts, staged: cmdlets(world.stack, 'Set-AuthConfig -NewCertificateThumbprint') }),
        expected: { restarts: 1, staged: ['-'] },
    },
];

describe('faults the product recovers from', () => {
    it.each(RECOVERED)('$phase: $name', async ({ scenario, phase, plan, evidence, expected }) => {
        // Act
        const loaded = await faultScenario(scenario);
        current = phase === 'onboard' ? await onboardWithPlan(loaded, plan, true) : await rotateWithPlan(loaded, scenario === 'configuredByHand', plan, true);

        // Assess
        expect(current.violations).toEqual([]);
        expect(evidence(current)).toEqual(expected);
    });
});

/** Cmdlets that changed the organization, by name. */
function writes(stack: LocalStack): string[] {
    return stack.exchange
        .commandLog()
        .filter((c) => !READ_ONLY_CMDLETS.has(c.cmdlet))
        .map((c) => c.cmdlet);
}

/** What a failed run changed: Exchange writes (deduplicated), Key Vault creations, key credentials the product added, AuthConfig current. */
function damageReport({ world, before }: PlannedRun): { writes: string[]; vaultCreates: number; keysAdded: number; authConfigChanged: boolean } {
    // By certificate: every write re-creates the kept credentials under new keyIds.
    const earlier = new Set(before.keyCredentials.map((k) => k.key));
    return {
        writes: [...new Set(writes(world.stack))],
        vaultCreates: world.stack.cloud.keyVault.requests.filter((r) => r.path.endsWith('/create') && r.status === 202).length,
        keysAdded: (world.stack.cloud.graph.keyTarget()?.keyCredentials ?? []).filter((k) => !earlier.has(k.key)).length,
        authConfigChanged: world.stack.exchange.authConfig().currentThumbprint !== before.authConfigCurrent,
    };
}

const ALL = 1000;
const NOTHING_WRITTEN = { writes: [], vaultCreates: 0, keysAdded: 0, authConfigChanged: false };

/** Where a failed rotation left AuthConfig and the key of the certificate that was due. */
function rotationState({ world, dueThumbprint }: PlannedRun): { current: string; next: string; dueKeyKept: boolean } {
    const config = world.stack.exchange.authConfig();
    const label = (thumbprint: string | null) => (thumbprint === null ? 'none' : thumbprint === dueThumbprint ? 'due' : 'new');
    return { current: label(config.currentThumbprint), next: label(config.nextThumbprint), dueKeyKept: world.stack.cloud.graph.keyTargetCredentials().some((k) => k.thumbprint === dueThumbprint) };
}

interface FailingCase {
    readonly name: string;
    readonly scenario: FaultScenarioName;
    readonly phase: 'onboard' | 'rotate';
    readonly plan: FaultPlan;
    readonly step: string;
    readonly code: string;
    /** What the failed run changed (beyond what the safety rules check for every run). */
    readonly state: (run: PlannedRun) => unknown;
    readonly expected: unknown;
}

const EXHAUSTED: readonly FailingCase[] = [
    {
        name: 'Graph throttles every request (429, Retry-After 60)',
        scenario: 'default',
        phase: 'onboard',
        plan: manualPlan({ graph: [{ status: 429, count: ALL, afterRequests: 0, retryAfterSeconds: 60 }] }),
        step: 'keyTarget',
        code: 'retries_exhausted',
        state: damageReport,
        expected: NOTHING_WRITTEN,
    },
    {
        name: 'Key Vault answers 503 to every certificate request',
        scenario: 'default',
        phase: 'onboard',
        plan: manualPlan({ keyVault: [{ status: 503, count: ALL, afterRequests: 0, retryAfterSeconds: 45, match: '/certificates/' }] }),
        step: 'certificate',
        code: 'retries_exhausted',
        state: damageReport,
        expected: { writes: ['New-AuthServer', 'Enable-PushNotificationProxy'], vaultCreates: 0, keysAdded: 0, authConfigChanged: false },
    },
    {
        name: 'the relay refuses every send from the certificate installation on',
        scenario: 'default',
        phase: 'onboard',
        // Requests: inventory, then ensureAuthServer and enablePushProxy alongside the certificate, then installCertificate.
        plan: manualPlan({ relay: Array.from({ length: 60 }, (_, index) => ({ request: index + 4, kind: 'busy' as const })) }),
        step: 'install',
        code: 'retries_exhausted',
        state: damageReport,
        expected: { writes: ['New-AuthServer', 'Enable-PushNotificationProxy'], vaultCreates: 1, keysAdded: 0, authConfigChanged: false },
    },
    {
        name: 'Graph throttles every PATCH (the key is never registered)',
        scenario: 'application',
        phase: 'onboard',
        plan: manualPlan({ graph: [{ status: 429, count: ALL, afterRequests: 0, retryAfterSeconds: 60, match: 'PATCH' }] }),
        step: 'registerKey',
        code: 'retries_exhausted',
        state: damageReport,
        expected: { writes: ['New-AuthServer', 'Enable-PushNotificationProxy', 'Import-ExchangeCertificate', 'Enable-ExchangeCertificate'], vaultCreates: 1, keysAdded: 0, authConfigChanged: false },
    },
    {
        name: 'the shell times out on every call from Set-AuthConfig on (after Exchange ran it)',
        scenario: 'default',
        phase: 'onboard',
        // Calls: inventory, alongside: the accepted domains read and ensureAuthServer, the accepted domains read and enablePushProxy;
        // installCertificate, then Set-AuthConfig.
        plan: manualPlan({ shell: Array.from({ length: 60 }, (_, index) => ({ call: index + 7, kind: 'timeout' as const })) }),
        step: 'authConfig',
        code: 'retries_exhausted',
        state: damageReport,
        expected: { writes: ['New-AuthServer', 'Enable-PushNotificationProxy', 'Import-ExchangeCertificate', 'Enable-ExchangeCertificate', 'Set-AuthConfig -CertificateThumbprint'], vaultCreates: 1, keysAdded: 1, authConfigChanged: true },
    },
    {
        name: 'Graph throttles every PATCH during the rotation',
        scenario: 'default',
        phase: 'rotate',
        plan: manualPlan({ graph: [{ status: 429, count: ALL, afterRequests: 0, retryAfterSeconds: 60, match: 'PATCH' }] }),
        step: 'rotation',
        code: 'retries_exhausted',
        state: rotationState,
        expected: { current: 'due', next: 'none', dueKeyKept: true },
    },
    {
        name: 'the shell is unavailable from the publication of the staged certificate on',
        scenario: 'configuredByHand',
        phase: 'rotate',
        plan: manualPlan({ shell: Array.from({ length: 60 }, (_, index) => ({ call: index + 5, kind: 'unavailable' as const })) }),
        step: 'rotation',
        code: 'retries_exhausted',
        state: rotationState,
        expected: { current: 'due', next: 'new', dueKeyKept: true },
    },
];

async function failingRun({ scenario, phase, plan }: FailingCase): Promise<PlannedRun> {
    const loaded = await faultScenario(scenario);
    return phase === 'onboard' ? onboardWithPlan(loaded, plan, false) : rotateWithPlan(loaded, scenario === 'configuredByHand', plan, false);
}

describe('retry policies that run out', () => {
    it.each(EXHAUSTED)('$phase: $name ends Failed at $step, with nothing unsafe left behind', async (failing) => {
        // Act
        current = await failingRun(failing);

        // Assess
        expect(current.run.runtimeStatus).toBe('Failed');
        expect(current.run.error).toMatchObject({ step: failing.step, code: failing.code });
        expect(current.violations).toEqual([]);
        expect(failing.state(current)).toEqual(failing.expected);
    });
});

interface PermanentCase {
    readonly name: string;
    readonly scenario: (scenario: Scenario) => Scenario;
    /** Changes the world after it started, before the run. */
    readonly prepare: (world: FaultWorld) => void;
    readonly step: string;
    readonly code: string;
    readonly damage: ReturnType<typeof damageReport>;
    /** AuthServer objects after the run (none before it). */
    readonly authServers: readonly string[];
}

const unchanged = (scenario: Scenario): Scenario => scenario;
const untouched = (): void => undefined;

const PERMANENT: readonly PermanentCase[] = [
    {
        name: 'the product identity lacks the Graph application role (403)',
        scenario: (scenario) => ({ ...scenario, entra: { ...scenario.entra, grantedRoles: [] } }),
        prepare: untouched,
        step: 'keyTarget',
        code: 'graph-forbidden',
        damage: NOTHING_WRITTEN,
        authServers: [],
    },
    {
        name: 'a server is below Exchange 2013 CU3',
        scenario: (scenario) => ({
            ...scenario,
            exchange: { ...scenario.exchange, servers: scenario.exchange.servers.map((s, index) => (index === 1 ? { ...s, adminDisplayVersion: 'Version 15.0 (Build 712.24)' } : s)) },
        }),
        prepare: untouched,
        step: 'preflight',
        code: 'preflight_failed',
        damage: NOTHING_WRITTEN,
        authServers: [],
    },
    {
        name: 'the Key Vault holds another shared secret than the agent',
        scenario: unchanged,
        prepare: (world) => world.stack.cloud.keyVault.setSecret(`${AGENT_SECRET_PREFIX}${world.stack.scenario.agent.hybridConnection}`, randomBytes(32).toString('base64')),
        step: 'inventory',
        code: 'bad_signature',
        damage: NOTHING_WRITTEN,
        authServers: [],
    },
    {
        name: 'a tenant policy caps key credential lifetimes below the certificate\'s',
        scenario: (scenario) => ({ ...scenario, entra: { ...scenario.entra, maxKeyCredentialLifetimeDays: 180 } }),
        prepare: untouched,
        step: 'registerKey',
        code: 'graph-key-end-date-invalid',
        damage: { writes: ['New-AuthServer', 'Enable-PushNotificationProxy', 'Import-ExchangeCertificate', 'Enable-ExchangeCertificate'], vaultCreates: 1, keysAdded: 0, authConfigChanged: false },
        authServers: ['MicrosoftSts'],
    },
];

describe('permanent faults', () => {
    it.each(PERMANENT)('$name ends Failed at $step with $code and a remedy, having published nothing unregistered', async ({ scenario, prepare, step, code, damage, authServers }) => {
        // Prepare
        const world = scenario(structuredClone(await faultScenario('default')));

        // Act
        current = await onboardWithPlan(world, manualPlan({}), false, prepare);

        // Assess
        expect(current.run.runtimeStatus).toBe('Failed');
        expect(current.run.error).toMatchObject({ step, code, message: expect.any(String) as unknown, remedy: expect.any(String) as unknown });
        expect(current.violations).toEqual([]);
        expect(damageReport(current)).toEqual(damage);
        // AuthServer and the push proxy run together, alongside the certificate: both are in place when a later step fails.
        expect({ authServers: current.world.stack.exchange.authServers().map((a) => a.name), pushProxy: current.world.stack.exchange.pushProxyState().enabled }).toEqual({ authServers, pushProxy: authServers.length > 0 });
    });
});

/**
 * Agent-side faults (relay, shell, restarts, duplicates) at rates where the agent retry policy often
 * runs out (most of these seeds end Failed, at different steps); no inline waits, so cheap.
 */
const STORM: FaultRates = { graph: 0, keyVault: 0, relay: 0.7, shell: 0.6, agentRestart: 0.15, atLeastOnce: 0.3 };

describe('a storm of agent-side faults', () => {
    it.each(Array.from({ length: 10 }, (_, index) => 50_001 + index))('seed %i ends either healthy or Failed with a structured error and nothing unsafe', async (seed) => {
        // Act
        const run = await onboardUnderFaults(seed, STORM, false);

        // Assess
        expect(replayReports(run, 'test/faults/known-faults.test.ts').join('\n')).toBe('');
        expect(['Completed', 'Failed']).toContain(run.runtimeStatus);
    });
});
