import { describe, expect, it } from 'vitest';
import { atLeast, atMost, below, figure, meetsTarget, resultsShapeProblems, type BenchResults } from '../../bench/model/results';
import { renderTable } from '../../bench/model/table';

function sampleResults(): BenchResults {
    return {
        schemaVersion: 1,
        startedAt: '2026-01-05T09:00:00.000Z',
        durationMs: 180_000,
        machine: { node: 'v20.19.0', platform: 'linux-x64', cpus: 2, loadAverage: [1, 1, 1] },
        figures: [
            figure('B1.onboardingMs', 'onboarding time, virtual clock', 140_950, 'ms'),
            figure('B1.ratio', 'critical path', 1.0155, 'ratio', atMost(1.05)),
            figure('B2.replayMsPerOnboarding', 'orchestrator CPU per onboarding', 30, 'ms', below(25)),
            figure('B3.ratio', 'cold start', null, 'ratio', atMost(1.5)),
            figure('B4.shellSpeedup', 'persistent shell speed-up', 9.8, 'ratio', atLeast(5)),
        ],
        notes: { B1: ['how it was measured'] },
        errors: [{ benchmark: 'B3 cold start', message: 'the probe failed' }],
    };
}

describe('bench/results.json', () => {
    it('accepts what the bench writes, also after a JSON round trip', () => {
        // Act
        const problems = resultsShapeProblems(JSON.parse(JSON.stringify(sampleResults())));

        // Assess
        expect(problems).toEqual([]);
    });

    it('names what is wrong with a results document of another shape', () => {
        // Prepare
        const { figures, ...rest } = sampleResults();
        const badFigure = { ...figures[0], id: 'B9.other', unit: 'seconds' };

        // Act
        const missing = resultsShapeProblems(rest);
        const wrong = resultsShapeProblems({ ...rest, figures: [badFigure] });

        // Assess
        expect(missing).toEqual([expect.stringContaining('figures') as string]);
        expect(wrong.some((problem) => problem.startsWith('figures.0.id'))).toBe(true);
        expect(wrong.some((problem) => problem.startsWith('figures.0.unit'))).toBe(true);
    });

    it('records for each figure whether it met its target', () => {
        // Act
        const verdicts = Object.fromEntries(sampleResults().figures.map((f) => [f.id, f.met]));

        // Assess
        expect(verdicts).toEqual({ 'B1.onboardingMs': null, 'B1.ratio': true, 'B2.replayMsPerOnboarding': false, 'B3.ratio': null, 'B4.shellSpeedup': true });
    });
});

describe('targets', () => {
    it.each([
        [1.05, atMost(1.05), true],
        [1.06, atMost(1.05), false],
        [25, below(25), false],
        [24.9, below(25), true],
        [5, atLeast(5), true],
        [4.99, atLeast(5), false],
        [Number.NaN, atMost(1), null],
        [null, atMost(1), null],
        [3, null, null],
    ])('%s against %o meets it: %s', (value, target, expected) => {
        expect(meetsTarget(value, target)).toBe(expected);
    });
});

describe('the printed table', () => {
    it('has one row per figure with its value, target and verdict', () => {
        // Act
        const lines = renderTable(sampleResults().figures).split('\n');

        // Assess
        expect(lines).toHaveLength(2 + 5);
        expect(lines[3]).toMatch(/^B1\s+critical path\s+1\.016×\s+≤ 1\.05×\s+pass$/);
        expect(lines[4]).toMatch(/^B2\s+orchestrator CPU per onboarding\s+30\.0 ms\s+< 25\.0 ms\s+MISS$/);
        expect(lines[5]).toMatch(/^B3\s+cold start\s+n\/a\s+≤ 1\.5×\s+not measured$/);
        expect(lines[2]).toContain('140,950 ms');
    });
});
