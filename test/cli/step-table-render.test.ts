import { describe, expect, it } from 'vitest';
import { LiveStepView } from '../../cli/live-step-view';
import type { RunView, StepView } from '../../cli/run-api-schemas';
import { renderStepTable, stepTransitions } from '../../cli/step-table-render';
import { MemoryStream } from './support/memory-io';

const STEPS: StepView[] = [
    { id: 'inventory', title: 'Read the Exchange organization', state: 'succeeded', detail: '2 servers; USERDNSDOMAIN corp.contoso.com' },
    { id: 'settle', title: 'Let the health manager settle', state: 'running', detail: '120 s', startedAt: '2026-01-05T09:00:00.000Z' },
    { id: 'authConfig', title: 'Set-AuthConfig current certificate', state: 'skipped', detail: 'already current' },
    { id: 'probe', title: 'Push notification connectivity probe', state: 'pending' },
    { id: 'registry', title: 'Record the tenant in the registry', state: 'failed', detail: 'table unavailable' },
];

function run(steps: StepView[], runtimeStatus = 'Running'): RunView {
    return { instanceId: 'tenant-contoso.com', runtimeStatus, steps, error: null, output: null };
}

describe('renderStepTable', () => {
    it('draws one aligned line per step: symbol, title, state, detail', () => {
        // Act
        const lines = renderStepTable(STEPS);

        // Assess
        expect(lines).toEqual([
            '✓ Read the Exchange organization        succeeded  2 servers; USERDNSDOMAIN corp.contoso.com',
            '▸ Let the health manager settle         running    120 s',
            '– Set-AuthConfig current certificate    skipped    already current',
            '· Push notification connectivity probe  pending',
            '✗ Record the tenant in the registry     failed     table unavailable',
        ]);
    });

    it.each([
        { nowMs: Date.parse('2026-01-05T09:00:37.900Z'), detail: '120 s', shown: 'running    120 s (37 s)' },
        { nowMs: Date.parse('2026-01-05T08:59:59.000Z'), detail: '120 s', shown: 'running    120 s (0 s)' },
        { nowMs: Date.parse('2026-01-05T09:00:02.000Z'), detail: undefined, shown: 'running    (2 s)' },
    ])('shows how long a running step has run at $nowMs', ({ nowMs, detail, shown }) => {
        // Prepare
        const steps = STEPS.map((step) => (step.id === 'settle' ? { ...step, detail } : step));

        // Act
        const lines = renderStepTable(steps, { nowMs });

        // Assess
        expect(lines[1]?.endsWith(shown)).toBe(true);
        expect(lines[0]).not.toContain(' s)');
    });

    it.each([20, 40, 80])('cuts lines to a terminal width of %i columns', (width) => {
        // Act
        const lines = renderStepTable(STEPS, { width });

        // Assess
        for (const line of lines) expect(line.length).toBeLessThan(width);
        expect(lines[0]?.endsWith('…')).toBe(true);
    });

    it.each([
        { state: 'succeeded', code: '32' },
        { state: 'failed', code: '31' },
        { state: 'running', code: '33' },
    ] as const)('colors the $state symbol only when asked', ({ state, code }) => {
        // Prepare
        const step: StepView = { id: 'x', title: 'X', state };

        // Act
        const [plain] = renderStepTable([step]);
        const [colored] = renderStepTable([step], { color: true });

        // Assess
        expect(plain).not.toContain('\u001b[');
        expect(colored?.startsWith(`\u001b[${code}m`)).toBe(true);
        expect(colored?.replace(`\u001b[${code}m`, '').replace('\u001b[0m', '')).toBe(plain);
    });
});

describe('stepTransitions', () => {
    it('reports, at first sight, only the steps that left pending', () => {
        // Act
        const lines = stepTransitions(undefined, STEPS);

        // Assess
        expect(lines.map((line) => line.split(/\s+/)[1])).toEqual(['inventory', 'settle', 'authConfig', 'registry']);
    });

    it.each([
        { change: { state: 'succeeded', detail: 'waited 120 s' }, expected: ['✓ settle      succeeded  waited 120 s'] },
        { change: { detail: 'attempt 2' }, expected: ['▸ settle      running    attempt 2'] },
        { change: {}, expected: [] },
    ] as const)('reports a change of state or detail: $change', ({ change, expected }) => {
        // Prepare
        const next = STEPS.map((step) => (step.id === 'settle' ? { ...step, ...change } : step));

        // Act
        const lines = stepTransitions(STEPS, next);

        // Assess
        expect(lines).toEqual(expected);
    });

    it('falls back to the title when a step has no detail', () => {
        // Prepare
        const next = STEPS.map((step) => (step.id === 'probe' ? { ...step, state: 'running' as const } : step));

        // Act
        const lines = stepTransitions(STEPS, next);

        // Assess
        expect(lines).toEqual(['▸ probe       running    Push notification connectivity probe']);
    });
});

describe('LiveStepView', () => {
    it('redraws the table in place on a terminal', () => {
        // Prepare
        const stream = new MemoryStream(true, 200);
        const view = new LiveStepView(stream, { redraw: true, now: () => Date.parse('2026-01-05T09:00:05Z') });

        // Act
        view.update(run(STEPS));
        view.update(run(STEPS));

        // Assess
        expect(stream.chunks).toHaveLength(2);
        expect(stream.chunks[0]).not.toContain(`\u001b[${STEPS.length}A`);
        expect(stream.chunks[1]?.startsWith(`\u001b[${STEPS.length}A\u001b[0J`)).toBe(true);
        expect(stream.chunks[1]).toContain('120 s (5 s)');
    });

    it('cuts lines to the terminal while the run goes on, and shows the final table whole', () => {
        // Prepare
        const stream = new MemoryStream(true, 40);
        const view = new LiveStepView(stream, { redraw: true, now: () => 0 });

        // Act
        view.update(run(STEPS));
        view.update(run(STEPS, 'Completed'));

        // Assess
        expect(stream.chunks[0]).not.toContain('USERDNSDOMAIN corp.contoso.com');
        expect(stream.chunks[1]).toContain('USERDNSDOMAIN corp.contoso.com');
    });

    it.each([
        { isTTY: false, redraw: true },
        { isTTY: true, redraw: false },
    ])('prints transitions as lines when it cannot redraw (terminal $isTTY, redraw $redraw)', ({ isTTY, redraw }) => {
        // Prepare
        const stream = new MemoryStream(isTTY);
        const view = new LiveStepView(stream, { redraw, now: () => 0 });
        const finished = STEPS.map((step) => (step.id === 'settle' ? { ...step, state: 'succeeded' as const, detail: 'waited 120 s' } : step));

        // Act
        view.update(run(STEPS));
        view.update(run(STEPS));
        view.update(run(finished, 'Completed'));

        // Assess
        expect(stream.text).not.toContain('\u001b[');
        expect(stream.text.split('\n').filter((line) => line.includes(' settle '))).toEqual(['▸ settle      running    120 s', '✓ settle      succeeded  waited 120 s']);
    });
});
