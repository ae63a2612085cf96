import { describe, expect, it } from 'vitest';
import { itEndsInTheExpectedWorld, onboardScenario } from './support/scenario-run';
import { SCENARIOS } from './support/scenarios';

/** Fixed, so that the activities delivered twice are the same on every run of the suite. */
const AT_LEAST_ONCE = { seed: 20260105, probability: 0.5 } as const;

describe.each(SCENARIOS.map((c) => [c.name] as const))('%s, with every activity possibly delivered twice', (name) => {
    const get = onboardScenario(name, { atLeastOnce: AT_LEAST_ONCE });

    it('had activities delivered twice', () => {
        expect(get().duplicateDeliveries).toBeGreaterThan(0);
    });

    itEndsInTheExpectedWorld(get);
});
