import { agentCallBudget, serversPerAgentCall } from '../lib/contracts/agent-call-budget';
import { EXCHANGE_SESSIONS } from '../lib/protocol';
import { VirtualClock } from '../local/clock';
import { clockLatency } from '../local/latency/stand-in-latency';
import type { Scenario } from '../local/scenario/schema';
import type { BenchLatencies } from './model/latency-model';
import { figure, type BenchmarkReport } from './model/results';
import { defaultScenario, startBenchWorld } from './support/bench-world';
import { largeOrganization } from './support/large-organization';
import { onboardOverHttp } from './support/onboard-over-http';

type Outcome = { readonly completed: true; readonly virtualMs: number } | { readonly completed: false; readonly reason: string };

async function onboardTimed(scenario: Scenario, latency: BenchLatencies, serverOperationMs: number): Promise<Outcome> {
    const clock = new VirtualClock();
    const waits = clockLatency(clock, { graphCall: latency.graphCallMs, relayRoundTrip: latency.relayRoundTripMs, exchangeOperation: latency.exchangeOperationMs, serverOperation: serverOperationMs });
    const timed = { ...scenario, faults: { ...scenario.faults, keyVault: { ...scenario.faults.keyVault, creationDelaySeconds: latency.keyVaultCreationMs / 1000 } } };
    const world = await startBenchWorld(timed, { clock, latency: waits });
    try {
        const { virtualMs } = await onboardOverHttp(world);
        return { completed: true, virtualMs };
    } catch (error) {
        return { completed: false, reason: error instanceof Error ? error.message.slice(0, 300) : String(error) };
    } finally {
        await world.stop();
    }
}

/**
 * B7 (issue 16): an organization's onboarding when every remote import and every remote restart
 * (MSExchangeHM, MSExchangeServiceHost and its pools) takes `serverOperationMs`, at `serverCount` servers against 2, on the virtual clock.
 */
export async function perServerBench(latency: BenchLatencies, serverCount: number, serverOperationMs: number): Promise<BenchmarkReport> {
    const base = await defaultScenario();
    // The local agent runs the agent's default pool (local/stack/local-stack.ts, agentSessions).
    const sessions = EXCHANGE_SESSIONS.default;
    const small = await onboardTimed(largeOrganization(base, 2, 1), latency, serverOperationMs);
    const large = await onboardTimed(largeOrganization(base, serverCount, 1), latency, serverOperationMs);
    const ms = (outcome: Outcome): number | null => (outcome.completed ? outcome.virtualMs : null);
    const words = (outcome: Outcome): string => (outcome.completed ? `completed in ${(outcome.virtualMs / 1000).toFixed(1)} s` : `did not complete: ${outcome.reason}`);
    const smallMs = ms(small);
    const largeMs = ms(large);
    return {
        figures: [
            figure('B7.onboardingMsSmall', `onboarding time, 2 servers, ${serverOperationMs / 1000} s per remote import and restart`, smallMs, 'ms'),
            figure('B7.onboardingMsLarge', `onboarding time, ${serverCount} servers, ${serverOperationMs / 1000} s per remote import and restart`, largeMs, 'ms'),
            figure('B7.ratio', `onboarding time, ${serverCount} servers / 2 servers`, smallMs === null || largeMs === null ? null : largeMs / smallMs, 'ratio'),
        ],
        notes: [
            `2 servers: ${words(small)}; ${serverCount} servers: ${words(large)} (virtual clock; an import and a restart wait ${serverOperationMs} ms per server)`,
            `restarts (MSExchangeHM, MSExchangeServiceHost with the OWA and ECP pools) fan out through Invoke-Command, ${agentCallBudget.remoteThrottleLimit} servers at a time; imports go to the agent's ${sessions} Exchange sessions side by side (agent/shell/exchange-shell-pool.ts), each importing its share one server after the other: ${serversPerAgentCall('oneAfterAnother', sessions)} servers per agent call (agent-call budget: ${agentCallBudget.scriptMs / 1000} s per script at ${agentCallBudget.serverOperationMs / 1000} s per server), so imports last ceil(${serverCount} / ${sessions}) = ${Math.ceil(serverCount / sessions)} imports one after the other, not ${serverCount}`,
        ],
    };
}
