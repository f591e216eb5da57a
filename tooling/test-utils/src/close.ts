import { expect } from 'vitest';

type NumericArray = ArrayLike<number>;

/** Largest |a[i] - b[i]|; lengths must match. */
export function maxAbsDifference(actual: NumericArray, expected: NumericArray): number {
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const difference = Math.abs(actual[i] - expected[i]);
    if (Number.isNaN(difference)) return Number.POSITIVE_INFINITY;
    if (difference > worst) worst = difference;
  }
  return worst;
}

/**
 * Asserts element-wise |actual - expected| <= atol + rtol * |expected|, and equal lengths.
 * The failure message names the first offending index, as tfjs's `expectArraysClose` does.
 */
export function expectArraysClose(
  actual: NumericArray,
  expected: NumericArray,
  options: { atol?: number; rtol?: number } = {},
): void {
  const atol = options.atol ?? 1e-5;
  const rtol = options.rtol ?? 1e-5;
  expect(actual.length, 'array length').toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const bound = atol + rtol * Math.abs(expected[i]);
    const difference = Math.abs(actual[i] - expected[i]);
    if (!(difference <= bound)) {
      expect.fail(`index ${i}: actual ${actual[i]} vs expected ${expected[i]} (|diff| ${difference} > ${bound})`);
    }
  }
}

/** Asserts |actual - expected| <= atol + rtol * |expected|. */
export function expectClose(actual: number, expected: number, options: { atol?: number; rtol?: number } = {}): void {
  expectArraysClose([actual], [expected], options);
}
