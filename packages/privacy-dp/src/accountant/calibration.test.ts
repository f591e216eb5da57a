import { TrustRecError } from '@trustrec/core-linalg';
import { describe, expect, it } from 'vitest';
import { calibrateNoiseMultiplier, maxStepsForBudget } from './calibration.js';
import { computeSampledGaussianEpsilon } from './rdp-accountant.js';

describe('calibrateNoiseMultiplier', () => {
  it('agrees with Opacus get_noise_multiplier (ε = 8, δ = 1e-5, q = 0.04, 90 epochs → σ ≈ 1.4253, tolerance 0.01)', () => {
    // pytorch/opacus opacus/tests/accountants_test.py, test_get_noise_multiplier: assertAlmostEqual(σ, 1.425307617);
    // Opacus stops its bisection once the bracket is narrower than 0.01, so the exact root lies within 0.01.
    const result = calibrateNoiseMultiplier({ targetEpsilon: 8, delta: 1e-5, samplingRate: 0.04, steps: 2250 });
    expect(Math.abs(result.noiseMultiplier - 1.425307617)).toBeLessThan(0.01);
    expect(result.epsilon).toBeLessThanOrEqual(8);
    expect(result.accountant).toBe('rdp');
  });

  it('returns the smallest σ meeting the budget (to its tolerance) for several settings', () => {
    for (const [target, q, steps] of [
      [1, 0.01, 1000],
      [3, 256 / 60000, 14040],
      [0.5, 1, 1],
    ] as const) {
      const { noiseMultiplier } = calibrateNoiseMultiplier({
        targetEpsilon: target,
        delta: 1e-5,
        samplingRate: q,
        steps,
      });
      const at = (sigma: number) =>
        computeSampledGaussianEpsilon({ samplingRate: q, noiseMultiplier: sigma, steps, delta: 1e-5 }).epsilon;
      expect(at(noiseMultiplier)).toBeLessThanOrEqual(target);
      expect(at(noiseMultiplier * (1 - 1e-5))).toBeGreaterThan(target);
    }
  });

  it('throws E_PRIVACY_BUDGET when no σ can reach the budget, E_ARGUMENT on bad input', () => {
    let caught: unknown;
    try {
      calibrateNoiseMultiplier({ targetEpsilon: 1e-9, delta: 1e-12, samplingRate: 1, steps: 1_000_000 });
    } catch (error) {
      caught = error;
    }
    expect(TrustRecError.isInstance(caught, 'E_PRIVACY_BUDGET')).toBe(true);
    expect(() => calibrateNoiseMultiplier({ targetEpsilon: 0, delta: 1e-5, samplingRate: 0.1, steps: 10 })).toThrow(
      /targetEpsilon/,
    );
  });
});

describe('maxStepsForBudget', () => {
  it('finds the last step count within the budget', () => {
    const options = { targetEpsilon: 2, delta: 1e-5, samplingRate: 0.01, noiseMultiplier: 1.1 };
    const { steps, epsilon } = maxStepsForBudget(options);
    const { targetEpsilon: _target, ...run } = options;
    const at = (t: number) => computeSampledGaussianEpsilon({ ...run, steps: t }).epsilon;
    expect(steps).toBeGreaterThan(100);
    expect(epsilon).toBeLessThanOrEqual(2);
    expect(Math.abs(at(steps) - epsilon)).toBeLessThan(1e-9);
    expect(at(steps + 1)).toBeGreaterThan(2);
  });

  it('inverts the MNIST tutorial: σ = 1.12 at ε = 2.92 (classic) allows ≈ 60 epochs', () => {
    const { steps } = maxStepsForBudget({
      targetEpsilon: 2.92,
      delta: 1e-5,
      samplingRate: 256 / 60000,
      noiseMultiplier: 1.12,
      conversion: 'classic',
    });
    expect(Math.abs(steps / 234 - 60)).toBeLessThan(0.5);
  });

  it('returns 0 when a single step already exceeds the budget', () => {
    expect(maxStepsForBudget({ targetEpsilon: 0.01, delta: 1e-5, samplingRate: 1, noiseMultiplier: 0.5 }).steps).toBe(
      0,
    );
  });
});

describe('calibration option checks', () => {
  const calibration = { targetEpsilon: 8, delta: 1e-5, samplingRate: 0.04, steps: 2250 };
  const budget = { targetEpsilon: 8, delta: 1e-5, samplingRate: 0.04, noiseMultiplier: 1.5 };

  it('refuses unknown option names with E_CONFIG (they used to be ignored)', () => {
    expect(() => calibrateNoiseMultiplier({ ...calibration, relativeTolerence: 1e-9 } as never)).toThrow(
      expect.objectContaining({ code: 'E_CONFIG', details: { option: 'relativeTolerence', value: 1e-9 } }),
    );
    expect(() => maxStepsForBudget({ ...budget, conversions: 'classic' } as never)).toThrow(
      expect.objectContaining({ code: 'E_CONFIG', details: { option: 'conversions', value: 'classic' } }),
    );
  });

  it('refuses a bad grid, conversion or tolerance with E_ARGUMENT instead of a wrong answer', () => {
    for (const [call, option] of [
      // An empty grid gave E_PRIVACY_BUDGET ("no noise multiplier reaches ε") and 0 steps.
      [() => calibrateNoiseMultiplier({ ...calibration, orders: [] }), 'orders'],
      [() => maxStepsForBudget({ ...budget, orders: [] }), 'orders'],
      [() => maxStepsForBudget({ ...budget, orders: [1, 2] }), 'orders'],
      // A misspelt conversion ran 'improved' and was echoed back as the result's conversion.
      [() => calibrateNoiseMultiplier({ ...calibration, conversion: 'Classic' as never }), 'conversion'],
      [() => maxStepsForBudget({ ...budget, conversion: 'clasic' as never }), 'conversion'],
      // A NaN tolerance skipped the bisection and returned the doubling bracket's σ = 2.
      [() => calibrateNoiseMultiplier({ ...calibration, relativeTolerance: Number.NaN }), 'relativeTolerance'],
      [() => calibrateNoiseMultiplier({ ...calibration, relativeTolerance: 0 }), 'relativeTolerance'],
      [() => calibrateNoiseMultiplier({ ...calibration, relativeTolerance: 1 }), 'relativeTolerance'],
    ] as const) {
      expect(call, option).toThrow(
        expect.objectContaining({ code: 'E_ARGUMENT', details: expect.objectContaining({ option }) }),
      );
    }
  });
});
