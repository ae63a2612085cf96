import { describe, expect, it } from 'vitest';
import { median, percentile } from '../../bench/model/percentile';

const oneToHundred = Array.from({ length: 100 }, (_, i) => 100 - i);

describe('percentile (nearest rank)', () => {
    it.each([
        [50, 50],
        [90, 90],
        [99, 99],
        [100, 100],
        [0, 1],
        [0.5, 1],
        [99.5, 100],
    ])('p%d of 1..100 in any order is %d', (p, expected) => {
        expect(percentile(oneToHundred, p)).toBe(expected);
    });

    it('is always one of the samples', () => {
        // Act
        const p99 = percentile([0.5, 9.25, 3], 99);

        // Assess
        expect(p99).toBe(9.25);
    });

    it('is NaN without samples and refuses a percentile outside 0..100', () => {
        expect(percentile([], 50)).toBeNaN();
        expect(() => percentile([1], 101)).toThrow(RangeError);
        expect(() => percentile([1], Number.NaN)).toThrow(RangeError);
    });

    it('leaves the samples in their order', () => {
        // Prepare
        const samples = [3, 1, 2];

        // Act
        percentile(samples, 50);

        // Assess
        expect(samples).toEqual([3, 1, 2]);
    });
});

describe('median', () => {
    it('is the middle sample, or the mean of the two middle ones', () => {
        expect(median([5, 1, 3])).toBe(3);
        expect(median([4, 1, 3, 2])).toBe(2.5);
        expect(median([])).toBeNaN();
    });
});
