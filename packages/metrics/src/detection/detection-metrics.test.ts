import { TrustRecError, createRng } from '@trustrec/core-linalg';
import { describe, expect, it } from 'vitest';
import { detectionMetrics, rocAuc } from './detection-metrics.js';

describe('detectionMetrics', () => {
  it('hand-computed confusion counts and rates', () => {
    // actual:    1 1 1 1 0 0 0 0 0 0
    // predicted: 1 1 1 0 1 0 0 0 0 0  → TP 3, FN 1, FP 1, TN 5.
    const m = detectionMetrics([1, 1, 1, 0, 1, 0, 0, 0, 0, 0], [1, 1, 1, 1, 0, 0, 0, 0, 0, 0]);
    expect([m.truePositives, m.falseNegatives, m.falsePositives, m.trueNegatives]).toEqual([3, 1, 1, 5]);
    expect(m.precision).toBeCloseTo(0.75, 12);
    expect(m.recall).toBeCloseTo(0.75, 12);
    expect(m.detectionRate).toBeCloseTo(0.75, 12);
    expect(m.f1).toBeCloseTo(0.75, 12);
    expect(m.falsePositiveRate).toBeCloseTo(1 / 6, 12);
  });

  it('undefined rates are NaN; F1 is 0 when nothing is right', () => {
    const noneFlagged = detectionMetrics([0, 0], [1, 0]);
    expect(noneFlagged.precision).toBeNaN();
    expect(noneFlagged.f1).toBeNaN();
    expect(detectionMetrics([1, 0], [0, 1]).f1).toBe(0);
    expect(() => detectionMetrics([2], [1])).toThrow(/predicted\[0\] must be 0 or 1/);
  });
});

describe('rocAuc', () => {
  it('hand-computed with ties; reversed scores give 1 − AUC', () => {
    // positives score 0.9, 0.4; negatives 0.4, 0.1 → pairs: 1, 1, ½, 1 → 3.5 / 4.
    expect(rocAuc([0.9, 0.4, 0.4, 0.1], [1, 1, 0, 0])).toBeCloseTo(0.875, 12);
    const rng = createRng(8);
    const scores = Array.from({ length: 200 }, () => rng.nextInt(10));
    const labels = Array.from({ length: 200 }, () => rng.nextInt(2));
    expect(
      rocAuc(scores, labels) +
        rocAuc(
          scores.map((s) => -s),
          labels,
        ),
    ).toBeCloseTo(1, 12);
    expect(rocAuc([1, 2], [1, 1])).toBeNaN();
  });

  it('agrees with naive pair counting', () => {
    const rng = createRng(12);
    const scores = Array.from({ length: 150 }, () => rng.nextInt(7));
    const labels = Array.from({ length: 150 }, () => (rng.nextFloat() < 0.3 ? 1 : 0));
    let wins = 0;
    let pairs = 0;
    scores.forEach((sp, i) => {
      if (labels[i] !== 1) return;
      scores.forEach((sn, j) => {
        if (labels[j] !== 0) return;
        pairs++;
        wins += sp > sn ? 1 : sp === sn ? 0.5 : 0;
      });
    });
    expect(rocAuc(scores, labels)).toBeCloseTo(wins / pairs, 12);
  });

  it('a NaN score is E_NUMERIC naming the entry', () => {
    let caught: unknown;
    try {
      rocAuc([0.5, Number.NaN], [1, 0]);
    } catch (error) {
      caught = error;
    }
    expect(TrustRecError.isInstance(caught, 'E_NUMERIC')).toBe(true);
    expect((caught as Error).message).toMatch(/rocAuc: scores\[1\] is NaN/);
  });
});
