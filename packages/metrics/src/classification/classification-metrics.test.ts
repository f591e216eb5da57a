import { TrustRecError, createRng } from '@trustrec/core-linalg';
import { describe, expect, it } from 'vitest';
import {
  accuracy,
  balancedAccuracy,
  confusionMatrix,
  macroF1,
  majorityBaselineAccuracy,
  oneVsRestAuc,
  randomGuessBaselineAccuracy,
} from './classification-metrics.js';

describe('classification metrics (attribute inference)', () => {
  // actual:    0 0 0 0 1 1 2 2
  // predicted: 0 0 0 1 1 0 2 0
  const actual = [0, 0, 0, 0, 1, 1, 2, 2];
  const predicted = [0, 0, 0, 1, 1, 0, 2, 0];

  it('hand-computed accuracy, balanced accuracy, macro-F1', () => {
    expect(Array.from(confusionMatrix(predicted, actual, 3))).toEqual([3, 1, 0, 1, 1, 0, 1, 0, 1]);
    expect(accuracy(predicted, actual, 3)).toBeCloseTo(5 / 8, 12);
    expect(balancedAccuracy(predicted, actual, 3)).toBeCloseTo((3 / 4 + 1 / 2 + 1 / 2) / 3, 12);
    // F1 per class: c0 TP 3, FP 2, FN 1 → 6/9; c1 TP 1, FP 1, FN 1 → 2/4; c2 TP 1, FP 0, FN 1 → 2/3.
    expect(macroF1(predicted, actual, 3)).toBeCloseTo((6 / 9 + 2 / 4 + 2 / 3) / 3, 12);
  });

  it('baselines: majority class and uniform guessing', () => {
    expect(majorityBaselineAccuracy(actual, 3)).toBeCloseTo(4 / 8, 12);
    expect(majorityBaselineAccuracy(actual, 3, [2, 2, 1])).toBeCloseTo(2 / 8, 12);
    expect(randomGuessBaselineAccuracy(4)).toBe(0.25);
    // A constant predictor has balanced accuracy 1 / #classes whatever the imbalance.
    expect(balancedAccuracy(new Array(8).fill(0), actual, 3)).toBeCloseTo(1 / 3, 12);
  });

  it('one-vs-rest AUC: 1 for perfect probabilities, 0.5 for constant ones, hand case', () => {
    const perfect = actual.flatMap((label) => [0, 1, 2].map((c) => (c === label ? 0.8 : 0.1)));
    expect(oneVsRestAuc(perfect, actual, 3)).toBeCloseTo(1, 12);
    expect(oneVsRestAuc(new Array(24).fill(1 / 3), actual, 3)).toBeCloseTo(0.5, 12);
    // Two classes: p(class 1) = 0.2, 0.6, 0.4, 0.9 for labels 0, 0, 1, 1 → class-1 AUC 3/4, class-0 AUC 3/4.
    const probabilities = [0.8, 0.2, 0.4, 0.6, 0.6, 0.4, 0.1, 0.9];
    expect(oneVsRestAuc(probabilities, [0, 0, 1, 1], 2)).toBeCloseTo(0.75, 12);
    const rng = createRng(1);
    const random = Array.from({ length: 3000 }, () => rng.nextFloat());
    const labels = Array.from({ length: 1000 }, () => rng.nextInt(3));
    expect(Math.abs(oneVsRestAuc(random, labels, 3) - 0.5)).toBeLessThan(0.05);
  });

  it('rejects labels outside the classes and mismatched lengths', () => {
    expect(() => accuracy([0, 3], [0, 1], 3)).toThrow(/predicted\[1\] = 3/);
    expect(() => accuracy([0], [0, 1], 3)).toThrow(/predicted has 1 entries/);
    expect(() => oneVsRestAuc([0.5], [0], 2)).toThrow(/examples × numClasses/);
  });

  it('oneVsRestAuc: a NaN probability is E_NUMERIC naming example and class, even in a class that is skipped; no example is E_ARGUMENT', () => {
    const attempt = (action: () => unknown): unknown => {
      try {
        action();
      } catch (error) {
        return error;
      }
      return undefined;
    };
    // Class 2 never occurs in actual, so its column was never read: the NaN used to pass unnoticed.
    const nan = attempt(() => oneVsRestAuc([0.7, 0.2, 0.1, 0.2, 0.8, Number.NaN], [0, 1], 3));
    expect(TrustRecError.isInstance(nan, 'E_NUMERIC')).toBe(true);
    expect((nan as Error).message).toMatch(/oneVsRestAuc: probabilities\[5\] \(example 1, class 2\) is NaN/);
    const empty = attempt(() => oneVsRestAuc([], [], 2));
    expect(TrustRecError.isInstance(empty, 'E_ARGUMENT')).toBe(true);
    expect((empty as Error).message).toMatch(/oneVsRestAuc: no examples given/);
  });
});
