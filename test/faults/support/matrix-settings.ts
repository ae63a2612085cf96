import { parseRates, type FaultRates } from './fault-rates';

/** The fault matrix as the environment asks for it (defaults: 200 onboardings, 100 rotations). */
export interface MatrixSettings {
    readonly onboardRuns: number;
    readonly rotationRuns: number;
    /** FAULT_SEED: replay this seed only, in every matrix file. */
    readonly seed: number | undefined;
    readonly rates: FaultRates;
}

function count(name: string, value: string | undefined, fallback: number): number {
    if (value === undefined || value === '') return fallback;
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < 0) throw new Error(`${name} must be a whole number, not "${value}"`);
    return parsed;
}

export function matrixSettings(env: NodeJS.ProcessEnv = process.env): MatrixSettings {
    const seed = env.FAULT_SEED === undefined || env.FAULT_SEED === '' ? undefined : count('FAULT_SEED', env.FAULT_SEED, 0);
    return {
        onboardRuns: count('FAULT_RUNS_ONBOARD', env.FAULT_RUNS_ONBOARD, 200),
        rotationRuns: count('FAULT_RUNS_ROTATION', env.FAULT_RUNS_ROTATION, 100),
        seed,
        rates: parseRates(env.FAULT_RATES),
    };
}

/**
 * The seeds one matrix file runs: its `part` (0-based) of `parts` equal slices of `runs` seeds
 * numbered from `firstSeed`, or the replayed seed alone.
 */
export function seedsFor(settings: MatrixSettings, runs: number, firstSeed: number, part: number, parts: number): number[] {
    if (settings.seed !== undefined) return [settings.seed];
    const size = Math.ceil(runs / parts);
    const start = part * size;
    return Array.from({ length: Math.max(0, Math.min(size, runs - start)) }, (_, index) => firstSeed + start + index);
}
