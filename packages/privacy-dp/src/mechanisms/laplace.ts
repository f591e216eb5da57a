import { type Rng, argumentError, optionNames, rejectUnknownOptions } from '@trustrec/core-linalg';
import { requireFiniteNumber, requirePositive, requireRng } from '../internal/validate.js';
import { uniformFullPrecision } from './full-precision-uniform.js';

/**
 * The Laplace mechanism's scale b = Δ₁ / ε (Dwork, McSherry, Nissim & Smith 2006; Dwork & Roth 2014,
 * Def. 3.3 / Thm. 3.6): releasing f(D) + Lap(b) is ε-DP when f has L1 sensitivity Δ₁ (the largest change of
 * ‖f(D) − f(D')‖₁ between neighbouring datasets).
 */
export function laplaceScale(sensitivity: number, epsilon: number): number {
  requirePositive('laplaceScale', 'sensitivity', sensitivity);
  requirePositive('laplaceScale', 'epsilon', epsilon);
  return sensitivity / epsilon;
}

/**
 * One draw of Laplace(0, b) noise: a random sign times b·(−ln U) with U from {@link uniformFullPrecision}.
 *
 * Why not the textbook `−b·sign(u)·ln(1 − 2|u|)`, u ∈ [−½, ½) (the sampler Mironov 2012 analyses)? With a 53-bit uniform,
 * 1 − 2|u| throws away one more bit and can be exactly 0 (→ ±Infinity), and ln of a value on a coarse grid near
 * 1 takes very few distinct values, so small noise magnitudes are represented unevenly. Here the sign comes
 * from its own random bit, −ln U is taken of a uniform that reaches every double in (0, 1) with the right
 * probability (never 0, so never infinite), and ln's argument is never formed by a cancelling subtraction.
 *
 * This fixes the sampler, not the mechanism: adding a floating-point sample to a floating-point value still
 * leaks through the set of reachable outputs (Mironov 2012, the attack on porous outputs). Released scalars should go through
 * {@link laplaceMechanism} (snapping); this primitive is what the in-place vector noise for gradients uses.
 * A `scale` that is not a finite number > 0, or an `rng` that is not an `Rng`, is E_ARGUMENT.
 */
export function sampleLaplace(rng: Rng, scale: number): number {
  requireRng('sampleLaplace', rng);
  requirePositive('sampleLaplace', 'scale', scale);
  return sampleLaplaceUnchecked(rng, scale);
}

/** {@link sampleLaplace} without the argument checks, for loops whose caller has checked them once. @internal */
export function sampleLaplaceUnchecked(rng: Rng, scale: number): number {
  const magnitude = -scale * Math.log(uniformFullPrecision(rng));
  return (rng.nextUint32() & 1) === 0 ? magnitude : -magnitude;
}

export interface LaplaceMechanismOptions {
  /** The exact query answer f(D). */
  value: number;
  /** L1 sensitivity Δ₁ of f over neighbouring datasets (> 0). */
  sensitivity: number;
  /** Target ε (> 0). */
  epsilon: number;
  /** Clamp bound B: the answer is clamped to [−B, B] before and after the noise. Requires λ < B < 2⁴⁶·λ, λ = Δ₁/ε. */
  bound: number;
  rng: Rng;
}

const LAPLACE_MECHANISM_OPTIONS = optionNames<LaplaceMechanismOptions>({
  value: true,
  sensitivity: true,
  epsilon: true,
  bound: true,
  rng: true,
});

export interface SnappingParameters {
  /** λ = Δ₁/ε, the Laplace scale. */
  readonly scale: number;
  /** Λ, the smallest power of two ≥ λ: outputs are multiples of Λ. */
  readonly granularity: number;
  /** The ε actually guaranteed: ε + 2⁻⁴⁹·B·ε/Δ₁ (Mironov 2012, privacy theorem of the snapping mechanism, rescaled to sensitivity Δ₁). */
  readonly effectiveEpsilon: number;
}

/**
 * The parameters of the snapping mechanism for (Δ₁, ε, B); validates Mironov's condition λ < B < 2⁴⁶·λ.
 */
export function snappingParameters(sensitivity: number, epsilon: number, bound: number): SnappingParameters {
  const where = 'snappingParameters';
  requirePositive(where, 'sensitivity', sensitivity);
  requirePositive(where, 'epsilon', epsilon);
  requirePositive(where, 'bound', bound);
  const scale = sensitivity / epsilon;
  // Mironov's theorem is stated for sensitivity 1: we run it on f/Δ₁ with λ' = 1/ε and B' = B/Δ₁.
  const unitScale = 1 / epsilon;
  const unitBound = bound / sensitivity;
  if (!(unitBound > unitScale && unitBound < 2 ** 46 * unitScale)) {
    throw argumentError(
      where,
      `bound must satisfy λ < bound < 2^46·λ with λ = sensitivity/epsilon = ${scale}, got bound = ${bound}; choose a clamp bound larger than the noise scale`,
      { option: 'bound', value: bound },
    );
  }
  const unitGranularity = 2 ** Math.ceil(Math.log2(unitScale));
  return {
    scale,
    granularity: unitGranularity * sensitivity,
    effectiveEpsilon: epsilon + 2 ** -49 * unitBound * epsilon,
  };
}

function clamp(value: number, bound: number): number {
  return Math.min(bound, Math.max(-bound, value));
}

/**
 * The Laplace mechanism implemented as Mironov's snapping mechanism (Mironov 2012, "On Significance of the Least Significant Bits for Differential Privacy", CCS):
 *
 *   f̃(D) = clamp_B( round_Λ( clamp_B(f(D)) + S·λ·ln(U*) ) ),
 *
 * with S a fair random sign, U* a full-precision uniform ({@link uniformFullPrecision}), λ = Δ₁/ε and Λ the
 * smallest power of two ≥ λ. Rounding to the coarse grid Λ·ℤ erases the low-order bits through which naive
 * floating-point Laplace leaks the input, so the guarantee holds for the implementation, not just the ideal
 * real-valued mechanism: ε' = ε + 2⁻⁴⁹·B·ε/Δ₁ (reported by {@link snappingParameters}). The computation runs
 * on f/Δ₁ (sensitivity 1, as in the theorem) and the output is rescaled by Δ₁ (post-processing).
 *
 * Guarantee: ε'-DP for queries with L1 sensitivity Δ₁ whose answers lie in [−B, B]. The cost: outputs are
 * multiples of Λ (between λ and 2λ) and clamped to [−B, B]. Residual assumption: the theorem takes ln to be
 * correctly rounded; JavaScript's `Math.log` is accurate to about 1 ulp but not guaranteed correctly rounded.
 *
 * An option name other than those of {@link LaplaceMechanismOptions} is E_CONFIG; bad values are E_ARGUMENT.
 */
export function laplaceMechanism(options: LaplaceMechanismOptions): number {
  rejectUnknownOptions('laplaceMechanism', options, LAPLACE_MECHANISM_OPTIONS);
  requireFiniteNumber('laplaceMechanism', 'value', options.value);
  const { sensitivity, epsilon, bound, rng } = options;
  requireRng('laplaceMechanism', rng);
  const { granularity } = snappingParameters(sensitivity, epsilon, bound);
  const unitBound = bound / sensitivity;
  const unitGranularity = granularity / sensitivity;
  const unitValue = clamp(options.value / sensitivity, unitBound);
  const noise = sampleLaplaceUnchecked(rng, 1 / epsilon);
  // Division and multiplication by a power of two are exact, so this rounds to the nearest multiple of Λ.
  const snapped = Math.round((unitValue + noise) / unitGranularity) * unitGranularity;
  return clamp(snapped, unitBound) * sensitivity;
}
