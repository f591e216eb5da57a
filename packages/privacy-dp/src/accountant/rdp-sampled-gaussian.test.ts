import { describe, expect, it } from 'vitest';
import { TrustRecError } from '@trustrec/core-linalg';
import { logAddExp } from '../math/special-functions.js';
import { DEFAULT_RDP_ORDERS } from './default-orders.js';
import { rdpLaplace, rdpSampledGaussian, rdpSampledGaussianCurve } from './rdp-sampled-gaussian.js';

/**
 * An independent implementation of A_α = E_{z∼N(0,σ²)}[((1−q) + q·e^{(2z−1)/(2σ²)})^α] (Mironov, Talwar & Zhang
 * 2019, Sec. 3.3) by the trapezoid rule in log space on a wide uniform grid — spectrally accurate for this
 * smooth, Gaussian-tailed integrand. Same idea as dp_accounting's mpmath check `_compute_a_mp`.
 */
function rdpByIntegration(q: number, sigma: number, alpha: number): number {
  const s2 = sigma * sigma;
  const center = alpha > 1 ? Math.min(alpha, 40) * 0.5 : 0;
  const lower = -40 * sigma;
  const upper = 40 * sigma + 2 * center + 1;
  const points = 40001;
  const h = (upper - lower) / (points - 1);
  let logSum = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < points; k++) {
    const z = lower + k * h;
    const logPdf = -0.5 * Math.log(2 * Math.PI * s2) - (z * z) / (2 * s2);
    const logMix = logAddExp(Math.log1p(-q), Math.log(q) + (2 * z - 1) / (2 * s2));
    const weight = k === 0 || k === points - 1 ? Math.log(0.5) : 0;
    logSum = logAddExp(logSum, weight + logPdf + alpha * logMix);
  }
  return (logSum + Math.log(h)) / (alpha - 1);
}

describe('rdpSampledGaussian', () => {
  it('reduces to α/(2σ²) at q = 1 (Mironov 2017, Prop. 7)', () => {
    for (const [sigma, alpha] of [
      [1, 2],
      [0.7, 3.5],
      [2.5, 3.25],
      [10, 1024],
    ]) {
      expect(rdpSampledGaussian(1, sigma, alpha)).toBe(alpha / (2 * sigma * sigma));
    }
  });

  it('matches the hand-expanded binomial sum at α = 2: log(1 − q + q·e^{1/σ²})... exactly', () => {
    // A_2 = (1−q)² + 2q(1−q) + q² e^{1/σ²} = 1 + q²(e^{1/σ²} − 1), so RDP(2) = log(1 + q²(e^{1/σ²} − 1)).
    for (const [q, sigma] of [
      [0.01, 1],
      [0.3, 0.8],
      [0.9, 2],
    ]) {
      const expected = Math.log1p(q * q * Math.expm1(1 / (sigma * sigma)));
      expect(Math.abs(rdpSampledGaussian(q, sigma, 2) - expected)).toBeLessThan(1e-15 + 1e-12 * expected);
    }
  });

  it('matches published dp_accounting values at integer orders (q = 0.01, σ = 2.5, 50 steps)', () => {
    // google/differential-privacy python/dp_accounting/rdp/rdp_privacy_accountant_test.py,
    // test_compute_rdp_poisson_sampled_gaussian: orders [5, 50, 100] → [2.18075656e-03, 2.38460375e-02, 1.67416308e02].
    const curve = rdpSampledGaussianCurve(0.01, 2.5, 50, [5, 50, 100]);
    const expected = [2.18075656e-3, 2.38460375e-2, 1.67416308e2];
    for (let i = 0; i < 3; i++) expect(Math.abs(curve[i] - expected[i]) / expected[i]).toBeLessThan(1e-7);
  });

  it('is exact at fractional orders where dp_accounting only bounds it (|C(α,i)| series)', () => {
    // The same dp_accounting test lists 6.70579741e-04 (α = 1.5) and 1.08548710e-03 (α = 2.5): their series adds
    // |C(α,i)|, an upper bound. The exact values, by mpmath quad of the defining integral (mp.dps = 30, run by
    // hand), are 50·RDP = 6.500708971867387e-04 and 1.0854180569174015e-03 — we match those and stay below theirs.
    const curve = rdpSampledGaussianCurve(0.01, 2.5, 50, [1.5, 2.5]);
    expect(Math.abs(curve[0] - 6.500708971867387e-4) / 6.500708971867387e-4).toBeLessThan(1e-8);
    expect(Math.abs(curve[1] - 1.0854180569174015e-3) / 1.0854180569174015e-3).toBeLessThan(1e-8);
    expect(curve[0]).toBeLessThanOrEqual(6.70579741e-4);
    expect(curve[1]).toBeLessThanOrEqual(1.0854871e-3);
  });

  it.each([
    [1e-4, 1, 1.5],
    [1e-3, 1, 2],
    [0.01, 10, 20],
    [0.1, 100, 20.5],
    [0.04, 1.5, 3.9],
    [0.2, 0.9, 7.3],
    [0.5, 2, 11],
    [0.01, 0.8, 2.7],
  ])('agrees with direct numerical integration (q = %d, σ = %d, α = %d)', (q, sigma, alpha) => {
    // Parameter sets partly from dp_accounting's test_compute_log_a_equals_mp.
    const expected = rdpByIntegration(q, sigma, alpha);
    const actual = rdpSampledGaussian(q, sigma, alpha);
    expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-9 * Math.abs(expected) + 1e-13);
  });

  it.each([
    [0.05, 0.7, 1.2, 0.007454407149902662],
    [0.9, 0.5, 1.3, 2.3016291957767194],
    [0.3, 3, 1.1, 0.005661759811161652],
  ])(
    'stays exact where the series stalls (q = %d, σ = %d, α = %d; mpmath quad reference)',
    (q, sigma, alpha, expected) => {
      // Orders near 1 (polynomially decaying binomial coefficients) and q ≥ 1/2 fall back to numerical
      // integration; reference values from mpmath.quad of the defining integral (mp.dps = 30), run by hand.
      expect(Math.abs(rdpSampledGaussian(q, sigma, alpha) - expected) / expected).toBeLessThan(1e-9);
    },
  );

  it('is nondecreasing in α over the default grid and increasing in q, decreasing in σ', () => {
    for (const [q, sigma] of [
      [0.004, 1.1],
      [0.05, 0.7],
      [0.3, 3],
    ]) {
      const curve = rdpSampledGaussianCurve(q, sigma, 1, DEFAULT_RDP_ORDERS);
      for (let i = 1; i < curve.length; i++) expect(curve[i]).toBeGreaterThanOrEqual(curve[i - 1] * (1 - 1e-12));
      for (const alpha of [1.5, 4, 32]) {
        expect(rdpSampledGaussian(q * 1.5, sigma, alpha)).toBeGreaterThan(rdpSampledGaussian(q, sigma, alpha));
        expect(rdpSampledGaussian(q, sigma * 1.2, alpha)).toBeLessThan(rdpSampledGaussian(q, sigma, alpha));
        // Subsampling amplifies privacy: never worse than the unsampled Gaussian.
        expect(rdpSampledGaussian(q, sigma, alpha)).toBeLessThanOrEqual(alpha / (2 * sigma * sigma));
      }
    }
  });

  it('has (α−1)·RDP(α) = log A_α convex in α (a log-moment-generating function), across the series/integer boundary', () => {
    for (const [q, sigma] of [
      [0.01, 1.1],
      [0.1, 2],
      [0.3, 0.9],
    ]) {
      const orders = Array.from({ length: 99 }, (_, i) => (11 + i) / 10); // 1.1 … 10.9, integers included
      const logA = orders.map((alpha) => (alpha - 1) * rdpSampledGaussian(q, sigma, alpha));
      for (let i = 1; i < logA.length - 1; i++) {
        const secondDifference = logA[i + 1] - 2 * logA[i] + logA[i - 1];
        expect(secondDifference).toBeGreaterThanOrEqual(-1e-12 * Math.abs(logA[i]));
      }
    }
  });

  it('rejects invalid arguments with E_ARGUMENT', () => {
    for (const call of [
      () => rdpSampledGaussian(0, 1, 2),
      () => rdpSampledGaussian(1.5, 1, 2),
      () => rdpSampledGaussian(0.1, 0, 2),
      () => rdpSampledGaussian(0.1, 1, 1),
      () => rdpSampledGaussian(0.1, 1, Number.POSITIVE_INFINITY),
    ]) {
      expect(call).toThrow(TrustRecError);
      try {
        call();
      } catch (error) {
        expect(TrustRecError.isInstance(error, 'E_ARGUMENT')).toBe(true);
      }
    }
  });

  it('rdpSampledGaussianCurve refuses a step count that is not an integer ≥ 0 (a negative one gave a negative curve)', () => {
    for (const steps of [-5, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => rdpSampledGaussianCurve(0.1, 1, steps, [2, 3]), String(steps)).toThrow(
        expect.objectContaining({ code: 'E_ARGUMENT', details: { option: 'steps', value: steps } }),
      );
    }
    expect(Array.from(rdpSampledGaussianCurve(0.1, 1, 0, [2, 3]))).toEqual([0, 0]);
  });
});

describe('rdpLaplace', () => {
  it('matches Mironov (2017) Prop. 6 at α = 2 by hand and stays below the pure ε = 1/λ', () => {
    const lambda = 2;
    // α = 2: log(2/3·e^{1/λ} + 1/3·e^{−2/λ}).
    const expected = Math.log((2 / 3) * Math.exp(1 / lambda) + (1 / 3) * Math.exp(-2 / lambda));
    expect(Math.abs(rdpLaplace(lambda, 2) - expected)).toBeLessThan(1e-15);
    for (const alpha of [1.1, 2, 10, 1024]) expect(rdpLaplace(lambda, alpha)).toBeLessThanOrEqual(1 / lambda);
    // At huge orders RDP tends to the pure ε (dp_accounting test_laplace uses order 1e10 to simulate pure DP).
    expect(Math.abs(rdpLaplace(0.5, 1e10) - 2)).toBeLessThan(1e-8);
  });
});
