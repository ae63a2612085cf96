import { describe, expect, it } from 'vitest';
import { callCounts, longestPath, onboardingDag, REALISTIC_LATENCIES, type DagStep } from '../../bench/model/latency-model';

const step = (id: string, costMs: number, after: readonly string[] = []): DagStep => ({ id, costMs, after, graphCalls: 0, agentCalls: 0, exchangeOperations: 0 });

describe('the lower bound of a dependency graph', () => {
    it('is the longest path, whichever branch it takes', () => {
        // Prepare
        const dag = [step('a', 1), step('b', 10), step('c', 2, ['a', 'b']), step('d', 7, ['a']), step('e', 1, ['c', 'd'])];

        // Act
        const path = longestPath(dag);

        // Assess
        expect(path).toEqual({ totalMs: 13, steps: ['b', 'c', 'e'] });
    });

    it('lets parallel branches overlap instead of adding them up', () => {
        // Act
        const path = longestPath([step('slow', 5_000), step('fast', 300), step('join', 0, ['slow', 'fast'])]);

        // Assess
        expect(path.totalMs).toBe(5_000);
    });

    it('refuses a cycle, an unknown dependency and duplicate ids', () => {
        expect(() => longestPath([step('a', 1, ['b']), step('b', 1, ['a'])])).toThrow(/cycle/);
        expect(() => longestPath([step('a', 1, ['missing'])])).toThrow(/unknown step missing/);
        expect(() => longestPath([step('a', 1), step('a', 2)])).toThrow(/duplicate/);
    });
});

describe('the onboarding DAG priced with the realistic latencies', () => {
    it('has the critical path through Key Vault creation and the settle timer', () => {
        // Prepare
        const dag = onboardingDag(REALISTIC_LATENCIES);

        // Act
        const path = longestPath(dag);

        // Assess: 2.15 s agent calls (relay 150 ms + Exchange 2 s) on each of the six agent steps of the path; the push proxy runs alongside.
        expect(path.steps).toEqual(['inventory', 'preflight', 'certificate', 'install', 'registerKey', 'authConfig', 'restartAuthServices', 'restartHealthManager', 'settle', 'probe', 'registry']);
        expect(path.totalMs).toBe(6 * 2_150 + 5_000 + 3 * 300 + 120_000);
    });

    it('makes the calls the product makes: five Graph requests, eight agent operations, eleven Exchange operations (the import one per server, side by side)', () => {
        // Act
        const counts = callCounts(onboardingDag(REALISTIC_LATENCIES));

        // Assess
        expect(counts).toEqual({ graphCalls: 5, agentCalls: 8, exchangeOperations: 11 });
    });

    it('follows the declared dependencies: inventory and the key target in parallel, then Key Vault, the AuthServer and the push proxy in parallel', () => {
        // Prepare
        const after = Object.fromEntries(onboardingDag(REALISTIC_LATENCIES).map((s) => [s.id, s.after]));

        // Assess
        expect(after.inventory).toEqual([]);
        expect(after.keyTarget).toEqual([]);
        expect(after.certificate).toEqual(['preflight']);
        expect(after.authServer).toEqual(['preflight']);
        expect(after.pushProxy).toEqual(['preflight']);
        expect(after.install).toEqual(['certificate']);
    });
});
