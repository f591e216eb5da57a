import { describe, expect, test } from 'vitest';
import { TrustRecError } from '../errors/trust-rec-error.js';
import { AliasTable } from './alias-table.js';
import { createRng } from './rng.js';

/** 99.9% quantiles of chi-square (df 4 and 49): fixed seeds make the tests deterministic, see rng.test.ts. */
const CHI_SQUARE_999_DF4 = 18.467;
const CHI_SQUARE_999_DF49 = 85.351;

function frequencies(table: AliasTable, draws: number, seed: number): Float64Array {
  const rng = createRng(seed);
  const counts = new Float64Array(table.size);
  for (let i = 0; i < draws; i++) counts[table.sample(rng)]++;
  return counts;
}

function chiSquare(counts: Float64Array, weights: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < weights.length; i++) total += weights[i];
  let draws = 0;
  for (const count of counts) draws += count;
  let statistic = 0;
  for (let i = 0; i < weights.length; i++) {
    if (weights[i] === 0) continue;
    const expected = (draws * weights[i]) / total;
    statistic += (counts[i] - expected) ** 2 / expected;
  }
  return statistic;
}

describe('AliasTable', () => {
  test('frequencies match the weights (chi-square, df 4) and zero weights are never drawn', () => {
    const weights = [1, 2, 0, 3, 4, 10];
    const table = new AliasTable(weights);
    expect(table.size).toBe(6);
    const counts = frequencies(table, 100_000, 1);
    expect(counts[2]).toBe(0);
    expect(chiSquare(counts, weights)).toBeLessThan(CHI_SQUARE_999_DF4);
  });

  test('50 random weights spanning four orders of magnitude (chi-square, df 49)', () => {
    const rng = createRng(2);
    const weights = Float64Array.from({ length: 50 }, () => 10 ** (4 * rng.nextFloat()));
    const table = new AliasTable(weights);
    const counts = frequencies(table, 200_000, 3);
    expect(chiSquare(counts, weights)).toBeLessThan(CHI_SQUARE_999_DF49);
  });

  test('degenerate inputs: one item, one non-zero weight among zeros, uniform weights', () => {
    expect(frequencies(new AliasTable([5]), 100, 4)[0]).toBe(100);
    const single = frequencies(new AliasTable([0, 0, 7, 0]), 1000, 5);
    expect(Array.from(single)).toEqual([0, 0, 1000, 0]);
    const uniform = frequencies(new AliasTable(new Float32Array(5).fill(0.25)), 50_000, 6);
    expect(chiSquare(uniform, [1, 1, 1, 1, 1])).toBeLessThan(CHI_SQUARE_999_DF4);
  });

  test('is deterministic for a seed', () => {
    const table = new AliasTable([3, 1, 4, 1, 5]);
    expect(Array.from(frequencies(table, 500, 9))).toEqual(Array.from(frequencies(table, 500, 9)));
  });

  test('bad weights are E_ARGUMENT', () => {
    for (const weights of [[], [1, -1], [0, 0], [1, Number.NaN], [1, Number.POSITIVE_INFINITY], [1e308, 1e308]]) {
      let caught: unknown;
      try {
        new AliasTable(weights);
      } catch (error) {
        caught = error;
      }
      expect(TrustRecError.isInstance(caught, 'E_ARGUMENT'), `weights ${weights.join(',')}`).toBe(true);
    }
  });
});
