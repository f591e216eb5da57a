import { TrustRecError } from '@trustrec/core-linalg';
import { describe, expect, it } from 'vitest';
import { exactGaussianCompositionEpsilon } from './gaussian-composition.js';
import { pldSampledGaussianDelta, pldSampledGaussianEpsilon } from './pld-accountant.js';
import { computeSampledGaussianEpsilon } from './rdp-accountant.js';

describe('PLD accountant (connect-the-dots + FFT)', () => {
  it('is a tight upper bound for the plain Gaussian (q = 1), where the exact answer is known', () => {
    for (const [sigma, steps] of [
      [5, 100],
      [2, 10],
    ] as const) {
      const exact = exactGaussianCompositionEpsilon({
        phases: [{ noiseMultiplier: sigma, steps }],
        delta: 1e-5,
      }).epsilon;
      const pld = pldSampledGaussianEpsilon({
        phases: [{ samplingRate: 1, noiseMultiplier: sigma, steps }],
        delta: 1e-5,
      });
      expect(pld.accountant).toBe('pld');
      expect(pld.epsilon).toBeGreaterThanOrEqual(exact);
      expect(pld.epsilon - exact).toBeLessThan(2e-3);
    }
  });

  it.each([
    // pytorch/opacus opacus/tests/prv_accountant.py `msr_values` (computed with microsoft/prv_accountant, δ = 1e-6):
    // (σ, q, steps) → ε. Opacus' PRVAccountant reports the upper end of an interval of width ≈ eps_error = 0.01,
    // so a (near-)exact accountant lands up to ~0.01 below these numbers; it must never land above them.
    [1.5, 0.05, 100, 1.9538531356842002],
    [1.5, 0.2, 100, 8.4989778591216307],
    [2.0, 0.05, 1000, 4.1727998666893189],
    [3.0, 0.05, 1000, 2.5275743260597383],
  ])(
    'agrees with the Microsoft PRV accountant values in Opacus: σ = %d, q = %d, %d steps',
    (sigma, q, steps, published) => {
      const { epsilon } = pldSampledGaussianEpsilon({
        phases: [{ samplingRate: q, noiseMultiplier: sigma, steps }],
        delta: 1e-6,
      });
      expect(epsilon).toBeLessThanOrEqual(published);
      expect(epsilon).toBeGreaterThan(published - 0.012);
      expect(epsilon).toBeLessThan(
        computeSampledGaussianEpsilon({ samplingRate: q, noiseMultiplier: sigma, steps, delta: 1e-6 }).epsilon,
      );
    },
  );

  it('composes heterogeneous phases and inverts δ(ε) consistently', () => {
    const phases = [
      { samplingRate: 0.05, noiseMultiplier: 2, steps: 300 },
      { samplingRate: 0.2, noiseMultiplier: 3, steps: 50 },
    ];
    const both = pldSampledGaussianEpsilon({ phases, delta: 1e-5 });
    const first = pldSampledGaussianEpsilon({ phases: [phases[0]], delta: 1e-5 });
    expect(both.epsilon).toBeGreaterThan(first.epsilon);
    const delta = pldSampledGaussianDelta({ phases, epsilon: both.epsilon });
    expect(delta).toBeLessThanOrEqual(1e-5 * (1 + 1e-6));
    expect(delta).toBeGreaterThan(0.9e-5);
  });

  it('rejects invalid phases and unreachable budgets', () => {
    let caught: unknown;
    try {
      pldSampledGaussianEpsilon({ phases: [{ samplingRate: 0, noiseMultiplier: 1, steps: 10 }], delta: 1e-5 });
    } catch (error) {
      caught = error;
    }
    expect(TrustRecError.isInstance(caught, 'E_ARGUMENT')).toBe(true);
    expect(() => pldSampledGaussianEpsilon({ phases: [], delta: 1e-5 })).toThrow(/phases/);
  });

  it('pldSampledGaussianDelta checks discretization and tailMass like pldSampledGaussianEpsilon', () => {
    // Before: −1 threw a RangeError, NaN returned δ = NaN, 2 returned δ = 1, 0 ran with a −∞ window bound.
    const phases = [{ samplingRate: 0.1, noiseMultiplier: 1, steps: 10 }];
    for (const [option, value] of [
      ['discretization', 0],
      ['discretization', -1],
      ['discretization', Number.NaN],
      ['tailMass', 0],
      ['tailMass', 2],
      ['tailMass', Number.NaN],
    ] as const) {
      expect(() => pldSampledGaussianDelta({ phases, epsilon: 1, [option]: value }), `${option} ${value}`).toThrow(
        expect.objectContaining({
          code: 'E_ARGUMENT',
          message: expect.stringMatching(/^pldSampledGaussianDelta: /),
          details: { option, value },
        }),
      );
    }
  });

  it('refuses unknown option names with E_CONFIG and names the called function when the grid is too fine', () => {
    const phases = [{ samplingRate: 0.1, noiseMultiplier: 1, steps: 10 }];
    expect(() => pldSampledGaussianEpsilon({ phases, delta: 1e-5, discretisation: 1e-4 } as never)).toThrow(
      expect.objectContaining({ code: 'E_CONFIG', details: { option: 'discretisation', value: 1e-4 } }),
    );
    expect(() => pldSampledGaussianDelta({ phases, epsilon: 1, tail: 1e-12 } as never)).toThrow(
      expect.objectContaining({ code: 'E_CONFIG', details: { option: 'tail', value: 1e-12 } }),
    );
    expect(() => pldSampledGaussianDelta({ phases, epsilon: 1, discretization: 1e-9 })).toThrow(
      expect.objectContaining({ code: 'E_ARGUMENT', message: expect.stringMatching(/^pldSampledGaussianDelta: /) }),
    );
  });
});
