import { ONBOARDING_DEPENDENCIES, type OnboardingDependency } from '../../lib/contracts/onboarding-dependencies';

/**
 * The latencies the benchmark gives the stand-ins (issue 8, B1) and the onboarding's dependency
 * graph priced with them: the shortest time any orchestration of these steps could take.
 */
export interface BenchLatencies {
    readonly keyVaultCreationMs: number;
    readonly graphCallMs: number;
    readonly relayRoundTripMs: number;
    readonly exchangeOperationMs: number;
    readonly settleMs: number;
}

export const REALISTIC_LATENCIES: BenchLatencies = {
    keyVaultCreationMs: 5_000,
    graphCallMs: 300,
    relayRoundTripMs: 150,
    exchangeOperationMs: 2_000,
    settleMs: 120_000,
};

/**
 * Graph requests per step, as the product's Graph client makes them: the key target lookup is a
 * filtered list plus the single-object read that returns keys; registering a key reads, PATCHes and
 * reads again to verify that no credential was lost.
 */
export const GRAPH_CALLS = { keyTarget: 2, registerKey: 3 } as const;

/**
 * Exchange operations per agent step where there is more than one: the agent reads the organization's
 * accepted domains (an inventory) before it sets the AuthServer or the push proxy (issue 15, it checks
 * what it is told: agent/operations/organization-domains.ts).
 */
export const EXCHANGE_OPERATIONS: Readonly<Record<string, number>> = { authServer: 2, pushProxy: 2 };

/**
 * Exchange operations of an agent step that run side by side, each on its own session of the agent's
 * pool (agent/shell/exchange-shell-pool.ts): the import on the default scenario's two servers is one
 * script per server, at once. Counted each, priced once.
 */
export const SIDE_BY_SIDE_EXCHANGE_OPERATIONS: Readonly<Record<string, number>> = { install: 2 };

export interface DagStep {
    readonly id: string;
    readonly costMs: number;
    /** Steps that must finish before this one starts. */
    readonly after: readonly string[];
    /** Calls the step makes: Graph requests, agent operations (one relay round trip and one Exchange operation each). */
    readonly graphCalls: number;
    readonly agentCalls: number;
    readonly exchangeOperations: number;
}

export interface CriticalPath {
    readonly totalMs: number;
    /** The steps of one longest path, first to last. */
    readonly steps: readonly string[];
}

/**
 * The onboarding of an organization without an OAuth certificate (the default scenario): the true
 * dependencies the product declares (lib/contracts/onboarding-dependencies.ts), not the order the
 * orchestrator runs its steps in, each priced with the latencies.
 */
export function onboardingDag(latency: BenchLatencies, dependencies: readonly OnboardingDependency[] = ONBOARDING_DEPENDENCIES): DagStep[] {
    return dependencies.map(({ step: id, kind, after }): DagStep => {
        switch (kind) {
            case 'agent': {
                const operations = EXCHANGE_OPERATIONS[id] ?? 1;
                const sideBySide = SIDE_BY_SIDE_EXCHANGE_OPERATIONS[id] ?? 1;
                return { id, costMs: latency.relayRoundTripMs + operations * latency.exchangeOperationMs, after, graphCalls: 0, agentCalls: 1, exchangeOperations: operations * sideBySide };
            }
            case 'graph': {
                const calls = GRAPH_CALLS[id as keyof typeof GRAPH_CALLS];
                if (calls === undefined) throw new Error(`no Graph call count for step ${id}`);
                return { id, costMs: calls * latency.graphCallMs, after, graphCalls: calls, agentCalls: 0, exchangeOperations: 0 };
            }
            case 'keyVaultCreation':
                return { id, costMs: latency.keyVaultCreationMs, after, graphCalls: 0, agentCalls: 0, exchangeOperations: 0 };
            case 'settle':
                return { id, costMs: latency.settleMs, after, graphCalls: 0, agentCalls: 0, exchangeOperations: 0 };
            case 'decision':
            case 'registry':
                return { id, costMs: 0, after, graphCalls: 0, agentCalls: 0, exchangeOperations: 0 };
        }
    });
}

/** How many calls of each kind all the DAG's steps make together. */
export function callCounts(dag: readonly DagStep[]): { readonly graphCalls: number; readonly agentCalls: number; readonly exchangeOperations: number } {
    return dag.reduce(
        (sum, step) => ({ graphCalls: sum.graphCalls + step.graphCalls, agentCalls: sum.agentCalls + step.agentCalls, exchangeOperations: sum.exchangeOperations + step.exchangeOperations }),
        { graphCalls: 0, agentCalls: 0, exchangeOperations: 0 },
    );
}

/** The longest path through the DAG: a lower bound of any schedule that respects its dependencies. */
export function longestPath(dag: readonly DagStep[]): CriticalPath {
    const byId = new Map(dag.map((step) => [step.id, step]));
    if (byId.size !== dag.length) throw new Error('duplicate step ids in the DAG');
    const finish = new Map<string, CriticalPath>();
    const visiting = new Set<string>();

    const finishOf = (id: string): CriticalPath => {
        const known = finish.get(id);
        if (known !== undefined) return known;
        const step = byId.get(id);
        if (step === undefined) throw new Error(`unknown step ${id}`);
        if (visiting.has(id)) throw new Error(`the DAG has a cycle through ${id}`);
        visiting.add(id);
        let before: CriticalPath = { totalMs: 0, steps: [] };
        for (const dependency of step.after) {
            const candidate = finishOf(dependency);
            if (candidate.totalMs > before.totalMs) before = candidate;
        }
        visiting.delete(id);
        const path = { totalMs: before.totalMs + step.costMs, steps: [...before.steps, id] };
        finish.set(id, path);
        return path;
    };

    let longest: CriticalPath = { totalMs: 0, steps: [] };
    for (const step of dag) {
        const path = finishOf(step.id);
        // On a tie the later step wins, so that free closing steps (recording the result) end the path.
        if (path.totalMs >= longest.totalMs) longest = path;
    }
    return longest;
}
