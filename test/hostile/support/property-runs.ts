import type { Parameters } from 'fast-check';

/**
 * fast-check settings of one property: a fixed seed, so that every run of the suite tries the same
 * inputs and a failure replays (fast-check prints the seed and the counterexample path). Setting
 * PPO_HOSTILE_SEED and PPO_HOSTILE_RUNS explores other inputs or more of them, e.g.
 * `PPO_HOSTILE_SEED=7 PPO_HOSTILE_RUNS=2000 npx vitest run test/hostile`.
 */
export function propertyRuns<T>(seed: number, numRuns: number): Parameters<T> {
    const seedOverride = process.env.PPO_HOSTILE_SEED;
    const runsOverride = process.env.PPO_HOSTILE_RUNS;
    return {
        seed: seedOverride === undefined || seedOverride === '' ? seed : Number(seedOverride),
        numRuns: runsOverride === undefined || runsOverride === '' ? numRuns : Number(runsOverride),
    };
}
