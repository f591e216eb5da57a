import { thrownError } from '@trustrec/test-utils';
import { describe, expect, it } from 'vitest';
import { normalCdf } from '../math/special-functions.js';
import {
  effectiveNoiseMultiplier,
  exactGaussianCompositionDelta,
  exactGaussianCompositionEpsilon,
} from './gaussian-composition.js';
import { RdpAccountant } from './rdp-accountant.js';

describe('exact Gaussian composition (no subsampling)', () => {
  it('combines phases as σ_eff = (Σ T/σ²)^(−1/2)', () => {
    expect(effectiveNoiseMultiplier([{ noiseMultiplier: 2, steps: 4 }])).toBe(1);
    expect(
      Math.abs(
        effectiveNoiseMultiplier([
          { noiseMultiplier: 1, steps: 1 },
          { noiseMultiplier: 3, steps: 9 },
        ]) - Math.SQRT1_2,
      ),
    ).toBeLessThan(1e-15);
  });

  it('matches the closed form used by Microsoft prv_accountant tests: σ = 100, 10000 compositions, ε = 4', () => {
    // Microsoft prv_accountant tests/test_accountant.py (copy read in dayu11/Differentially-Private-Deep-Learning,
    // language/bert/prv_accountant/tests/test_accountant.py), compute_delta_exact: μ = √T/σ,
    // δ = Φ(−ε/μ + μ/2) − e^ε Φ(−ε/μ − μ/2) — evaluated here with our own Φ.
    const mu = Math.sqrt(10000) / 100;
    const expected = normalCdf(-4 / mu + mu / 2) - Math.exp(4) * normalCdf(-4 / mu - mu / 2);
    const delta = exactGaussianCompositionDelta({ phases: [{ noiseMultiplier: 100, steps: 10000 }], epsilon: 4 });
    expect(Math.abs(delta - expected) / expected).toBeLessThan(1e-9);
    const { epsilon, accountant } = exactGaussianCompositionEpsilon({
      phases: [{ noiseMultiplier: 100, steps: 10000 }],
      delta,
    });
    expect(Math.abs(epsilon - 4)).toBeLessThan(1e-8);
    expect(accountant).toBe('gaussian-exact');
  });

  it('is never looser than the RDP accountant, and close to it', () => {
    for (const [sigma, steps] of [
      [1, 1],
      [5, 100],
      [20, 5000],
      [0.8, 3],
    ]) {
      const exact = exactGaussianCompositionEpsilon({
        phases: [{ noiseMultiplier: sigma, steps }],
        delta: 1e-5,
      }).epsilon;
      const rdp = new RdpAccountant().composeGaussian({ noiseMultiplier: sigma, steps }).getEpsilon(1e-5).epsilon;
      expect(exact).toBeLessThanOrEqual(rdp);
      expect(exact).toBeGreaterThan(0.6 * rdp);
    }
  });

  it('refuses an unknown option name with E_CONFIG', () => {
    const phases = [{ noiseMultiplier: 1, steps: 10 }];
    expect(() => exactGaussianCompositionEpsilon({ phases, delta: 1e-5, samplingRate: 0.1 } as never)).toThrow(
      expect.objectContaining({ code: 'E_CONFIG', details: { option: 'samplingRate', value: 0.1 } }),
    );
    expect(() => exactGaussianCompositionDelta({ phases, epsilon: 1, delta: 1e-5 } as never)).toThrow(
      expect.objectContaining({ code: 'E_CONFIG', details: { option: 'delta', value: 1e-5 } }),
    );
  });

  it('errors name the function the caller called (not gaussianDelta or effectiveNoiseMultiplier) and the argument', () => {
    const phases = [{ noiseMultiplier: 2, steps: 3 }];
    // exactGaussianCompositionDelta used to report its ε errors as gaussianDelta.
    for (const epsilon of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
      const error = thrownError(() => exactGaussianCompositionDelta({ phases, epsilon }));
      expect([error.code, error.details?.option]).toEqual(['E_ARGUMENT', 'epsilon']);
      expect(error.message).toMatch(/^exactGaussianCompositionDelta: epsilon must be a finite number ≥ 0/);
    }
    for (const [action, where, option] of [
      [() => exactGaussianCompositionDelta({ phases: [], epsilon: 1 }), 'exactGaussianCompositionDelta', 'phases'],
      [
        () => exactGaussianCompositionEpsilon({ phases: [{ noiseMultiplier: 0, steps: 1 }], delta: 1e-5 }),
        'exactGaussianCompositionEpsilon',
        'phases[0].noiseMultiplier',
      ],
      [
        () => effectiveNoiseMultiplier([{ noiseMultiplier: 1, steps: 0 }]),
        'effectiveNoiseMultiplier',
        'phases[0].steps',
      ],
    ] as const) {
      const error = thrownError(action);
      expect([error.code, error.details?.option], where).toEqual(['E_ARGUMENT', option]);
      expect(error.message.startsWith(`${where}: ${option} must`), error.message).toBe(true);
    }
  });

  it('non-array phases, or a phase that is not an object, are E_ARGUMENT naming the function and phases', () => {
    // These used to fail with a TypeError (phases.length, phases.forEach or phase.noiseMultiplier of undefined).
    const phase = { noiseMultiplier: 2, steps: 3 };
    for (const [phases, message] of [
      [undefined, /phases must be an array of \{ noiseMultiplier, steps \}, got undefined; pass e\.g\. \[/],
      [phase, /phases must be an array of \{ noiseMultiplier, steps \}, got an object/],
      [{ length: 1, 0: phase }, /phases must be an array of \{ noiseMultiplier, steps \}, got an object/],
      [[phase, null], /phases\[1\] must be an object \{ noiseMultiplier, steps \}, got null/],
      [[2], /phases\[0\] must be an object \{ noiseMultiplier, steps \}, got 2/],
    ] as const) {
      for (const [action, where] of [
        [() => effectiveNoiseMultiplier(phases as never), 'effectiveNoiseMultiplier'],
        [
          () => exactGaussianCompositionEpsilon({ phases: phases as never, delta: 1e-5 }),
          'exactGaussianCompositionEpsilon',
        ],
        [() => exactGaussianCompositionDelta({ phases: phases as never, epsilon: 1 }), 'exactGaussianCompositionDelta'],
      ] as const) {
        const error = thrownError(action);
        expect([error.code, error.details?.option], `${where} ${String(message)}`).toEqual(['E_ARGUMENT', 'phases']);
        expect(error.message.startsWith(`${where}: `), error.message).toBe(true);
        expect(error.message).toMatch(message);
      }
    }
  });
});
