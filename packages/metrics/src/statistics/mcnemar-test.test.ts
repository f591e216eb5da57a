import { TrustRecError } from '@trustrec/core-linalg';
import { describe, expect, it } from 'vitest';
import { mcNemarTest } from './mcnemar-test.js';

/** Paired 0/1 outcomes with the given cell counts (both hit, only a, only b, neither). */
function outcomes(both: number, onlyA: number, onlyB: number, neither: number): [Float32Array, Float32Array] {
  const n = both + onlyA + onlyB + neither;
  const a = new Float32Array(n);
  const b = new Float32Array(n);
  a.fill(1, 0, both + onlyA);
  b.fill(1, 0, both);
  b.fill(1, both + onlyA, both + onlyA + onlyB);
  return [a, b];
}

// Reference p-values: exact binomial sums Σ C(n, j) / 2ⁿ in rational arithmetic (Python fractions), and
// erfc(√(x/2)) for χ²(1); the same as statsmodels' mcnemar(exact=True) and mcnemar(exact=False, correction=True).
describe('mcNemarTest', () => {
  it('exact: the binomial test on the discordant pairs', () => {
    const [a, b] = outcomes(40, 1, 9, 50);
    const result = mcNemarTest(a, b);
    expect(result).toMatchObject({ onlyA: 1, onlyB: 9, discordant: 10, statistic: 1, method: 'exact' });
    expect(result.pValue).toBeCloseTo(0.021484375, 14); // 2 · 11 / 1024
    expect(mcNemarTest(a, b, { alternative: 'less' }).pValue).toBeCloseTo(0.0107421875, 14);
    expect(mcNemarTest(a, b, { alternative: 'greater' }).pValue).toBeCloseTo(0.9990234375, 14);
    // Swapping the systems mirrors the alternatives.
    expect(mcNemarTest(b, a, { alternative: 'greater' }).pValue).toBeCloseTo(0.0107421875, 14);
    expect(mcNemarTest([0, 0, 0, 0, 0, 0, 0], [1, 1, 1, 1, 1, 1, 1]).pValue).toBeCloseTo(0.015625, 14);
    expect(mcNemarTest(...outcomes(3, 5, 5, 2)).pValue).toBe(1);
  });

  it('only discordant pairs count, and large counts stay accurate', () => {
    // Two recommenders' HR@10 hits on 6,040 users: 222 hit by a only, 246 by b only.
    const [a, b] = outcomes(4157, 222, 246, 1415);
    const result = mcNemarTest(a, b);
    expect(result.discordant).toBe(468);
    expect(result.pValue).toBeCloseTo(0.28769146527824646, 12);
    expect(mcNemarTest(...outcomes(0, 222, 246, 0)).pValue).toBeCloseTo(result.pValue, 14);
    expect(mcNemarTest(...outcomes(10, 219, 229, 10)).pValue).toBeCloseTo(0.6707309886927966, 12);
    expect(mcNemarTest(...outcomes(10, 30, 12, 10)).pValue).toBeCloseTo(0.007915897334896727, 12);
  });

  it('chi-square with continuity correction agrees with the exact test on large samples', () => {
    expect(mcNemarTest(...outcomes(40, 1, 9, 50), { method: 'chi-square' })).toMatchObject({ statistic: 4.9 });
    expect(mcNemarTest(...outcomes(40, 1, 9, 50), { method: 'chi-square' }).pValue).toBeCloseTo(
      0.026856695507524425,
      12,
    );
    expect(mcNemarTest(...outcomes(1, 30, 12, 1), { method: 'chi-square' }).pValue).toBeCloseTo(
      0.008711912962379598,
      12,
    );
    const chi = mcNemarTest(...outcomes(4157, 222, 246, 1415), { method: 'chi-square' });
    expect(chi.pValue).toBeCloseTo(0.28770242695002163, 12);
    expect(chi.pValue).toBeCloseTo(0.28769146527824646, 4);
  });

  it('no discordant pair gives p = 1', () => {
    expect(mcNemarTest([1, 0, 1], [1, 0, 1]).pValue).toBe(1);
    expect(mcNemarTest([], []).pValue).toBe(1);
    const chi = mcNemarTest([1, 0], [1, 0], { method: 'chi-square' });
    expect(chi.pValue).toBe(1);
    expect(chi.statistic).toBeNaN();
  });

  it('rejects graded or mismatched input, naming the pair', () => {
    expect(() => mcNemarTest([1, 0.5], [1, 0])).toThrow(/pair 1 is not binary \(a = 0.5, b = 0\).*pairedTTest/);
    expect(() => mcNemarTest([1, 0], [1])).toThrow(/a has 2 entries but b has 1/);
    expect(() => mcNemarTest([1], [0], { method: 'chi-square', alternative: 'greater' })).toThrow(/two-sided only/);
    expect(() => mcNemarTest([1], [0], { method: 'fisher' as 'exact' })).toThrow(/method must be/);
  });

  it('an unknown option name is E_CONFIG (statsmodels spells it exact=True; here it is method)', () => {
    let caught: unknown;
    try {
      mcNemarTest([1, 0], [0, 1], { exact: false } as { method?: 'exact' });
    } catch (error) {
      caught = error;
    }
    expect(TrustRecError.isInstance(caught, 'E_CONFIG')).toBe(true);
    expect((caught as Error).message).toMatch(
      /mcNemarTest: option 'exact' must be one of the known options \(alternative, method\)/,
    );
  });
});
