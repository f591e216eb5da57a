import { TrustRecError, createRng } from '@trustrec/core-linalg';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  aucPerUser,
  gauc,
  gradedNdcgAtK,
  hitRatioAtK,
  idealDcgAtK,
  itemCoverage,
  mapAtK,
  mrrAtK,
  ndcgAtK,
  precisionAtK,
  rankDiscount,
  recallAtK,
  relevanceOfRanking,
} from './ranking-metrics.js';
import { thrownError } from '@trustrec/test-utils';

const d = (rank: number) => 1 / Math.log2(rank + 1);

describe('ranking metrics @K (hand-computed)', () => {
  // Ranked list positions 1..5: relevant at ranks 2, 4, 5; the user has 4 positives (one never ranked).
  const relevance = [0, 1, 0, 1, 1];
  const p = 4;

  it('K = 3', () => {
    expect(hitRatioAtK(relevance, p, 3)).toBe(1);
    expect(precisionAtK(relevance, p, 3)).toBeCloseTo(1 / 3, 12);
    expect(recallAtK(relevance, p, 3)).toBeCloseTo(1 / 4, 12);
    expect(ndcgAtK(relevance, p, 3)).toBeCloseTo(d(2) / (d(1) + d(2) + d(3)), 12);
    expect(ndcgAtK(relevance, p, 3)).toBeCloseTo(0.2960819, 6);
    expect(mrrAtK(relevance, p, 3)).toBe(0.5);
    expect(mapAtK(relevance, p, 3)).toBeCloseTo(0.5 / 3, 12);
  });

  it('K = 5', () => {
    expect(precisionAtK(relevance, p, 5)).toBeCloseTo(3 / 5, 12);
    expect(recallAtK(relevance, p, 5)).toBeCloseTo(3 / 4, 12);
    expect(ndcgAtK(relevance, p, 5)).toBeCloseTo((d(2) + d(4) + d(5)) / (d(1) + d(2) + d(3) + d(4)), 12);
    expect(mapAtK(relevance, p, 5)).toBeCloseTo((1 / 2 + 2 / 4 + 3 / 5) / 4, 12);
  });

  it('K larger than the list: missing positions are non-relevant, precision still divides by K', () => {
    expect(precisionAtK(relevance, p, 10)).toBeCloseTo(3 / 10, 12);
    expect(recallAtK(relevance, p, 10)).toBeCloseTo(3 / 4, 12);
    expect(ndcgAtK(relevance, p, 10)).toBeCloseTo(ndcgAtK(relevance, p, 5), 12);
    expect(mapAtK(relevance, p, 10)).toBeCloseTo(0.4, 12);
    expect(mrrAtK(relevance, p, 10)).toBe(0.5);
  });

  it('a miss within K', () => {
    expect(hitRatioAtK(relevance, p, 1)).toBe(0);
    expect(ndcgAtK(relevance, p, 1)).toBe(0);
    expect(mrrAtK(relevance, p, 1)).toBe(0);
    expect(mapAtK(relevance, p, 1)).toBe(0);
  });

  it('no positives: HR, precision, MRR are 0; recall, NDCG, MAP are undefined (NaN)', () => {
    const none = [0, 0, 0];
    expect(hitRatioAtK(none, 0, 2)).toBe(0);
    expect(precisionAtK(none, 0, 2)).toBe(0);
    expect(mrrAtK(none, 0, 2)).toBe(0);
    expect(recallAtK(none, 0, 2)).toBeNaN();
    expect(ndcgAtK(none, 0, 2)).toBeNaN();
    expect(mapAtK(none, 0, 2)).toBeNaN();
  });

  it('all positives: every metric is perfect (precision limited by the list length)', () => {
    const all = [1, 1, 1];
    for (const k of [1, 2, 3]) {
      expect(ndcgAtK(all, 3, k)).toBeCloseTo(1, 12);
      expect(mapAtK(all, 3, k)).toBeCloseTo(1, 12);
      expect(precisionAtK(all, 3, k)).toBe(1);
      expect(recallAtK(all, 3, k)).toBeCloseTo(k / 3, 12);
    }
    expect(precisionAtK(all, 3, 6)).toBe(0.5);
    expect(ndcgAtK(all, 3, 6)).toBeCloseTo(1, 12);
  });

  it('rejects inconsistent input', () => {
    expect(() => ndcgAtK([1, 1], 1, 2)).toThrow(/numPositives is 1/);
    expect(() => ndcgAtK([2], 1, 1)).toThrow(/relevance\[0\] must be 0 or 1/);
    expect(() => hitRatioAtK([1], 1, 0)).toThrow(/k must be a positive integer/);
    let caught: unknown;
    try {
      recallAtK([1], -1, 1);
    } catch (error) {
      caught = error;
    }
    expect(TrustRecError.isInstance(caught, 'E_ARGUMENT')).toBe(true);
  });

  it('idealDcgAtK sums discounts over min(K, P)', () => {
    expect(idealDcgAtK(2, 10)).toBeCloseTo(1 + d(2), 12);
    expect(idealDcgAtK(10, 2)).toBeCloseTo(1 + d(2), 12);
    expect(idealDcgAtK(0, 5)).toBe(0);
  });

  it('relevanceOfRanking maps a ranked list and a positive set', () => {
    const { relevance: rel, numPositives } = relevanceOfRanking([7, 3, 9, 1], [1, 7, 42]);
    expect(Array.from(rel)).toEqual([1, 0, 0, 1]);
    expect(numPositives).toBe(3);
    expect(() => relevanceOfRanking([1, 1], [1])).toThrow(/appears twice/);
  });
});

describe('ranking invariants (property-based)', () => {
  const rankings = fc.array(fc.boolean(), { minLength: 0, maxLength: 40 }).chain((flags) =>
    fc.record({
      relevance: fc.constant(flags.map((flag) => (flag ? 1 : 0))),
      extra: fc.integer({ min: 0, max: 5 }),
      k: fc.integer({ min: 1, max: 50 }),
    }),
  );

  it('NDCG, MAP, precision, recall, MRR lie in [0, 1]; HR@K is monotone in K; NDCG = 1 for a perfect ranking', () => {
    fc.assert(
      fc.property(rankings, ({ relevance, extra, k }) => {
        const p = relevance.reduce<number>((sum, value) => sum + value, 0) + extra;
        if (p === 0) return;
        for (const value of [
          ndcgAtK(relevance, p, k),
          mapAtK(relevance, p, k),
          precisionAtK(relevance, p, k),
          recallAtK(relevance, p, k),
          mrrAtK(relevance, p, k),
        ]) {
          expect(value).toBeGreaterThanOrEqual(0);
          expect(value).toBeLessThanOrEqual(1 + 1e-12);
        }
        expect(hitRatioAtK(relevance, p, k + 1)).toBeGreaterThanOrEqual(hitRatioAtK(relevance, p, k));
        expect(recallAtK(relevance, p, k + 1)).toBeGreaterThanOrEqual(recallAtK(relevance, p, k));
        const perfect = [...Array(p).fill(1), ...Array(relevance.length).fill(0)];
        expect(ndcgAtK(perfect, p, k)).toBeCloseTo(1, 12);
        expect(ndcgAtK(relevance, p, k)).toBeLessThanOrEqual(ndcgAtK(perfect, p, k) + 1e-12);
      }),
      { seed: 4, numRuns: 300 },
    );
  });
});

describe('aucPerUser', () => {
  it('hand-computed with a tie and an excluded item', () => {
    // items:       0    1    2    3    4
    const scores = new Float32Array([0.9, 0.5, 0.5, 0.1, 0.8]);
    // positives {1}, exclude {0}: negatives 2 (tie), 3 (below), 4 (above) → (1 + 0.5) / 3.
    expect(aucPerUser(scores, Int32Array.of(1), Int32Array.of(0))).toBeCloseTo(1.5 / 3, 12);
    // positives {1, 4}, no exclusion: negatives 0, 2, 3. Pairs: (1,0) 0, (1,2) ½, (1,3) 1, (4,0) 0, (4,2) 1, (4,3) 1.
    expect(aucPerUser(scores, Int32Array.of(1, 4))).toBeCloseTo(3.5 / 6, 12);
  });

  it('reversing the scores gives 1 − AUC; constant scores give 0.5', () => {
    const rng = createRng(11);
    for (let trial = 0; trial < 50; trial++) {
      const n = 30;
      const scores = new Float32Array(n).map(() => Math.round(rng.normal() * 4) / 4);
      const positives = Int32Array.of(rng.nextInt(10), 10 + rng.nextInt(10));
      const exclude = Int32Array.of(25, 26);
      const auc = aucPerUser(scores, positives, exclude);
      const reversed = aucPerUser(
        scores.map((s) => -s),
        positives,
        exclude,
      );
      expect(auc + reversed).toBeCloseTo(1, 12);
    }
    expect(aucPerUser(new Float32Array(5).fill(2), Int32Array.of(3))).toBe(0.5);
  });

  it('undefined without negatives or positives; positives may not be excluded', () => {
    expect(aucPerUser(new Float32Array([1, 2]), Int32Array.of(0, 1))).toBeNaN();
    expect(aucPerUser(new Float32Array([1, 2]), new Int32Array(0))).toBeNaN();
    expect(() => aucPerUser(new Float32Array([1, 2]), Int32Array.of(0), Int32Array.of(0))).toThrow(/also excluded/);
  });
});

describe('gauc, itemCoverage, gradedNdcgAtK', () => {
  it('gauc weights by positives and ignores undefined AUCs', () => {
    expect(gauc([1, 0.5, Number.NaN], [1, 3, 2])).toBeCloseTo((1 + 1.5) / 4, 12);
    expect(gauc([Number.NaN], [1])).toBeNaN();
  });

  it('itemCoverage counts distinct items in the top-K lists', () => {
    const lists = Int32Array.of(0, 1, 2, 1, 3, -1);
    expect(itemCoverage(lists, 3, 10)).toBeCloseTo(4 / 10, 12);
    expect(itemCoverage(lists, 3, 10, 1)).toBeCloseTo(2 / 10, 12);
    expect(() => itemCoverage(Int32Array.of(0, 11), 2, 10)).toThrow(/user 0, position 1/);
  });

  it('graded NDCG, exponential and linear gains', () => {
    // Ranked grades 3, 0, 2; user grades {3, 2, 1}.
    const ranked = [3, 0, 2];
    const all = [1, 3, 2];
    const dcg = 7 * d(1) + 3 * d(3);
    const idcg = 7 * d(1) + 3 * d(2) + 1 * d(3);
    expect(gradedNdcgAtK(ranked, all, 3)).toBeCloseTo(dcg / idcg, 12);
    expect(gradedNdcgAtK(ranked, all, 3, { gain: 'linear' })).toBeCloseTo((3 + 2 * d(3)) / (3 + 2 * d(2) + d(3)), 12);
    expect(gradedNdcgAtK([3, 2, 1], all, 2)).toBeCloseTo(1, 12);
    expect(gradedNdcgAtK([0, 0], [0, 0], 2)).toBeNaN();
    expect(() => gradedNdcgAtK([5], [1], 1)).toThrow(/exceed the ideal/);
  });
});

describe('input checks at the public boundary', () => {
  it('rankDiscount and idealDcgAtK reject ranks, counts and cut-offs they cannot use (E_ARGUMENT)', () => {
    expect(rankDiscount(1)).toBe(1);
    expect(rankDiscount(3)).toBe(d(3));
    for (const rank of [0, -1, 1.5, Number.NaN]) {
      const error = thrownError(() => rankDiscount(rank));
      expect(error.code, String(rank)).toBe('E_ARGUMENT');
      expect(error.message).toMatch(/rankDiscount: rank must be a 1-based positive integer/);
    }
    expect(thrownError(() => idealDcgAtK(-1, 5)).message).toMatch(
      /idealDcgAtK: numPositives must be a non-negative integer/,
    );
    expect(thrownError(() => idealDcgAtK(Number.NaN, 5)).code).toBe('E_ARGUMENT');
    expect(thrownError(() => idealDcgAtK(3, 0)).message).toMatch(/idealDcgAtK: k must be a positive integer, got 0/);
  });

  it('gauc rejects AUCs outside [0, 1] (E_ARGUMENT) and non-finite weights (E_NUMERIC)', () => {
    const above = thrownError(() => gauc([0.5, 1.5], [1, 1]));
    expect(above.code).toBe('E_ARGUMENT');
    expect(above.message).toMatch(/gauc: aucs\[1\] must be an AUC in \[0, 1\]/);
    expect(thrownError(() => gauc([Number.POSITIVE_INFINITY], [1])).code).toBe('E_ARGUMENT');
    expect(thrownError(() => gauc([-0.1], [1])).code).toBe('E_ARGUMENT');
    expect(thrownError(() => gauc([0.5], [Number.NaN])).code).toBe('E_NUMERIC');
    expect(thrownError(() => gauc([0.5], [-1])).code).toBe('E_ARGUMENT');
  });

  it('gradedNdcgAtK: an unknown option name is E_CONFIG, a non-finite grade E_NUMERIC', () => {
    const misspelt = thrownError(() => gradedNdcgAtK([1], [1], 1, { gains: 'linear' } as { gain?: 'linear' }));
    expect(misspelt.code).toBe('E_CONFIG');
    expect(misspelt.message).toMatch(/gradedNdcgAtK: option 'gains' must be one of the known options \(gain\)/);
    expect(thrownError(() => gradedNdcgAtK([Number.NaN], [1], 1)).code).toBe('E_NUMERIC');
    expect(thrownError(() => gradedNdcgAtK([1], [Number.POSITIVE_INFINITY], 1)).message).toMatch(/allGrades\[0\]/);
    expect(thrownError(() => gradedNdcgAtK([-1], [1], 1)).code).toBe('E_ARGUMENT');
  });

  it('aucPerUser: a NaN score is E_NUMERIC naming the item', () => {
    const error = thrownError(() => aucPerUser(new Float32Array([1, Number.NaN, 3]), Int32Array.of(0)));
    expect(error.code).toBe('E_NUMERIC');
    expect(error.message).toMatch(/aucPerUser: scores\[1\] is NaN/);
    expect(thrownError(() => aucPerUser(new Float32Array([Number.NaN, 3]), Int32Array.of(0))).code).toBe('E_NUMERIC');
  });
});
