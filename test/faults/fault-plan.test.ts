import { describe, expect, it } from 'vitest';
import { FaultInjector } from '../../local/identity/fault-injector';
import { planFaults } from './support/fault-plan';
import { replayReports, type MatrixRun } from './support/matrix-run';
import { DEFAULT_RATES, parseRates, type FaultRates } from './support/fault-rates';
import { matrixSettings, seedsFor } from './support/matrix-settings';

const NONE: FaultRates = { graph: 0, keyVault: 0, relay: 0, shell: 0, agentRestart: 0, atLeastOnce: 0 };
const SEEDS = Array.from({ length: 300 }, (_, index) => index + 1);

describe('fault plans', () => {
    it('are the same for the same seed and rates, and differ between seeds', () => {
        // Act
        const again = [planFaults(42, DEFAULT_RATES), planFaults(42, DEFAULT_RATES)];
        const others = SEEDS.slice(0, 20).map((seed) => JSON.stringify({ ...planFaults(seed, DEFAULT_RATES), seed: 0, atLeastOnce: null }));

        // Assess
        expect(again[0]).toEqual(again[1]);
        expect(new Set(others).size).toBe(others.length);
    });

    it.each<[string, FaultRates, number]>([
        ['no faults at rate 0', NONE, 0],
        ['a fault on every call at rate 1', { graph: 1, keyVault: 1, relay: 1, shell: 1, agentRestart: 1, atLeastOnce: 1 }, 60],
    ])('plan %s', (_name, rates, perDependency) => {
        // Act
        const plan = planFaults(7, rates);

        // Assess
        expect([plan.graph.length, plan.keyVault.length, plan.relay.length, plan.shell.length, plan.agentRestarts.length]).toEqual(Array(5).fill(perDependency));
        expect(plan.atLeastOnce.probability).toBe(rates.atLeastOnce);
    });

    it('make the stand-ins fail exactly the planned requests', () => {
        // Prepare
        const plan = planFaults(1234, { ...NONE, graph: 0.2 });
        const planned = plan.graph.map((fault, index) => fault.afterRequests + index + 1);
        const injector = new FaultInjector(plan.graph);

        // Act
        const failed = Array.from({ length: 60 }, (_, index) => index + 1).filter(() => injector.next('GET', '/v1.0/servicePrincipals') !== undefined);

        // Assess
        expect(planned.length).toBeGreaterThan(3);
        expect(failed).toEqual(planned);
    });

    it('draw every kind of fault across the default matrix', () => {
        // Act
        const plans = SEEDS.map((seed) => planFaults(seed, DEFAULT_RATES));
        const kinds = (pick: (plan: ReturnType<typeof planFaults>) => readonly unknown[]) => [...new Set(plans.flatMap((plan) => pick(plan).map((k) => JSON.stringify(k))))].sort();

        // Assess
        expect(kinds((p) => [...p.graph, ...p.keyVault].map((f) => [f.status, f.retryAfterSeconds ?? null]))).toEqual(
            ['[429,0]', '[429,60]', '[503,0]', '[503,45]', '[500,null]', '[504,null]', '["reset",null]', '["lostAnswer",null]'].sort(),
        );
        expect(kinds((p) => p.relay.map((f) => f.kind))).toEqual(['"busy"', '"drop"', '"reset"', '"timeout"']);
        expect(kinds((p) => p.shell.map((f) => f.kind))).toEqual(['"timeout"', '"unavailable"']);
        expect(plans.filter((p) => p.agentRestarts.length > 0).length).toBeGreaterThan(100);
    });
});

describe('matrix settings', () => {
    it.each<[string, NodeJS.ProcessEnv, { onboard: number[]; rotation: number[] }]>([
        ['the default split of 200 onboardings and 100 rotations', {}, { onboard: [100, 1, 100], rotation: [100, 10_001, 10_100] }],
        ['more runs from the environment', { FAULT_RUNS_ONBOARD: '1000', FAULT_RUNS_ROTATION: '250' }, { onboard: [500, 1, 500], rotation: [250, 10_001, 10_250] }],
        ['one replayed seed', { FAULT_SEED: '77' }, { onboard: [1, 77, 77], rotation: [1, 77, 77] }],
    ])('give %s', (_name, env, expected) => {
        // Act
        const settings = matrixSettings(env);
        const onboard = seedsFor(settings, settings.onboardRuns, 1, 0, 2);
        const rotation = seedsFor(settings, settings.rotationRuns, 10_001, 0, 1);

        // Assess
        expect({ onboard: [onboard.length, onboard[0], onboard.at(-1)], rotation: [rotation.length, rotation[0], rotation.at(-1)] }).toEqual(expected);
    });

    it.each([['graph=0.2', { ...DEFAULT_RATES, graph: 0.2 }], ['relay = 1, shell=0', { ...DEFAULT_RATES, relay: 1, shell: 0 }], ['', DEFAULT_RATES]])('read FAULT_RATES "%s"', (text, rates) => {
        // Act
        const parsed = parseRates(text);

        // Assess
        expect(parsed).toEqual(rates);
    });

    it.each(['graph=2', 'storage=0.1', 'relay'])('refuse FAULT_RATES "%s"', (text) => {
        // Act
        const parse = () => parseRates(text);

        // Assess
        expect(parse).toThrow(/FAULT_RATES/);
    });
});

describe('a failing matrix run', () => {
    const base: MatrixRun = {
        seed: 173,
        scenario: 'reuse',
        plan: planFaults(173, { ...DEFAULT_RATES, relay: 0.5 }),
        runtimeStatus: 'Failed',
        error: { step: 'install', code: 'retries_exhausted', message: 'the relay refused', remedy: 'start the agent' },
        violations: ['the run ended Failed'],
        fired: { graph: 0, keyVault: 0, relay: 9, shell: 0, agentRestarts: 0, duplicateDeliveries: 1 },
    };

    it('is reported with its seed, its plan and the command that replays it', () => {
        // Act
        const [report = ''] = replayReports(base, 'test/faults/onboard-matrix-1.test.ts');

        // Assess
        expect(report).toMatch(/^seed 173 \(reuse world\) ended Failed at install: retries_exhausted the relay refused/);
        expect(report).toContain('  - the run ended Failed');
        expect(report).toMatch(/^relay (#\d+:\w+ ?)+$/m);
        expect(report).toContain('replay: FAULT_SEED=173 FAULT_RATES=relay=0.5 npx vitest run test/faults/onboard-matrix-1.test.ts');
    });

    it('is not reported when nothing was wrong', () => {
        // Act
        const reports = replayReports({ ...base, runtimeStatus: 'Completed', error: null, violations: [] }, 'test/faults/onboard-matrix-1.test.ts');

        // Assess
        expect(reports).toEqual([]);
    });
});
