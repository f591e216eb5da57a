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
