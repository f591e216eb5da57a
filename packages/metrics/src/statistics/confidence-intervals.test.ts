import { createRng } from '@trustrec/core-linalg';
import { describe, expect, it } from 'vitest';
import { bootstrapConfidenceInterval, meanWithConfidenceInterval, quantileOfSorted } from './confidence-intervals.js';
import { thrownError } from '@trustrec/test-utils';

describe('meanWithConfidenceInterval (Student-t over seeds)', () => {
  it('matches the hand/scipy computation for five seeds', () => {
    // mean 0.316, s = 0.024083, t_{0.975,4} = 2.776445 → half-width 0.0299032 (scipy.stats.t.ppf).
    const ci = meanWithConfidenceInterval([0.31, 0.35, 0.29, 0.33, 0.3]);
    expect(ci.mean).toBeCloseTo(0.316, 12);
    expect(ci.halfWidth).toBeCloseTo(0.029903228938904028, 9);
    expect(ci.lower).toBeCloseTo(0.286096771061096, 9);
    expect(ci.upper).toBeCloseTo(0.345903228938904, 9);
    expect(ci.degreesOfFreedom).toBe(4);
    expect(() => meanWithConfidenceInterval([1])).toThrow(/at least 2/);
  });
});

describe('bootstrapConfidenceInterval', () => {
  it('is reproducible for a seed and covers the mean of normal data at about the nominal rate', () => {
    const first = bootstrapConfidenceInterval([1, 2, 3, 4, 10], { rng: createRng(1), resamples: 500 });
    const second = bootstrapConfidenceInterval([1, 2, 3, 4, 10], { rng: createRng(1), resamples: 500 });
    expect(second).toEqual(first);
    expect(first.estimate).toBe(4);
    expect(first.lower).toBeLessThan(4);
    expect(first.upper).toBeGreaterThan(4);
    // Coverage: 200 samples of 40 normal values with mean 0; a 90% interval should contain 0 about 90% of the time.
    const rng = createRng(77);
    let covered = 0;
    for (let trial = 0; trial < 200; trial++) {
      const values = Array.from({ length: 40 }, () => rng.normal());
      const ci = bootstrapConfidenceInterval(values, {
        rng: rng.fork(`trial-${trial}`),
        resamples: 400,
        confidenceLevel: 0.9,
      });
      if (ci.lower <= 0 && ci.upper >= 0) covered++;
    }
    expect(covered / 200).toBeGreaterThan(0.82);
    expect(covered / 200).toBeLessThan(0.96);
  });

  it('standard error of the mean ≈ s/√n; custom statistic; constant data gives a zero-width interval', () => {
    const rng = createRng(5);
    const values = Array.from({ length: 200 }, () => rng.normal(0, 2));
    const ci = bootstrapConfidenceInterval(values, { rng: createRng(6), resamples: 2000 });
    expect(ci.standardError).toBeGreaterThan(0.9 * (2 / Math.sqrt(200)));
    expect(ci.standardError).toBeLessThan(1.1 * (2 / Math.sqrt(200)));
    const median = (sample: Float64Array) => quantileOfSorted(sample.slice().sort(), 0.5);
    const medianCi = bootstrapConfidenceInterval([5, 1, 3], { rng: createRng(1), statistic: median, resamples: 100 });
    expect(medianCi.estimate).toBe(3);
    const flat = bootstrapConfidenceInterval([2, 2, 2], { rng: createRng(1) });
    expect([flat.lower, flat.upper]).toEqual([2, 2]);
    expect(() => bootstrapConfidenceInterval([1, Number.NaN], { rng: createRng(1) })).toThrow(/values\[1\]/);
  });

  it('quantileOfSorted interpolates linearly (numpy default)', () => {
    expect(quantileOfSorted([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantileOfSorted([1, 2, 3, 4], 0.25)).toBe(1.75);
  });
});

describe('interval option and value checks', () => {
  it('an unknown option name is E_CONFIG instead of running the default', () => {
    const bootstrap = thrownError(() =>
      bootstrapConfidenceInterval([1, 2, 3], { rng: createRng(1), level: 0.9 } as {
        rng: ReturnType<typeof createRng>;
      }),
    );
    expect(bootstrap.code).toBe('E_CONFIG');
    expect(bootstrap.message).toMatch(
      /bootstrapConfidenceInterval: option 'level' must be one of the known options \(rng, resamples, confidenceLevel, statistic\), got 0.9/,
    );
    const mean = thrownError(() =>
      meanWithConfidenceInterval([1, 2, 3], { level: 0.9 } as { confidenceLevel?: number }),
    );
    expect(mean.code).toBe('E_CONFIG');
    expect(mean.message).toMatch(/meanWithConfidenceInterval: option 'level'/);
  });

  it('bootstrap: statistic must be a function returning finite numbers; non-finite values are E_NUMERIC', () => {
    const notFunction = thrownError(() =>
      bootstrapConfidenceInterval([1, 2], { rng: createRng(1), statistic: 'median' as unknown as () => number }),
    );
    expect(notFunction.code).toBe('E_ARGUMENT');
    expect(notFunction.message).toMatch(/options.statistic must be a function/);
    // A statistic that is NaN on some resamples used to be sorted to the end and shift the upper quantile.
    const partial = thrownError(() =>
      bootstrapConfidenceInterval([0, 1, 2, 3], {
        rng: createRng(1),
        resamples: 50,
        statistic: (sample) => (sample[0] === 0 ? Number.NaN : sample[0]),
      }),
    );
    expect(partial.code).toBe('E_NUMERIC');
    expect(partial.message).toMatch(/options.statistic returned NaN on resample \d+/);
    expect(thrownError(() => bootstrapConfidenceInterval([1, Number.NaN], { rng: createRng(1) })).code).toBe(
      'E_NUMERIC',
    );
    expect(thrownError(() => meanWithConfidenceInterval([1, Number.POSITIVE_INFINITY])).code).toBe('E_NUMERIC');
  });
});
