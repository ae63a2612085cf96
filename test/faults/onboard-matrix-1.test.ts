import { describe } from 'vitest';
import { onboardUnderFaults } from './support/matrix-run';
import { matrixSettings, seedsFor } from './support/matrix-settings';
import { matrixTests } from './support/matrix-suite';

const settings = matrixSettings();

describe('onboarding under seeded faults (first half)', () => {
    matrixTests(
        'ends with a healthy tenant, every earlier key intact and no secret anywhere',
        'test/faults/onboard-matrix-1.test.ts',
        seedsFor(settings, settings.onboardRuns, 1, 0, 2),
        (seed) => onboardUnderFaults(seed, settings.rates),
    );
});
