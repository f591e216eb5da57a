import { argumentError, describeOptionValue, optionNames, rejectUnknownOptions } from '@trustrec/core-linalg';
import { requireCount, requireOpenUnit, requirePositive } from '../internal/validate.js';
import { gaussianDelta, gaussianEpsilon } from '../mechanisms/gaussian.js';

/** A run of `steps` Gaussian releases (no subsampling) with noise multiplier σ = noise std / L2 sensitivity. */
export interface GaussianPhase {
  noiseMultiplier: number;
  steps: number;
}

/**
 * The noise multiplier of ONE Gaussian mechanism equivalent to composing all `phases` (no subsampling):
 * σ_eff = (Σ_phases steps/σ²)^(−1/2). Adaptive composition of Gaussian mechanisms is exactly a Gaussian
 * mechanism with μ = 1/σ_eff (Dong, Roth & Su 2022, "Gaussian differential privacy": a Gaussian mechanism is
 * Δ/σ-GDP, Thm. 2.7, and μᵢ-GDP mechanisms compose to √(Σμᵢ²)-GDP, Cor. 3.3).
 */
export function effectiveNoiseMultiplier(phases: readonly GaussianPhase[]): number {
  return effectiveMultiplier('effectiveNoiseMultiplier', phases);
}

/** {@link effectiveNoiseMultiplier}, its errors naming `where` (the function the caller called). */
function effectiveMultiplier(where: string, phases: readonly GaussianPhase[]): number {
  if (!Array.isArray(phases)) {
    throw argumentError(
      where,
      `phases must be an array of { noiseMultiplier, steps }, got ${describeOptionValue(phases)}; pass e.g. [{ noiseMultiplier: 1.1, steps: 100 }]`,
      { option: 'phases' },
    );
  }
  if (phases.length === 0) throw argumentError(where, 'phases must not be empty', { option: 'phases' });
  let precision = 0;
  phases.forEach((phase, index) => {
    if (typeof phase !== 'object' || phase === null) {
      throw argumentError(
        where,
        `phases[${index}] must be an object { noiseMultiplier, steps }, got ${describeOptionValue(phase)}`,
        { option: 'phases' },
      );
    }
    requirePositive(where, `phases[${index}].noiseMultiplier`, phase.noiseMultiplier);
    requireCount(where, `phases[${index}].steps`, phase.steps, 1);
    precision += phase.steps / (phase.noiseMultiplier * phase.noiseMultiplier);
  });
  return 1 / Math.sqrt(precision);
}

const EPSILON_OPTIONS = optionNames<Parameters<typeof exactGaussianCompositionEpsilon>[0]>({
  phases: true,
  delta: true,
});
const DELTA_OPTIONS = optionNames<Parameters<typeof exactGaussianCompositionDelta>[0]>({ phases: true, epsilon: true });

/**
 * The exact — tightest possible — ε of a composition of Gaussian mechanisms WITHOUT subsampling (q = 1: full-batch
 * DP gradient descent, or per-epoch Gaussian perturbation of all factors): the composition is one Gaussian
 * mechanism with σ_eff ({@link effectiveNoiseMultiplier}), whose exact (ε, δ) curve is Balle & Wang (2018),
 * Thm. 8 (equivalently Dong, Roth & Su, Cor. 2.13) — δ(ε) = Φ(−ε/μ + μ/2) − e^ε Φ(−ε/μ − μ/2), μ = 1/σ_eff. Labelled `gaussian-exact`; always ≤ the RDP
 * accountant's ε for the same events. Not valid for Poisson-subsampled steps (use {@link RdpAccountant}). An
 * unknown option name is E_CONFIG.
 */
export function exactGaussianCompositionEpsilon(options: { phases: readonly GaussianPhase[]; delta: number }): {
  epsilon: number;
  delta: number;
  effectiveNoiseMultiplier: number;
  accountant: 'gaussian-exact';
} {
  rejectUnknownOptions('exactGaussianCompositionEpsilon', options, EPSILON_OPTIONS);
  requireOpenUnit('exactGaussianCompositionEpsilon', 'delta', options.delta);
  const sigma = effectiveMultiplier('exactGaussianCompositionEpsilon', options.phases);
  return {
    epsilon: gaussianEpsilon(sigma, 1, options.delta),
    delta: options.delta,
    effectiveNoiseMultiplier: sigma,
    accountant: 'gaussian-exact',
  };
}

/**
 * The exact δ at ε of a composition of Gaussian mechanisms without subsampling (see
 * {@link exactGaussianCompositionEpsilon}). An unknown option name is E_CONFIG.
 */
export function exactGaussianCompositionDelta(options: { phases: readonly GaussianPhase[]; epsilon: number }): number {
  const where = 'exactGaussianCompositionDelta';
  rejectUnknownOptions(where, options, DELTA_OPTIONS);
  const sigma = effectiveMultiplier(where, options.phases);
  const epsilon = options.epsilon;
  // The ε check of gaussianDelta, made here so that the error names this function.
  if (!(typeof epsilon === 'number' && epsilon >= 0 && Number.isFinite(epsilon))) {
    throw argumentError(where, `epsilon must be a finite number ≥ 0, got ${epsilon}`, {
      option: 'epsilon',
      value: epsilon,
    });
  }
  return gaussianDelta(sigma, 1, epsilon);
}
