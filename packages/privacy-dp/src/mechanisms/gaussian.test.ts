import { TrustRecError, createRng } from '@trustrec/core-linalg';
import { describe, expect, it } from 'vitest';
import { kolmogorovSmirnovCritical, kolmogorovSmirnovStatistic } from '../internal/kolmogorov-smirnov.js';
import { normalCdf } from '../math/special-functions.js';
import {
  gaussianDelta,
  gaussianEpsilon,
  gaussianMechanism,
  gaussianSigmaAnalytic,
  gaussianSigmaClassic,
} from './gaussian.js';

function expectArgumentError(call: () => unknown, pattern: RegExp): void {
  let caught: unknown;
  try {
    call();
  } catch (error) {
    caught = error;
  }
  expect(TrustRecError.isInstance(caught, 'E_ARGUMENT')).toBe(true);
  expect((caught as Error).message).toMatch(pattern);
}

describe('gaussianSigmaClassic', () => {
  it('is Δ·√(2 ln(1.25/δ))/ε (Dwork & Roth 2014, Thm. A.1)', () => {
    expect(gaussianSigmaClassic(1, 0.5, 1e-5)).toBe(Math.sqrt(2 * Math.log(1.25e5)) / 0.5);
    expect(Math.abs(gaussianSigmaClassic(2, 0.1, 1e-5) - 96.8961052521078)).toBeLessThan(1e-9); // 2 × 48.448052626…
  });

  it('refuses ε ≥ 1 with E_ARGUMENT and points at the analytic calibration', () => {
    expectArgumentError(() => gaussianSigmaClassic(1, 1, 1e-5), /epsilon must be < 1.*gaussian-analytic/);
    expectArgumentError(() => gaussianSigmaClassic(1, 3, 1e-5), /epsilon must be < 1/);
    expectArgumentError(() => gaussianSigmaClassic(1, 0.5, 1), /delta/);
    expectArgumentError(() => gaussianSigmaClassic(1, 0, 1e-5), /epsilon/);
  });
});

describe('analytic Gaussian (Balle & Wang 2018)', () => {
  it.each([
    // Reference σ: scipy.optimize.brentq on Balle & Wang's Thm. 8 condition with scipy.stats.norm.cdf
    // (xtol = rtol = 1e-15), run by hand — an independent implementation of the same condition.
    [0.1, 1e-5, 30.749566131977915],
    [0.5, 1e-5, 7.031826675582495],
    [1, 1e-5, 3.7306316348159347],
    [1, 1e-6, 4.224678889326836],
    [3, 1e-6, 1.543861417775641],
    [10, 1e-5, 0.49988861970900905],
  ])('calibrates σ exactly at ε = %d, δ = %d (Δ = 1)', (epsilon, delta, expected) => {
    const sigma = gaussianSigmaAnalytic(1, epsilon, delta);
    expect(Math.abs(sigma - expected) / expected).toBeLessThan(1e-9);
    expect(gaussianDelta(sigma, 1, epsilon)).toBeLessThanOrEqual(delta);
    expect(gaussianDelta(sigma * (1 - 1e-9), 1, epsilon)).toBeGreaterThan(delta * (1 - 1e-6));
  });

  it('scales linearly with the sensitivity and beats the classic calibration for ε < 1', () => {
    expect(Math.abs(gaussianSigmaAnalytic(4, 0.5, 1e-5) / gaussianSigmaAnalytic(1, 0.5, 1e-5) - 4)).toBeLessThan(1e-10);
    for (const epsilon of [0.05, 0.2, 0.5, 0.9]) {
      expect(gaussianSigmaAnalytic(1, epsilon, 1e-5)).toBeLessThan(gaussianSigmaClassic(1, epsilon, 1e-5));
    }
  });

  it('evaluates the exact δ(σ) against scipy and inverts it for ε', () => {
    // scipy: norm.cdf(1/(2σ) − εσ) − e^ε norm.cdf(−1/(2σ) − εσ) at (σ, ε) = (2, 1) and (1, 0.5).
    expect(Math.abs(gaussianDelta(2, 1, 1) - 0.006829594983114591)).toBeLessThan(1e-15);
    expect(Math.abs(gaussianDelta(1, 1, 0.5) - 0.23842170813487656)).toBeLessThan(1e-15);
    // δ at ε = 0 is 2Φ(Δ/(2σ)) − 1 (total variation of two Gaussians).
    expect(Math.abs(gaussianDelta(3, 1, 0) - (2 * normalCdf(1 / 6) - 1))).toBeLessThan(1e-15);
    const epsilon = gaussianEpsilon(3.7306316348159347, 1, 1e-5);
    expect(Math.abs(epsilon - 1)).toBeLessThan(1e-9);
    expect(gaussianEpsilon(1e6, 1, 0.5)).toBe(0);
  });
});

describe('gaussianMechanism', () => {
  it('adds N(0, σ²) noise: KS at n = 40000, mean, variance', () => {
    const rng = createRng(99);
    const n = 40_000;
    const sigma = 2.5;
    const value = 10;
    const noise = new Float64Array(n);
    let sum = 0;
    let sumSquares = 0;
    for (let i = 0; i < n; i++) {
      noise[i] = gaussianMechanism({ value, sigma, rng }) - value;
      sum += noise[i];
      sumSquares += noise[i] * noise[i];
    }
    expect(kolmogorovSmirnovStatistic(noise, (x) => normalCdf(x / sigma))).toBeLessThan(kolmogorovSmirnovCritical(n));
    // Mean: sd σ/√n. E[x²] = σ² with sd σ²√2/√n. 5 sd bounds.
    expect(Math.abs(sum / n)).toBeLessThan((5 * sigma) / Math.sqrt(n));
    expect(Math.abs(sumSquares / n - sigma * sigma)).toBeLessThan((5 * sigma * sigma * Math.SQRT2) / Math.sqrt(n));
  });

  it('rejects a non-positive σ', () => {
    expectArgumentError(() => gaussianMechanism({ value: 0, sigma: 0, rng: createRng(1) }), /sigma/);
  });

  it('refuses an unknown option name or non-object options with E_CONFIG and a missing rng with E_ARGUMENT', () => {
    expect(() => gaussianMechanism({ value: 0, sigma: 1, rng: createRng(1), standardDeviation: 3 } as never)).toThrow(
      expect.objectContaining({ code: 'E_CONFIG', details: { option: 'standardDeviation', value: 3 } }),
    );
    expectArgumentError(() => gaussianMechanism({ value: 0, sigma: 1 } as never), /^gaussianMechanism: rng must be/);
    expect(() => gaussianMechanism(undefined as never)).toThrow(
      expect.objectContaining({
        code: 'E_CONFIG',
        message: expect.stringMatching(/^gaussianMechanism: options must be an object/),
      }),
    );
  });
});
