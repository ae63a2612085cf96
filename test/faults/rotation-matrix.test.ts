import { describe } from 'vitest';
import { rotateUnderFaults } from './support/matrix-run';
import { matrixSettings, seedsFor } from './support/matrix-settings';
import { matrixTests } from './support/matrix-suite';

const settings = matrixSettings();

describe('certificate rotation under seeded faults', () => {
    matrixTests(
        'ends with the new certificate current everywhere, its key the only new one, every earlier key intact and no secret anywhere',
        'test/faults/rotation-matrix.test.ts',
        seedsFor(settings, settings.rotationRuns, 10_001, 0, 1),
        (seed) => rotateUnderFaults(seed, settings.rates),
    );
});
