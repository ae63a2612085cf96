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

export interface DagStep {
    readonly id: string;
    readonly costMs: number;
    /** Steps that must finish before this one starts. */
    readonly after: readonly string[];
    /** Calls the step makes: Graph requests, agent operations (one relay round trip and one Exchange operation each). */
    readonly graphCalls: number;
    readonly agentCalls: number;
}

export interface CriticalPath {
    readonly totalMs: number;
    /** The steps of one longest path, first to last. */
    readonly steps: readonly string[];
}

/** The onboarding of an organization without an OAuth certificate (the default scenario). */
export function onboardingDag(latency: BenchLatencies): DagStep[] {
    const agentStep = (id: string, after: readonly string[]): DagStep => ({ id, costMs: latency.relayRoundTripMs + latency.exchangeOperationMs, after, graphCalls: 0, agentCalls: 1 });
    const graphStep = (id: string, calls: number, after: readonly string[]): DagStep => ({ id, costMs: calls * latency.graphCallMs, after, graphCalls: calls, agentCalls: 0 });
    const waitStep = (id: string, costMs: number, after: readonly string[]): DagStep => ({ id, costMs, after, graphCalls: 0, agentCalls: 0 });
    return [
        agentStep('inventory', []),
        graphStep('keyTarget', GRAPH_CALLS.keyTarget, []),
        waitStep('preflight', 0, ['inventory', 'keyTarget']),
        waitStep('keyVaultCreation', latency.keyVaultCreationMs, ['preflight']),
        agentStep('authServer', ['preflight']),
        agentStep('install', ['keyVaultCreation', 'authServer']),
        graphStep('registerKey', GRAPH_CALLS.registerKey, ['install']),
        agentStep('authConfig', ['registerKey']),
        agentStep('pushProxy', ['authConfig']),
        agentStep('restartHealthManager', ['pushProxy']),
        waitStep('settle', latency.settleMs, ['restartHealthManager']),
        agentStep('probe', ['settle']),
        waitStep('registry', 0, ['probe']),
    ];
}

/** How many calls of each kind all the DAG's steps make together. */
export function callCounts(dag: readonly DagStep[]): { readonly graphCalls: number; readonly agentCalls: number } {
    return dag.reduce((sum, step) => ({ graphCalls: sum.graphCalls + step.graphCalls, agentCalls: sum.agentCalls + step.agentCalls }), { graphCalls: 0, agentCalls: 0 });
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
