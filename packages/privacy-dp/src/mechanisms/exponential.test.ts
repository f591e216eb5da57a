import { createRng } from '@trustrec/core-linalg';
import { thrownError } from '@trustrec/test-utils';
import { describe, expect, it } from 'vitest';
import { exponentialMechanism, exponentialMechanismProbabilities } from './exponential.js';

describe('exponential mechanism (McSherry & Talwar 2007)', () => {
  it('selects with probability ∝ exp(εu/(2Δ)), by hand', () => {
    // ε = 2, Δ = 1: weights e^0, e^1, e^2 for utilities 0, 1, 2.
    const probabilities = exponentialMechanismProbabilities([0, 1, 2], 1, 2);
    const z = 1 + Math.E + Math.E ** 2;
    expect(Math.abs(probabilities[0] - 1 / z)).toBeLessThan(1e-15);
    expect(Math.abs(probabilities[2] - Math.E ** 2 / z)).toBeLessThan(1e-15);
  });

  it('has likelihood ratios bounded by e^ε between neighbouring utility vectors', () => {
    // Neighbouring datasets change each utility by at most Δ = 1.
    const epsilon = 0.7;
    const a = exponentialMechanismProbabilities([3, 1, 4, 1, 5], 1, epsilon);
    const b = exponentialMechanismProbabilities([2, 2, 4, 0, 6], 1, epsilon);
    for (let i = 0; i < a.length; i++) expect(Math.abs(Math.log(a[i] / b[i]))).toBeLessThanOrEqual(epsilon + 1e-12);
  });

  it('does not overflow for huge utilities and samples the right frequencies', () => {
    const probabilities = exponentialMechanismProbabilities([1e6, 1e6 + 1], 1, 2);
    expect(Math.abs(probabilities[1] - Math.E / (1 + Math.E))).toBeLessThan(1e-15);
    const rng = createRng(31);
    const n = 30_000;
    const counts = [0, 0, 0];
    for (let i = 0; i < n; i++)
      counts[exponentialMechanism({ utilities: [0, 1, 2], sensitivity: 1, epsilon: 2, rng })]++;
    const expected = exponentialMechanismProbabilities([0, 1, 2], 1, 2);
    for (let i = 0; i < 3; i++) {
      expect(Math.abs(counts[i] - n * expected[i])).toBeLessThan(5 * Math.sqrt(n * expected[i] * (1 - expected[i])));
    }
  });

  it('rejects empty or non-finite utilities', () => {
    expect(() => exponentialMechanismProbabilities([], 1, 1)).toThrow(/utilities/);
    expect(() => exponentialMechanismProbabilities([1, Number.NaN], 1, 1)).toThrow(/utilities\[1\]/);
  });

  it('refuses an unknown option name with E_CONFIG and a missing rng with E_ARGUMENT', () => {
    expect(() =>
      exponentialMechanism({ utilities: [0, 1], sensitivity: 1, epsilon: 1, rng: createRng(1), seed: 5 } as never),
    ).toThrow(expect.objectContaining({ code: 'E_CONFIG', details: { option: 'seed', value: 5 } }));
    expect(() => exponentialMechanism({ utilities: [0, 1], sensitivity: 1, epsilon: 1 } as never)).toThrow(
      expect.objectContaining({ code: 'E_ARGUMENT', message: expect.stringMatching(/^exponentialMechanism: rng/) }),
    );
  });

  it('errors name the function the caller called: exponentialMechanismProbabilities or exponentialMechanism', () => {
    // exponentialMechanismProbabilities used to report itself as exponentialMechanism.
    for (const [action, option] of [
      [() => exponentialMechanismProbabilities([0, 1], 0, 1), 'sensitivity'],
      [() => exponentialMechanismProbabilities([0, 1], 1, Number.NaN), 'epsilon'],
      [() => exponentialMechanismProbabilities([], 1, 1), 'utilities'],
    ] as const) {
      const error = thrownError(action);
      expect(error.code).toBe('E_ARGUMENT');
      expect(error.message).toMatch(new RegExp(`^exponentialMechanismProbabilities: ${option}`));
      expect(error.details?.option).toBe(option);
    }
    const error = thrownError(() =>
      exponentialMechanism({ utilities: [0, Number.POSITIVE_INFINITY], sensitivity: 1, epsilon: 1, rng: createRng(1) }),
    );
    expect([error.code, error.details?.option]).toEqual(['E_ARGUMENT', 'utilities']);
    expect(error.message).toMatch(/^exponentialMechanism: utilities\[1\] must be finite/);
  });

  it('non-array utilities are E_ARGUMENT naming the function and utilities (not a TypeError or an empty draw)', () => {
    // undefined and null used to fail with a TypeError; a number read as an empty list (exponentialMechanism returned -1).
    for (const utilities of [undefined, null, 5, '012', new Set([1, 2]), new DataView(new ArrayBuffer(8))]) {
      for (const [action, where] of [
        [() => exponentialMechanismProbabilities(utilities as never, 1, 1), 'exponentialMechanismProbabilities'],
        [
          () => exponentialMechanism({ utilities: utilities as never, sensitivity: 1, epsilon: 1, rng: createRng(1) }),
          'exponentialMechanism',
        ],
      ] as const) {
        const error = thrownError(action);
        expect([error.code, error.details?.option], `${where}(${String(utilities)})`).toEqual([
          'E_ARGUMENT',
          'utilities',
        ]);
        expect(error.message).toMatch(new RegExp(`^${where}: utilities must be an array \\(or typed array\\)`));
      }
    }
    // Every ArrayLike<number> the signature allows still gives the same probabilities.
    const expected = Array.from(exponentialMechanismProbabilities([0, 1, 2], 1, 2));
    for (const utilities of [new Float64Array([0, 1, 2]), new Int32Array([0, 1, 2]), { length: 3, 0: 0, 1: 1, 2: 2 }]) {
      expect(Array.from(exponentialMechanismProbabilities(utilities, 1, 2))).toEqual(expected);
    }
  });
});
