import { TrustRecError } from '@trustrec/core-linalg';
import { describe, expect, it } from 'vitest';
import { mae, rmse } from './rating-metrics.js';

describe('rmse / mae', () => {
  it('hand-computed', () => {
    // errors 1, −2, 0, 3 → squares 1, 4, 0, 9 → mean 3.5.
    expect(rmse([4, 1, 3, 5], [3, 3, 3, 2])).toBeCloseTo(Math.sqrt(3.5), 12);
    expect(mae([4, 1, 3, 5], [3, 3, 3, 2])).toBeCloseTo(1.5, 12);
  });

  it('is the standard RMSE, not seed 003 eq. 17 as printed (1/|Ω| outside the root)', () => {
    const predicted = new Float64Array(100).fill(4);
    const actual = new Float64Array(100).fill(3);
    expect(rmse(predicted, actual)).toBeCloseTo(1, 12); // eq. 17 as printed would give sqrt(100)/100 = 0.1
  });

  it('RMSE ≥ MAE; perfect predictions score 0; bad input is rejected', () => {
    expect(rmse([1, 2], [1, 2])).toBe(0);
    expect(rmse([0, 0, 0], [1, 2, 6])).toBeGreaterThanOrEqual(mae([0, 0, 0], [1, 2, 6]));
    expect(() => rmse([1], [1, 2])).toThrow(/predicted has 1 entries but actual has 2/);
    expect(() => mae([], [])).toThrow(/empty/);
    expect(() => rmse([Number.NaN], [1])).toThrow(/predicted\[0\]/);
  });

  it('a NaN or infinite rating is E_NUMERIC naming the array and entry', () => {
    for (const [f, predicted, actual, pattern] of [
      [rmse, [1, Number.NaN], [1, 2], /rmse: predicted\[1\] must be a finite number, got NaN/],
      [mae, [1, 2], [Number.POSITIVE_INFINITY, 2], /mae: actual\[0\] must be a finite number, got Infinity/],
    ] as const) {
      let caught: unknown;
      try {
        f(predicted, actual);
      } catch (error) {
        caught = error;
      }
      expect(TrustRecError.isInstance(caught, 'E_NUMERIC')).toBe(true);
      expect((caught as Error).message).toMatch(pattern);
    }
  });
});
