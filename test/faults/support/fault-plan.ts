import type { FaultyExchangeShell, ShellFault, ShellFaultKind } from '../../../local/exchange/faulty-shell';
import { keyedRandom } from '../../../local/host/util/keyed-random';
import type { RelaySendFault, RelaySendFaultKind } from '../../../local/relay/stand-in-types';
import type { StatusFault } from '../../../local/scenario/faults-schema';
import type { LocalStack } from '../../../local/stack/local-stack';
import type { FaultRates } from './fault-rates';

/** Everything that goes wrong in one run, decided by the seed alone: same seed and rates, same plan. */
export interface FaultPlan {
    readonly seed: number;
    readonly rates: FaultRates;
    /** Graph and Key Vault failures in the scenario format (each fails the `afterRequests + 1`-th request it sees). */
    readonly graph: readonly StatusFault[];
    readonly keyVault: readonly StatusFault[];
    readonly relay: readonly RelaySendFault[];
    readonly shell: readonly ShellFault[];
    /** Agent operations (1-based) after which the agent restarts. */
    readonly agentRestarts: readonly number[];
    readonly atLeastOnce: { readonly seed: number; readonly probability: number };
}

type HttpFault = Pick<StatusFault, 'status' | 'retryAfterSeconds'>;

/**
 * Transient answers of Graph and Key Vault, weighted. Retry-After of 0 is retried at once inside the
 * activity; from 30 s the orchestration waits that long on a durable timer (virtual time); a
 * failure without Retry-After costs the product's inline back-off of 1 s of real time, so those
 * kinds are rarer.
 */
const HTTP_KINDS: readonly (readonly [HttpFault, number])[] = [
    [{ status: 429, retryAfterSeconds: 0 }, 3],
    [{ status: 429, retryAfterSeconds: 60 }, 3],
    [{ status: 503, retryAfterSeconds: 0 }, 2],
    [{ status: 503, retryAfterSeconds: 45 }, 2],
    [{ status: 500, retryAfterSeconds: undefined }, 0.4],
    [{ status: 504, retryAfterSeconds: undefined }, 0.4],
    [{ status: 'reset', retryAfterSeconds: undefined }, 0.4],
    [{ status: 'lostAnswer', retryAfterSeconds: undefined }, 1],
];
const RELAY_KINDS: readonly (readonly [RelaySendFaultKind, number])[] = [
    ['busy', 2],
    ['reset', 1],
    ['timeout', 1],
    ['drop', 1],
];
const SHELL_KINDS: readonly (readonly [ShellFaultKind, number])[] = [
    ['unavailable', 1],
    ['timeout', 1],
];

/** Calls per dependency that a plan covers: more than any run makes, retries included. */
const HORIZON = 60;

function pick<T>(kinds: readonly (readonly [T, number])[], draw: number): T {
    const total = kinds.reduce((sum, [, weight]) => sum + weight, 0);
    let left = draw * total;
    for (const [kind, weight] of kinds) {
        left -= weight;
        if (left < 0) return kind;
    }
    return (kinds.at(-1) as readonly [T, number])[0];
}

/** Ordinals 1..HORIZON that fail, each drawn independently from the seed. */
function failing(seed: number, dependency: string, rate: number): number[] {
    return Array.from({ length: HORIZON }, (_, index) => index + 1).filter((ordinal) => keyedRandom(seed, `${dependency}:${ordinal}`) < rate);
}

/** FaultInjector skips a request another fault answered: the k-th planned fault (0-based) waits for `ordinal - 1 - k` requests. */
function httpFaults(seed: number, dependency: string, rate: number): StatusFault[] {
    return failing(seed, dependency, rate).map((ordinal, index) => {
        const fault = pick(HTTP_KINDS, keyedRandom(seed, `${dependency}-kind:${ordinal}`));
        return { status: fault.status, count: 1, afterRequests: ordinal - 1 - index, ...(fault.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: fault.retryAfterSeconds }) };
    });
}

export function planFaults(seed: number, rates: FaultRates): FaultPlan {
    return {
        seed,
        rates,
        graph: httpFaults(seed, 'graph', rates.graph),
        keyVault: httpFaults(seed, 'keyVault', rates.keyVault),
        relay: failing(seed, 'relay', rates.relay).map((request) => ({ request, kind: pick(RELAY_KINDS, keyedRandom(seed, `relay-kind:${request}`)) })),
        shell: failing(seed, 'shell', rates.shell).map((call) => ({ call, kind: pick(SHELL_KINDS, keyedRandom(seed, `shell-kind:${call}`)) })),
        agentRestarts: failing(seed, 'agentRestart', rates.agentRestart),
        atLeastOnce: { seed, probability: rates.atLeastOnce },
    };
}

const NO_FAULTS: FaultRates = { graph: 0, keyVault: 0, relay: 0, shell: 0, agentRestart: 0, atLeastOnce: 0 };

/** A plan written by hand: exactly the faults given, nothing else. */
export function manualPlan(faults: Partial<Pick<FaultPlan, 'graph' | 'keyVault' | 'relay' | 'shell' | 'agentRestarts' | 'atLeastOnce'>>): FaultPlan {
    return { seed: 0, rates: NO_FAULTS, graph: [], keyVault: [], relay: [], shell: [], agentRestarts: [], atLeastOnce: { seed: 0, probability: 0 }, ...faults };
}

/**
 * Puts a plan into a running world, counted from now: Graph and Key Vault answer the planned
 * failures, the relay fails the planned sends, the shell the planned operations, and the agent
 * restarts after the planned operations. (At-least-once delivery is a host option at start.)
 */
export function applyPlan(stack: LocalStack, shell: FaultyExchangeShell, plan: FaultPlan): void {
    for (const fault of plan.graph) stack.cloud.graph.injectFault(fault);
    for (const fault of plan.keyVault) stack.cloud.keyVault.injectFault(fault);
    stack.relay.injectSendFaults(plan.relay, stack.scenario.agent.hybridConnection);
    shell.inject(plan.shell);
    stack.agent.restartAfterOperations(plan.agentRestarts);
}

/** The plan in one line per dependency, as printed for a failing run. */
export function describePlan(plan: FaultPlan): string {
    const http = (faults: readonly StatusFault[]) =>
        faults.map((f, index) => `#${f.afterRequests + index + 1}:${f.status}${f.retryAfterSeconds === undefined ? '' : `(Retry-After ${f.retryAfterSeconds})`}`).join(' ');
    return [
        `rates ${JSON.stringify(plan.rates)}`,
        `graph ${http(plan.graph) || '-'}`,
        `keyVault ${http(plan.keyVault) || '-'}`,
        `relay ${plan.relay.map((f) => `#${f.request}:${f.kind}`).join(' ') || '-'}`,
        `shell ${plan.shell.map((f) => `#${f.call}:${f.kind}`).join(' ') || '-'}`,
        `agent restarts after operations ${plan.agentRestarts.join(', ') || '-'}`,
        `at-least-once ${JSON.stringify(plan.atLeastOnce)}`,
    ].join('\n');
}
