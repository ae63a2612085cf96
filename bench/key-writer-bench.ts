import { VirtualClock } from '../local/clock';
import { isTerminal } from '../local/host';
import { clockLatency } from '../local/latency/stand-in-latency';
import type { Scenario } from '../local/scenario/schema';
import type { LocalStack } from '../local/stack/local-stack';
import type { BenchLatencies } from './model/latency-model';
import { atMost, figure, type BenchmarkReport } from './model/results';
import { callApi, defaultScenario, startBenchWorld, waitForInstance } from './support/bench-world';

function withLatencies(scenario: Scenario, latency: BenchLatencies): Scenario {
    return { ...scenario, faults: { ...scenario.faults, keyVault: { ...scenario.faults.keyVault, creationDelaySeconds: latency.keyVaultCreationMs / 1000 } } };
}

async function startOnboarding(world: LocalStack, tenantDomain: string, hybridConnection: string): Promise<string> {
    const started = await callApi(world, 'POST', `tenants/${tenantDomain}/onboard`, { agent: { hybridConnection } });
    const instanceId = (started.body as { instanceId?: unknown } | null)?.instanceId;
    if (started.status !== 202 || typeof instanceId !== 'string') throw new Error(`onboarding ${tenantDomain} answered ${started.status}: ${JSON.stringify(started.body)}`);
    return instanceId;
}

interface ManyRun {
    readonly virtualMs: number;
    readonly completed: number;
    readonly failures: readonly string[];
    readonly lost: readonly string[];
    readonly patches: number;
}

/** `count` organizations onboarded at once against the one key target of their Entra tenant, on the virtual clock. */
async function onboardAtOnce(scenario: Scenario, latency: BenchLatencies, count: number): Promise<ManyRun> {
    const clock = new VirtualClock(undefined, { autoAdvance: false });
    const organizations = Array.from({ length: count }, (_, i) => ({ tenantDomain: `org${i}.example`, hybridConnection: `org${i}-exchange` }));
    const world = await startBenchWorld(withLatencies(scenario, latency), {
        clock,
        latency: clockLatency(clock, { graphCall: latency.graphCallMs, relayRoundTrip: latency.relayRoundTripMs, exchangeOperation: latency.exchangeOperationMs }),
        organizations,
        hostConcurrency: 100 * count,
    });
    try {
        // By certificate: every PATCH re-creates the kept credentials under new keyIds.
        const before = world.cloud.graph.keyTargetCredentials().map((credential) => credential.thumbprint);
        const startedAt = clock.now();
        const instanceIds: string[] = [];
        for (const organization of organizations) instanceIds.push(await startOnboarding(world, organization.tenantDomain, organization.hybridConnection));
        clock.setAutoAdvance(true);
        let endedAt = startedAt;
        const failures: string[] = [];
        const registered: string[] = [];
        for (const instanceId of instanceIds) {
            const record = await waitForInstance(world, instanceId, 600_000);
            endedAt = Math.max(endedAt, record.lastUpdatedTime);
            if (record.runtimeStatus !== 'Completed' || !isTerminal(record.runtimeStatus)) {
                failures.push(`${instanceId}: ${record.runtimeStatus} ${record.output ?? ''}`);
                continue;
            }
            const output = JSON.parse(record.output ?? 'null') as { certificate?: { thumbprint?: string } } | null;
            if (typeof output?.certificate?.thumbprint === 'string') registered.push(output.certificate.thumbprint);
        }
        const present = new Set(world.cloud.graph.keyTargetCredentials().map((credential) => credential.thumbprint));
        return {
            virtualMs: endedAt - startedAt,
            completed: count - failures.length,
            failures,
            lost: [...before, ...registered].filter((thumbprint) => !present.has(thumbprint)),
            patches: world.cloud.graph.patchBodies().length,
        };
    } finally {
        await world.stop();
    }
}

/**
 * B6 (issue 16): many onboardings at once against one key target. Each organization has its own agent
 * and hybrid connection; they share one Entra tenant, so every registration goes to one service
 * principal's keyCredentials through its writer. Compared with one onboarding alone in the same
 * kind of world, with the same stand-in latencies.
 */
export async function keyWriterBench(latency: BenchLatencies, count: number): Promise<BenchmarkReport> {
    const scenario = await defaultScenario();
    const one = await onboardAtOnce(scenario, latency, 1);
    const many = await onboardAtOnce(scenario, latency, count);
    return {
        figures: [
            figure('B6.completed', `onboardings completed of ${count} at once`, many.completed, 'count', { comparison: 'atLeast', value: count }),
            figure('B6.keysLost', 'key credentials lost (certificates there before or registered, absent at the end)', many.lost.length, 'count', atMost(0)),
            figure('B6.oneOnboardingMs', 'one onboarding alone, virtual clock', one.virtualMs, 'ms'),
            figure('B6.allOnboardingsMs', `${count} onboardings at once, virtual clock`, many.virtualMs, 'ms'),
            figure('B6.ratio', `${count} at once / one alone`, many.virtualMs / one.virtualMs, 'ratio', atMost(1.2)),
        ],
        notes: [
            `${count} organizations, each its own agent and hybrid connection, one Entra tenant and key target; latencies as B1 (Key Vault creation ${latency.keyVaultCreationMs} ms)`,
            `PATCHes of the key target: ${many.patches} for ${count} registrations (the writer's group commits); 1 alone`,
            ...many.failures.slice(0, 5).map((failure) => `failed: ${failure.slice(0, 300)}`),
            ...(many.lost.length > 0 ? [`lost key credentials: ${many.lost.join(', ')}`] : []),
        ],
    };
}
