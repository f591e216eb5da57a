import { TrustRecError, createRng } from '@trustrec/core-linalg';
import { describe, expect, it } from 'vitest';
import { kolmogorovSmirnovCritical, kolmogorovSmirnovStatistic } from '../internal/kolmogorov-smirnov.js';
import { uniformFullPrecision } from './full-precision-uniform.js';
import { laplaceMechanism, laplaceScale, sampleLaplace, snappingParameters } from './laplace.js';

const laplaceCdf = (scale: number) => (x: number) =>
  x < 0 ? 0.5 * Math.exp(x / scale) : 1 - 0.5 * Math.exp(-x / scale);

describe('laplaceScale', () => {
  it('is Δ/ε (Dwork & Roth 2014, Thm. 3.6)', () => {
    expect(laplaceScale(1, 0.5)).toBe(2);
    expect(laplaceScale(4, 2)).toBe(2);
    expect(() => laplaceScale(1, 0)).toThrow(/epsilon/);
    expect(() => laplaceScale(-1, 1)).toThrow(/sensitivity/);
  });
});

describe('uniformFullPrecision', () => {
  it('is uniform on (0, 1), never 0, and reaches values far below 2^-53', () => {
    const rng = createRng(7);
    const n = 50_000;
    const samples = new Float64Array(n);
    for (let i = 0; i < n; i++) samples[i] = uniformFullPrecision(rng);
    expect(kolmogorovSmirnovStatistic(samples, (x) => Math.min(1, Math.max(0, x)))).toBeLessThan(
      kolmogorovSmirnovCritical(n),
    );
    expect(Math.min(...samples)).toBeGreaterThan(0);
    expect(Math.max(...samples)).toBeLessThan(1);
    // Values in [2^-k-1, 2^-k) occur with probability 2^-k-1: about n/2^11 below 2^-10.
    const small = samples.filter((x) => x < 2 ** -10).length;
    expect(Math.abs(small - n / 1024)).toBeLessThan(4 * Math.sqrt(n / 1024));
    // Low-order mantissa bits are random even for small values (the 53-bit grid would make them all 0).
    const tiny = samples.filter((x) => x < 2 ** -6);
    const oddMantissa = tiny.filter((x) => ((x / 2 ** Math.floor(Math.log2(x))) * 2 ** 52) % 2 === 1).length;
    expect(oddMantissa).toBeGreaterThan(tiny.length * 0.4);
  });
});

describe('sampleLaplace', () => {
  it.each([
    [1, 1],
    [0.25, 2],
    [40, 3],
  ])('has the Laplace(0, %d) distribution: KS at n = 40000, mean, variance 2b² (seed %d)', (scale, seed) => {
    const rng = createRng(seed);
    const n = 40_000;
    const samples = new Float64Array(n);
    let sum = 0;
    let sumSquares = 0;
    for (let i = 0; i < n; i++) {
      samples[i] = sampleLaplace(rng, scale);
      sum += samples[i];
      sumSquares += samples[i] * samples[i];
    }
    // KS: false-alarm probability 0.001 at the asymptotic critical value 1.9495/√n ≈ 0.0097.
    expect(kolmogorovSmirnovStatistic(samples, laplaceCdf(scale))).toBeLessThan(kolmogorovSmirnovCritical(n));
    // Mean 0 with sd b√2/√n; E[x²] = 2b² with sd √(24b⁴ − 4b⁴)/√n = √20·b²/√n (Laplace 4th moment 24b⁴). 5 sd bounds.
    expect(Math.abs(sum / n)).toBeLessThan((5 * scale * Math.SQRT2) / Math.sqrt(n));
    expect(Math.abs(sumSquares / n - 2 * scale * scale)).toBeLessThan(
      (5 * Math.sqrt(20) * scale * scale) / Math.sqrt(n),
    );
  });

  it('is reproducible for a seed and never infinite', () => {
    const a = createRng(3);
    const b = createRng(3);
    for (let i = 0; i < 1000; i++) {
      const x = sampleLaplace(a, 1);
      expect(x).toBe(sampleLaplace(b, 1));
      expect(Number.isFinite(x)).toBe(true);
    }
  });
});

describe('laplaceMechanism (snapping, Mironov 2012)', () => {
  it('reports Λ = the smallest power of two ≥ λ and ε + 2^-49·B·ε/Δ', () => {
    const parameters = snappingParameters(1, 0.5, 100);
    expect(parameters.scale).toBe(2);
    expect(parameters.granularity).toBe(2);
    expect(parameters.effectiveEpsilon).toBe(0.5 + 2 ** -49 * 100 * 0.5);
    expect(snappingParameters(1, 0.3, 1000).granularity).toBe(4); // λ = 3.33… → Λ = 4
    expect(snappingParameters(3, 1, 1000).granularity).toBe(3); // on f/Δ: λ' = 1 → Λ' = 1, rescaled by Δ = 3
  });

  it('outputs multiples of Λ inside [−B, B], clamps, and has the rounded-Laplace distribution', () => {
    const rng = createRng(11);
    const n = 40_000;
    const value = 3.3;
    const bound = 50;
    const counts = new Map<number, number>();
    let offGrid = 0;
    let outOfBounds = 0;
    for (let i = 0; i < n; i++) {
      const output = laplaceMechanism({ value, sensitivity: 1, epsilon: 1, bound, rng });
      if (!Number.isInteger(output)) offGrid++; // Λ = 1
      if (Math.abs(output) > bound) outOfBounds++;
      counts.set(output, (counts.get(output) ?? 0) + 1);
    }
    expect(offGrid).toBe(0);
    expect(outOfBounds).toBe(0);
    // P(output = k) = P(k − ½ ≤ value + L < k + ½) for |k| < B: compare the central cells within 5 binomial sd.
    const cdf = laplaceCdf(1);
    for (let k = -1; k <= 8; k++) {
      const probability = cdf(k + 0.5 - value) - cdf(k - 0.5 - value);
      const observed = counts.get(k) ?? 0;
      expect(Math.abs(observed - n * probability)).toBeLessThan(5 * Math.sqrt(n * probability * (1 - probability)) + 1);
    }
    // A value beyond the bound is clamped first, so the outputs centre on B and never exceed it.
    const clamped = laplaceMechanism({ value: 1e9, sensitivity: 1, epsilon: 1, bound, rng });
    expect(clamped).toBeLessThanOrEqual(bound);
    expect(clamped).toBeGreaterThan(bound - 30);
  });

  it('refuses bounds outside λ < B < 2^46·λ and non-finite values', () => {
    const rng = createRng(1);
    for (const call of [
      () => laplaceMechanism({ value: 0, sensitivity: 1, epsilon: 0.1, bound: 5, rng }),
      () => laplaceMechanism({ value: 0, sensitivity: 1, epsilon: 1, bound: 2 ** 47, rng }),
      () => laplaceMechanism({ value: Number.NaN, sensitivity: 1, epsilon: 1, bound: 10, rng }),
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

  it('refuses an unknown option name with E_CONFIG and a missing rng with E_ARGUMENT', () => {
    expect(() =>
      laplaceMechanism({ value: 0, sensitivity: 1, epsilon: 1, bound: 10, rng: createRng(1), sensitvity: 2 } as never),
    ).toThrow(expect.objectContaining({ code: 'E_CONFIG', details: { option: 'sensitvity', value: 2 } }));
    expect(() => laplaceMechanism({ value: 0, sensitivity: 1, epsilon: 1, bound: 10 } as never)).toThrow(
      expect.objectContaining({ code: 'E_ARGUMENT', message: expect.stringMatching(/^laplaceMechanism: rng/) }),
    );
  });
});

describe('sampleLaplace argument checks', () => {
  it('refuses a scale that is not a finite number > 0 (it used to return NaN, 0 or ±Infinity)', () => {
    for (const scale of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => sampleLaplace(createRng(1), scale), String(scale)).toThrow(
        expect.objectContaining({ code: 'E_ARGUMENT', details: { option: 'scale', value: scale } }),
      );
    }
    expect(() => sampleLaplace(undefined as never, 1)).toThrow(expect.objectContaining({ code: 'E_ARGUMENT' }));
  });

  it('draws the same numbers as before for a valid scale (the checks consume no draws)', () => {
    const rng = createRng(3);
    const replay = createRng(3);
    for (let i = 0; i < 5; i++) {
      const magnitude = -2 * Math.log(uniformFullPrecision(replay));
      const expected = (replay.nextUint32() & 1) === 0 ? magnitude : -magnitude;
      expect(sampleLaplace(rng, 2)).toBe(expected);
    }
  });
});
