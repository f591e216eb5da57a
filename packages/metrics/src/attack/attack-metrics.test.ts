import { CsrMatrix, TopKSelector, createRng } from '@trustrec/core-linalg';
import { describe, expect, it } from 'vitest';
import {
  modelInversionPrecisionRecall,
  predictionShift,
  rankOfItem,
  rankShift,
  targetHitRatioAtK,
  usersRecommendedAtLeast,
} from './attack-metrics.js';
import { thrownError } from '@trustrec/test-utils';

describe('targetHitRatioAtK (seed 004)', () => {
  it('hand-computed: only users who had not interacted with the target count, averaged over targets', () => {
    // 4 users, lists of length 3; K = 2.
    const lists = { indices: Int32Array.of(5, 1, 2, 5, 3, 4, 1, 2, 5, 0, 6, 5), listLength: 3 };
    // User 1 interacted with item 5; nobody with item 6.
    const interactions = CsrMatrix.fromCoo(
      { rows: Int32Array.of(1), columns: Int32Array.of(5) },
      { numRows: 4, numColumns: 7, duplicates: 'error' },
    );
    const result = targetHitRatioAtK({ lists, k: 2, targets: Int32Array.of(5, 6), interactions });
    // Target 5: eligible users 0, 2, 3; in top-2 for user 0 only → 1/3. Target 6: eligible 4; user 3 → 1/4.
    expect(result.perTarget[0]).toBeCloseTo(1 / 3, 12);
    expect(result.perTarget[1]).toBeCloseTo(1 / 4, 12);
    expect(Array.from(result.eligibleUsers)).toEqual([3, 4]);
    expect(result.mean).toBeCloseTo((1 / 3 + 1 / 4) / 2, 12);
    // K = 3 adds user 2 (item 5 at position 3) and user 3 (item 5 at 3).
    expect(targetHitRatioAtK({ lists, k: 3, targets: Int32Array.of(5), interactions }).mean).toBeCloseTo(1, 12);
    expect(() => targetHitRatioAtK({ lists, k: 4, targets: Int32Array.of(5), interactions })).toThrow(
      /k must be an integer in \[1, listLength = 3\]/,
    );
  });
});

describe('prediction shift, rank shift, rankOfItem', () => {
  it('hand-computed', () => {
    expect(predictionShift([1, 2, 3], [2, 2, 5])).toBeCloseTo(1, 12);
    expect(rankShift([10, 4], [2, 6])).toBeCloseTo(3, 12);
    expect(() => predictionShift([1], [1, 2])).toThrow(/before has 1/);
  });

  it('rankOfItem agrees with TopKSelector positions (ties to the lower index, exclusions)', () => {
    const rng = createRng(2);
    const selector = new TopKSelector(40);
    for (let trial = 0; trial < 100; trial++) {
      const scores = new Float32Array(40).map(() => rng.nextInt(6));
      const exclude = Int32Array.of(3, 17, 30);
      const top = selector.select(scores, 40, exclude);
      for (let r = 0; r < top.indices.length; r++) expect(rankOfItem(scores, top.indices[r], exclude)).toBe(r + 1);
    }
    expect(() => rankOfItem(new Float32Array(3), 1, Int32Array.of(1))).toThrow(/itself excluded/);
  });
});

describe('model inversion precision / recall (seed 003 eq. 16)', () => {
  it('hand-computed, NaN precision when no user is flagged', () => {
    const result = modelInversionPrecisionRecall(Int32Array.of(1, 2, 3, 4), Int32Array.of(2, 4, 9));
    expect(result.intersection).toBe(2);
    expect(result.precision).toBeCloseTo(2 / 3, 12);
    expect(result.recall).toBeCloseTo(2 / 4, 12);
    expect(modelInversionPrecisionRecall(Int32Array.of(1), new Int32Array(0)).precision).toBeNaN();
    expect(() => modelInversionPrecisionRecall(Int32Array.of(1, 1), Int32Array.of(1))).toThrow(/listed twice/);
  });

  it("usersRecommendedAtLeast finds U_{Y,l'}", () => {
    const lists = { indices: Int32Array.of(7, 8, 1, 7, 2, 3, 8, 7, 9), listLength: 3 };
    expect(Array.from(usersRecommendedAtLeast(lists, 3, Int32Array.of(7, 8), 2))).toEqual([0, 2]);
    expect(Array.from(usersRecommendedAtLeast(lists, 1, Int32Array.of(7, 8), 1))).toEqual([0, 1, 2]);
  });
});

describe('attack metrics input checks', () => {
  const lists = { indices: Int32Array.of(5, 1, 2, 5, 3, 4), listLength: 3 };
  const interactions = CsrMatrix.fromCoo(
    { rows: Int32Array.of(1), columns: Int32Array.of(5) },
    { numRows: 2, numColumns: 7, duplicates: 'error' },
  );

  it('targetHitRatioAtK: a repeated target is E_ARGUMENT (it would count twice in the mean), an unknown option E_CONFIG', () => {
    const repeated = thrownError(() =>
      targetHitRatioAtK({ lists, k: 2, targets: Int32Array.of(5, 6, 5), interactions }),
    );
    expect(repeated.code).toBe('E_ARGUMENT');
    expect(repeated.message).toMatch(/targetHitRatioAtK: targets\[2\] = 5 is listed twice/);
    const unknown = thrownError(() =>
      targetHitRatioAtK({ lists, k: 2, targets: Int32Array.of(5), interactions, topK: 10 } as unknown as Parameters<
        typeof targetHitRatioAtK
      >[0]),
    );
    expect(unknown.code).toBe('E_CONFIG');
    expect(unknown.message).toMatch(
      /option 'topK' must be one of the known options \(lists, k, targets, interactions\)/,
    );
  });

  it('rankOfItem: a NaN candidate score is E_NUMERIC (an excluded NaN is not a candidate)', () => {
    const scores = new Float32Array([3, Number.NaN, 1, 2]);
    const error = thrownError(() => rankOfItem(scores, 2));
    expect(error.code).toBe('E_NUMERIC');
    expect(error.message).toMatch(/rankOfItem: scores\[1\] is NaN/);
    expect(rankOfItem(scores, 2, Int32Array.of(1))).toBe(3);
    expect(thrownError(() => rankOfItem(scores, 1)).code).toBe('E_NUMERIC');
  });

  it('usersRecommendedAtLeast: decoys must be distinct, non-negative and not empty (E_ARGUMENT)', () => {
    const padded = { indices: Int32Array.of(7, -1, -1, 7, 8, -1), listLength: 3 };
    expect(thrownError(() => usersRecommendedAtLeast(padded, 3, Int32Array.of(7, 7), 2)).message).toMatch(
      /usersRecommendedAtLeast: decoys\[1\] = 7 is listed twice/,
    );
    expect(thrownError(() => usersRecommendedAtLeast(padded, 3, Int32Array.of(7, -1), 2)).message).toMatch(
      /decoys\[1\] = -1 must be a non-negative item index/,
    );
    expect(thrownError(() => usersRecommendedAtLeast(padded, 3, new Int32Array(0), 1)).code).toBe('E_ARGUMENT');
  });

  it('predictionShift / rankShift: a non-finite entry is E_NUMERIC', () => {
    const error = thrownError(() => predictionShift([1, Number.NaN], [1, 2]));
    expect(error.code).toBe('E_NUMERIC');
    expect(error.message).toMatch(/predictionShift: entry 1 is not finite/);
    expect(thrownError(() => rankShift([1], [Number.POSITIVE_INFINITY])).code).toBe('E_NUMERIC');
  });
});
