import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../local/clock';
import { ledger } from '../fixtures/app/ledger';
import { startFixtureHost, startOrchestration, type FixtureHost } from './support/fixture-host';
import { output, record } from './support/history';

const ITEMS = Array.from({ length: 40 }, (_, index) => `item-${index}`);

describe('at-least-once activity delivery', () => {
    let fixture: FixtureHost | undefined;

    afterEach(async () => {
        await fixture?.host.stop();
        fixture = undefined;
    });

    async function run(instanceId: string, atLeastOnce?: { seed: number; probability: number }): Promise<string[]> {
        fixture = await startFixtureHost({ clock: new VirtualClock(), ...(atLeastOnce ? { atLeastOnce } : {}) });
        const book = ledger();
        book.sideEffectExecutions.length = 0;
        book.created.clear();
        await startOrchestration(fixture.host, 'sideEffects', ITEMS, instanceId);
        await fixture.host.whenIdle();
        return [...book.sideEffectExecutions];
    }

    it('executes some activities twice, yet the idempotent activity creates each item once and the orchestration completes', async () => {
        // Act
        const executions = await run('twice', { seed: 7, probability: 0.5 });

        // Assess
        const host = fixture?.host;
        expect(host && record(host, 'twice').runtimeStatus).toBe('Completed');
        expect(host && output(host, 'twice')).toBe(ITEMS.length);
        expect(executions.length).toBeGreaterThan(ITEMS.length);
        expect(new Set(executions)).toEqual(new Set(ITEMS));
        expect([...ledger().created.values()].every((count) => count === 1)).toBe(true);
        expect(fixture?.logs.records.some((entry) => entry.message.startsWith('At-least-once delivery: executing the activity a second time.'))).toBe(true);
    });

    it('chooses the same duplicates for the same seed', async () => {
        // Prepare
        const first = await run('seeded', { seed: 42, probability: 0.3 });
        await fixture?.host.stop();

        // Act
        const second = await run('seeded', { seed: 42, probability: 0.3 });

        // Assess
        const duplicates = (executions: string[]) => executions.filter((item, index) => executions.indexOf(item) !== index).sort();
        expect(duplicates(second)).toEqual(duplicates(first));
        expect(duplicates(first).length).toBeGreaterThan(0);
    });

    it('executes each activity exactly once when the mode is off', async () => {
        // Act
        const executions = await run('once');

        // Assess
        expect(executions).toHaveLength(ITEMS.length);
    });
});
