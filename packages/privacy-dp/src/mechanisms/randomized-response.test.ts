import { TrustRecError, createRng } from '@trustrec/core-linalg';
import { thrownError } from '@trustrec/test-utils';
import { describe, expect, it } from 'vitest';
import {
  binaryRandomizedResponseProbability,
  estimateBinaryFrequency,
  estimateKaryFrequencies,
  karyRandomizedResponseProbabilities,
  randomizedResponseBinary,
  randomizedResponseKary,
} from './randomized-response.js';

describe('binary randomized response', () => {
  it('keeps the bit with p = e^ε/(1+e^ε), so p/(1−p) = e^ε', () => {
    const p = binaryRandomizedResponseProbability(Math.log(3));
    expect(Math.abs(p - 0.75)).toBeLessThan(1e-15);
    expect(Math.abs(p / (1 - p) - 3)).toBeLessThan(1e-12);
  });

  it('estimates the true frequency without bias (n = 50000, 5 sd of the estimator)', () => {
    const rng = createRng(17);
    const epsilon = 1;
    const n = 50_000;
    const truth = 0.3;
    let reported = 0;
    for (let i = 0; i < n; i++) if (randomizedResponseBinary({ value: i < truth * n, epsilon, rng })) reported++;
    const p = binaryRandomizedResponseProbability(epsilon);
    const lambda = truth * p + (1 - truth) * (1 - p);
    const sd = Math.sqrt((lambda * (1 - lambda)) / n) / (2 * p - 1);
    const estimate = estimateBinaryFrequency(reported, n, epsilon);
    expect(Math.abs(estimate - truth)).toBeLessThan(5 * sd);
    // The raw fraction of `true` reports is biased towards 1/2: far from the truth in units of sd.
    expect(Math.abs(reported / n - truth)).toBeGreaterThan(10 * sd * (2 * p - 1));
  });

  it('inverts exact expectations: λ = πp + (1−π)(1−p) maps back to π', () => {
    const p = binaryRandomizedResponseProbability(2);
    const n = 1_000_000;
    const reports = Math.round(n * (0.6 * p + 0.4 * (1 - p)));
    expect(Math.abs(estimateBinaryFrequency(reports, n, 2) - 0.6)).toBeLessThan(1e-5);
    expect(() => estimateBinaryFrequency(11, 10, 1)).toThrow(/trueReports/);
  });
});

describe('k-ary randomized response', () => {
  it('has p = e^ε/(e^ε+k−1), q = 1/(e^ε+k−1), p/q = e^ε, p + (k−1)q = 1', () => {
    const { p, q } = karyRandomizedResponseProbabilities(5, Math.log(4));
    expect(Math.abs(p - 0.5)).toBeLessThan(1e-15);
    expect(Math.abs(q - 0.125)).toBeLessThan(1e-15);
    expect(Math.abs(p + 4 * q - 1)).toBeLessThan(1e-15);
  });

  it('reports each other category uniformly and estimates frequencies without bias', () => {
    const rng = createRng(23);
    const k = 5; // e.g. rating levels 1..5 as categories 0..4
    const epsilon = 1.5;
    const truth = [0.05, 0.1, 0.2, 0.4, 0.25];
    const n = 60_000;
    const counts = new Int32Array(k);
    let category = 0;
    let boundary = truth[0] * n;
    for (let i = 0; i < n; i++) {
      while (i >= boundary) boundary += truth[++category] * n;
      counts[randomizedResponseKary({ value: category, k, epsilon, rng })]++;
    }
    const estimates = estimateKaryFrequencies(counts, epsilon);
    const { p, q } = karyRandomizedResponseProbabilities(k, epsilon);
    let total = 0;
    for (let v = 0; v < k; v++) {
      // Wang et al. (2017), Eq. 3: Var = q(1−q)/(n(p−q)²) + f(1−p−q)/(n(p−q)).
      const variance = (q * (1 - q)) / (n * (p - q) ** 2) + (truth[v] * (1 - p - q)) / (n * (p - q));
      expect(Math.abs(estimates[v] - truth[v])).toBeLessThan(5 * Math.sqrt(variance));
      total += estimates[v];
    }
    expect(Math.abs(total - 1)).toBeLessThan(1e-12);
  });

  it('rejects out-of-range categories and k < 2', () => {
    const rng = createRng(1);
    for (const call of [
      () => randomizedResponseKary({ value: 5, k: 5, epsilon: 1, rng }),
      () => randomizedResponseKary({ value: 0, k: 1, epsilon: 1, rng }),
      () => estimateKaryFrequencies([0, 0, 0], 1),
    ]) {
      let caught: unknown;
      try {
        call();
      } catch (error) {
        caught = error;
      }
      expect(TrustRecError.isInstance(caught, 'E_ARGUMENT')).toBe(true);
    }
  });
});

describe('randomized response option checks', () => {
  it('refuses a binary value that is not a boolean (it was negated by truthiness) and unknown option names', () => {
    // Before, { value: 1 } could come back as `false` and { value: 'false' } as the string 'false'.
    for (const value of [1, 0, 'false', undefined]) {
      expect(() => randomizedResponseBinary({ value, epsilon: 1, rng: createRng(1) } as never), String(value)).toThrow(
        expect.objectContaining({ code: 'E_ARGUMENT', details: { option: 'value', value } }),
      );
    }
    expect(() => randomizedResponseBinary({ value: true, epsilon: 1, rng: createRng(1), eps: 2 } as never)).toThrow(
      expect.objectContaining({ code: 'E_CONFIG', details: { option: 'eps', value: 2 } }),
    );
    expect(() => randomizedResponseKary({ value: 0, k: 3, epsilon: 1, rng: createRng(1), K: 4 } as never)).toThrow(
      expect.objectContaining({ code: 'E_CONFIG', details: { option: 'K', value: 4 } }),
    );
    expect(() => randomizedResponseKary({ value: 0, k: 3, epsilon: 1 } as never)).toThrow(
      expect.objectContaining({ code: 'E_ARGUMENT', message: expect.stringMatching(/rng must be an Rng/) }),
    );
  });

  it('errors name the function the caller called and the argument that is wrong', () => {
    const rng = createRng(1);
    // estimateKaryFrequencies with fewer than 2 counts used to report karyRandomizedResponseProbabilities' k.
    for (const [action, where, option] of [
      [() => estimateKaryFrequencies([7], 1), 'estimateKaryFrequencies', 'counts'],
      [() => estimateKaryFrequencies([], 1), 'estimateKaryFrequencies', 'counts'],
      [() => estimateKaryFrequencies([3, 4], 0), 'estimateKaryFrequencies', 'epsilon'],
      [() => randomizedResponseKary({ value: 0, k: 1, epsilon: 1, rng }), 'randomizedResponseKary', 'k'],
      [() => randomizedResponseKary({ value: 0, k: 3, epsilon: -1, rng }), 'randomizedResponseKary', 'epsilon'],
      [() => karyRandomizedResponseProbabilities(3, 0), 'karyRandomizedResponseProbabilities', 'epsilon'],
      [() => randomizedResponseBinary({ value: true, epsilon: 0, rng }), 'randomizedResponseBinary', 'epsilon'],
      [() => estimateBinaryFrequency(1, 2, Number.NaN), 'estimateBinaryFrequency', 'epsilon'],
      [() => binaryRandomizedResponseProbability(0), 'binaryRandomizedResponseProbability', 'epsilon'],
    ] as const) {
      const error = thrownError(action);
      expect([error.code, error.details?.option], where).toEqual(['E_ARGUMENT', option]);
      expect(error.message).toMatch(new RegExp(`^${where}: ${option} must`));
    }
  });

  it('non-array counts are E_ARGUMENT naming estimateKaryFrequencies and counts', () => {
    // undefined and null used to fail with a TypeError reading counts.length.
    for (const counts of [undefined, null, 12, new Map([[0, 3]]), new BigInt64Array([3n, 4n])]) {
      const error = thrownError(() => estimateKaryFrequencies(counts as never, 1));
      expect([error.code, error.details?.option], String(counts)).toEqual(['E_ARGUMENT', 'counts']);
      expect(error.message).toMatch(
        /^estimateKaryFrequencies: counts must be an array \(or typed array\) of report counts/,
      );
    }
    // Typed arrays and other array-likes, as the signature allows, give the same estimates as an array.
    const expected = Array.from(estimateKaryFrequencies([12, 30, 8], 1));
    expect(Array.from(estimateKaryFrequencies(new Uint32Array([12, 30, 8]), 1))).toEqual(expected);
    expect(Array.from(estimateKaryFrequencies({ length: 3, 0: 12, 1: 30, 2: 8 }, 1))).toEqual(expected);
  });
});
