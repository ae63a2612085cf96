import { afterAll, expect, it } from 'vitest';
import { firedTotals, replayReports, type MatrixRun } from './matrix-run';
import { stopSharedResources } from './shared-resources';

/** Below this many seeds (a replay of one), the coverage of fault kinds is not judged. */
const SEEDS_FOR_COVERAGE = 20;

/**
 * The tests of one matrix file (call inside its describe): a test per seed, judged by the run's
 * violations (the failure message names the seed and how to replay it), then a check that the
 * faults really fired, so a matrix whose faults stopped reaching the product cannot pass by
 * running nothing but happy paths.
 */
export function matrixTests(claim: string, testFile: string, seeds: readonly number[], runOne: (seed: number) => Promise<MatrixRun>): void {
    const runs: MatrixRun[] = [];
    afterAll(stopSharedResources);

    it.each([...seeds])(`seed %i ${claim}`, async (seed) => {
        // Act
        const run = await runOne(seed);
        runs.push(run);

        // Assess
        expect(replayReports(run, testFile).join('\n')).toBe('');
    });

    if (seeds.length >= SEEDS_FOR_COVERAGE) {
        it('made every dependency fail, restarted the agent and delivered activities twice across its seeds', () => {
            // Act
            const totals = firedTotals(runs);

            // Assess
            expect(runs).toHaveLength(seeds.length);
            expect(Object.entries(totals).filter(([, count]) => count === 0)).toEqual([]);
        });
    }
}
