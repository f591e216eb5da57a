import { type Rng, argumentError, optionNames, rejectUnknownOptions } from '@trustrec/core-linalg';
import { requireFiniteNumber, requireOpenUnit, requirePositive, requireRng } from '../internal/validate.js';
import { bisect } from '../math/bisect.js';
import { logNormalCdf } from '../math/special-functions.js';

/**
 * The classic Gaussian calibration σ = Δ₂·√(2 ln(1.25/δ)) / ε (Dwork & Roth 2014, Thm. A.1): f(D) + N(0, σ²I)
 * is (ε, δ)-DP for f with L2 sensitivity Δ₂ — but the proof only holds for ε < 1, so ε ≥ 1 is refused with
 * E_ARGUMENT (use {@link gaussianSigmaAnalytic}, valid for every ε).
 */
export function gaussianSigmaClassic(sensitivity: number, epsilon: number, delta: number): number {
  const where = 'gaussianSigmaClassic';
  requirePositive(where, 'sensitivity', sensitivity);
  requirePositive(where, 'epsilon', epsilon);
  requireOpenUnit(where, 'delta', delta);
  if (epsilon >= 1) {
    throw argumentError(
      where,
      `epsilon must be < 1 for the classic Gaussian calibration (Dwork & Roth 2014, Thm. A.1), got ${epsilon}; use gaussianSigmaAnalytic (mechanism "gaussian-analytic"), which is exact for every epsilon`,
      { option: 'epsilon', value: epsilon },
    );
  }
  return (sensitivity * Math.sqrt(2 * Math.log(1.25 / delta))) / epsilon;
}

/**
 * The exact δ of the Gaussian mechanism with noise σ at ε, for L2 sensitivity Δ₂ — Balle & Wang (2018),
 * "Improving the Gaussian Mechanism for Differential Privacy", Thm. 8: the mechanism is (ε, δ)-DP iff
 *
 *   δ ≥ Φ(Δ/(2σ) − εσ/Δ) − e^ε Φ(−Δ/(2σ) − εσ/Δ).
 *
 * Evaluated in log space (log Φ(a) + log(1 − e^{ε + log Φ(b) − log Φ(a)})) so tiny δ keep their precision.
 */
export function gaussianDelta(sigma: number, sensitivity: number, epsilon: number): number {
  const where = 'gaussianDelta';
  requirePositive(where, 'sigma', sigma);
  requirePositive(where, 'sensitivity', sensitivity);
  if (!(epsilon >= 0) || !Number.isFinite(epsilon)) {
    throw argumentError(where, `epsilon must be a finite number ≥ 0, got ${epsilon}`, {
      option: 'epsilon',
      value: epsilon,
    });
  }
  const ratio = sensitivity / (2 * sigma);
  const shift = (epsilon * sigma) / sensitivity;
  const logA = logNormalCdf(ratio - shift);
  const logB = epsilon + logNormalCdf(-ratio - shift);
  if (!(logB < logA)) return 0;
  return Math.exp(logA + Math.log1p(-Math.exp(logB - logA)));
}

/**
 * The analytic Gaussian calibration of Balle & Wang (2018), Algorithm 1 / Thm. 8: the smallest σ for which
 * N(0, σ²) noise on an L2-sensitivity-Δ₂ query is (ε, δ)-DP — exact (necessary and sufficient), for every
 * ε > 0. Solved by bisection on the monotone condition {@link gaussianDelta}(σ) ≤ δ (δ(σ) decreases in σ) to a
 * relative width of 1e-12; returns the upper end of the bracket, so the condition holds at the returned σ.
 */
export function gaussianSigmaAnalytic(sensitivity: number, epsilon: number, delta: number): number {
  const where = 'gaussianSigmaAnalytic';
  requirePositive(where, 'sensitivity', sensitivity);
  requirePositive(where, 'epsilon', epsilon);
  requireOpenUnit(where, 'delta', delta);
  const meets = (sigma: number) => gaussianDelta(sigma, sensitivity, epsilon) <= delta;
  let upper = sensitivity;
  while (!meets(upper)) upper *= 2;
  let lower = upper / 2;
  while (meets(lower)) {
    upper = lower;
    lower /= 2;
  }
  return bisect(meets, lower, upper, { relativeTolerance: 1e-12, geometric: true }).upper;
}

/**
 * The smallest ε for which N(0, σ²) noise on an L2-sensitivity-Δ₂ query is (ε, δ)-DP (Balle & Wang 2018,
 * Thm. 8, inverted by bisection on ε; δ(ε) decreases in ε). 0 when σ is so large that δ(0) ≤ δ.
 */
export function gaussianEpsilon(sigma: number, sensitivity: number, delta: number): number {
  const where = 'gaussianEpsilon';
  requirePositive(where, 'sigma', sigma);
  requirePositive(where, 'sensitivity', sensitivity);
  requireOpenUnit(where, 'delta', delta);
  const meets = (epsilon: number) => gaussianDelta(sigma, sensitivity, epsilon) <= delta;
  if (meets(0)) return 0;
  let upper = 1;
  while (!meets(upper)) upper *= 2;
  return bisect(meets, 0, upper, { relativeTolerance: 1e-12 }).upper;
}

export interface GaussianMechanismOptions {
  /** The exact query answer f(D). */
  value: number;
  /** Noise standard deviation σ (from {@link gaussianSigmaAnalytic} or {@link gaussianSigmaClassic}). */
  sigma: number;
  rng: Rng;
}

const GAUSSIAN_MECHANISM_OPTIONS = optionNames<GaussianMechanismOptions>({ value: true, sigma: true, rng: true });

/**
 * The Gaussian mechanism: f(D) + N(0, σ²). (ε, δ)-DP when σ comes from a calibration for the query's L2
 * sensitivity. The normal draw is the seeded Box–Muller of `rng.normal`; as for any floating-point mechanism,
 * the low-order bits of the output are not covered by the real-valued proof (Mironov 2012 analyses Laplace; the
 * same caveat applies), which is immaterial for noise added to gradients or model parameters that are
 * released only after further computation. An option name other than `value`, `sigma`, `rng` is E_CONFIG; bad
 * values are E_ARGUMENT.
 */
export function gaussianMechanism(options: GaussianMechanismOptions): number {
  rejectUnknownOptions('gaussianMechanism', options, GAUSSIAN_MECHANISM_OPTIONS);
  requireFiniteNumber('gaussianMechanism', 'value', options.value);
  requirePositive('gaussianMechanism', 'sigma', options.sigma);
  requireRng('gaussianMechanism', options.rng);
  return options.value + options.rng.normal(0, options.sigma);
}
