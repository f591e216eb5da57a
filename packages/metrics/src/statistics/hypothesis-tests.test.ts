import { describe, expect, it } from 'vitest';
import { pairedTTest, wilcoxonSignedRank } from './hypothesis-tests.js';
import { thrownError } from '@trustrec/test-utils';

// Reference p-values from scipy.stats 1.17.1 (ttest_rel, wilcoxon with its defaults).
const a = [0.8, 0.75, 0.9, 0.6, 0.7, 0.65, 0.85, 0.95];
const b = [0.7, 0.7, 0.85, 0.62, 0.6, 0.65, 0.8, 0.9];
// Twenty paired results (rounded normal draws), a2 vs b2.
const a2 = [
  0.3456, 0.8216, 0.3304, -1.3032, 0.9054, 0.4464, -0.537, 0.5811, 0.3646, 0.2941, 0.0284, 0.5467, -0.7365, -0.1629,
  -0.4821, 0.5988, 0.0397, -0.2925, -0.7819, -0.2572,
];
const b2 = [
  0.6537, 0.846, 1.9245, 0.0036, -1.5058, -1.1426, -0.4117, 0.4589, 0.8782, 0.8115, 2.4463, -0.2653, -0.8141, 2.1799,
  0.4646, 1.5619, -0.1743, -1.6405, -0.3144, 0.1518,
];

describe('pairedTTest', () => {
  it('matches scipy.stats.ttest_rel', () => {
    const result = pairedTTest(a, b);
    expect(result.statistic).toBeCloseTo(3.1985573671218126, 10);
    expect(result.degreesOfFreedom).toBe(7);
    expect(result.pValue).toBeCloseTo(0.015096034879553048, 12);
    expect(pairedTTest(a, b, { alternative: 'greater' }).pValue).toBeCloseTo(0.007548017439776524, 12);
    expect(pairedTTest(a, b, { alternative: 'less' }).pValue).toBeCloseTo(1 - 0.007548017439776524, 12);
    const twenty = pairedTTest(a2, b2);
    expect(twenty.statistic).toBeCloseTo(-0.9899127105445383, 10);
    expect(twenty.pValue).toBeCloseTo(0.33465676291809376, 12);
  });

  it('degenerate and invalid input', () => {
    expect(pairedTTest([1, 2, 3], [1, 2, 3]).pValue).toBe(1);
    expect(pairedTTest([2, 3, 4], [1, 2, 3]).pValue).toBe(0);
    expect(() => pairedTTest([1], [2])).toThrow(/at least 2 pairs/);
    expect(() => pairedTTest([1, Number.NaN], [2, 3])).toThrow(/pair 1 is not finite/);
    expect(() => pairedTTest([1, 2], [2])).toThrow(/a has 2 entries but b has 1/);
  });
});

describe('wilcoxonSignedRank', () => {
  it("matches scipy on Darwin's Zea mays differences (exact null distribution, n = 15)", () => {
    const d = [6, 8, 14, 16, 23, 24, 28, 29, 41, -48, 49, 56, 60, -67, 75];
    const zeros = new Array(d.length).fill(0);
    const result = wilcoxonSignedRank(d, zeros);
    expect(result.method).toBe('exact');
    expect(result.wPlus).toBe(96);
    expect(result.wMinus).toBe(24);
    expect(result.pValue).toBeCloseTo(0.041259765625, 14);
    expect(wilcoxonSignedRank(d, zeros, { alternative: 'greater' }).pValue).toBeCloseTo(0.0206298828125, 14);
    expect(wilcoxonSignedRank(d, zeros, { method: 'normal' }).pValue).toBeCloseTo(0.04088813291185591, 12);
  });

  it('matches scipy on twenty pairs (exact) and on tied differences (normal approximation with tie correction)', () => {
    const twenty = wilcoxonSignedRank(a2, b2);
    expect(Math.min(twenty.wPlus, twenty.wMinus)).toBe(71);
    expect(twenty.pValue).toBeCloseTo(0.21616744995117188, 12);
    expect(wilcoxonSignedRank(a2, b2, { alternative: 'less' }).pValue).toBeCloseTo(0.10808372497558594, 12);
    const tied = wilcoxonSignedRank(a, b, { method: 'normal' });
    expect(tied.zeros).toBe(1);
    expect(tied.n).toBe(7);
    expect(tied.pValue).toBeCloseTo(0.0274336657595771, 12);
  });

  it('the exact distribution sums to 1: p(two-sided) = 1 at the centre; no non-zero difference gives p = 1', () => {
    expect(wilcoxonSignedRank([1, -2, 3, -4, 5, -6, 7, -8], new Array(8).fill(0)).pValue).toBeGreaterThan(0.5);
    expect(wilcoxonSignedRank([1, 2], [1, 2]).pValue).toBe(1);
    expect(() => wilcoxonSignedRank([1, 1], [0, 0], { method: 'exact' })).toThrow(/untied/);
  });
});

describe('paired tests: option and value checks', () => {
  it('an unknown option name is E_CONFIG instead of running the default alternative', () => {
    const t = thrownError(() => pairedTTest(a, b, { alternate: 'greater' } as { alternative?: 'greater' }));
    expect(t.code).toBe('E_CONFIG');
    expect(t.message).toMatch(/pairedTTest: option 'alternate' must be one of the known options \(alternative\)/);
    const w = thrownError(() => wilcoxonSignedRank(a, b, { correction: true } as { continuityCorrection?: boolean }));
    expect(w.code).toBe('E_CONFIG');
    expect(w.message).toMatch(/alternative, method, continuityCorrection\), got true/);
  });

  it('wilcoxonSignedRank: continuityCorrection must be a boolean (the string "false" used to switch it on)', () => {
    const error = thrownError(() =>
      wilcoxonSignedRank(a2, b2, { method: 'normal', continuityCorrection: 'false' as unknown as boolean }),
    );
    expect(error.code).toBe('E_ARGUMENT');
    expect(error.message).toMatch(/continuityCorrection must be true or false, got "false"/);
  });

  it('a non-finite pair is E_NUMERIC', () => {
    expect(thrownError(() => pairedTTest([1, Number.NaN], [2, 3])).code).toBe('E_NUMERIC');
    expect(thrownError(() => wilcoxonSignedRank([1, 2], [Number.NEGATIVE_INFINITY, 3])).code).toBe('E_NUMERIC');
  });
});
