import { createRng } from '@trustrec/core-linalg';
import { describe, expect, it } from 'vitest';
import { normalCdf } from '../math/special-functions.js';
import { sampleLaplace } from '../mechanisms/laplace.js';
import { kolmogorovSmirnovCritical, kolmogorovSmirnovStatistic } from './kolmogorov-smirnov.js';

describe('kolmogorovSmirnovStatistic', () => {
  it('computes D by hand for a tiny sample against U(0, 1)', () => {
    // Samples 0.1, 0.4, 0.9: max over i of (i+1)/n − F, F − i/n = max(0.233, 0.267, 0.1, …) = 0.2667.
    const d = kolmogorovSmirnovStatistic(Float64Array.from([0.9, 0.1, 0.4]), (x) => x);
    expect(Math.abs(d - (2 / 3 - 0.4))).toBeLessThan(1e-15);
  });

  it('has power: rejects Laplace samples against a Gaussian of the same variance', () => {
    const rng = createRng(5);
    const n = 40_000;
    const samples = new Float64Array(n);
    for (let i = 0; i < n; i++) samples[i] = sampleLaplace(rng, 1);
    expect(kolmogorovSmirnovStatistic(samples, (x) => normalCdf(x / Math.SQRT2))).toBeGreaterThan(
      3 * kolmogorovSmirnovCritical(n),
    );
  });
});
