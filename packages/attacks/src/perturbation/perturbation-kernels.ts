import { TrustRecError, argumentError } from '@trustrec/core-linalg';
import type { PerturbationTarget } from './attack-description.js';

/**
 * One normalised ascent step per row, in place (the L2 FGSM step of APR eq. 11, He et al. 2018 — `Δ =
 * ε·g / ‖g‖` row by row, as `tf.nn.l2_normalize(grad, 1) * eps` in the APR code): for every row r of
 * `gradient` (numRows × k, row-major) with ‖g_r‖ > 0, Δ_r ← Δ_r + α · g_r / ‖g_r‖; rows with a zero gradient
 * keep Δ_r; a row whose gradient is NaN or infinite is E_NUMERIC. Then, when `radius` is given, each row is projected back onto the L2 ball of that radius (BIM):
 * Δ_r ← Δ_r · radius / ‖Δ_r‖ when ‖Δ_r‖ > radius. Float64 throughout.
 */
export function addNormalizedStep(
  delta: Float64Array,
  gradient: Float64Array,
  k: number,
  alpha: number,
  radius?: number,
): void {
  const rows = gradient.length / k;
  for (let r = 0; r < rows; r++) {
    const base = r * k;
    let sum = 0;
    for (let c = 0; c < k; c++) sum += gradient[base + c] * gradient[base + c];
    // NaN as well as ±∞: a NaN row used to fail `sum > 0` and stay silently unperturbed.
    if (!(sum < Number.POSITIVE_INFINITY)) {
      throw new TrustRecError({
        code: 'E_NUMERIC',
        message: `perturbation: the BPR gradient of row ${r} is not finite; the model's factors may have diverged`,
      });
    }
    if (sum > 0) {
      const scale = alpha / Math.sqrt(sum);
      for (let c = 0; c < k; c++) delta[base + c] += scale * gradient[base + c];
    }
    if (radius === undefined) continue;
    let norm2 = 0;
    for (let c = 0; c < k; c++) norm2 += delta[base + c] * delta[base + c];
    if (norm2 > radius * radius) {
      const shrink = radius / Math.sqrt(norm2);
      for (let c = 0; c < k; c++) delta[base + c] *= shrink;
    }
  }
}

/** Per-row L2 norms of Δ as it is applied (each entry rounded to float32 first). */
export function rowNorms(delta: Float64Array, k: number): Float32Array {
  const rows = delta.length / k;
  const norms = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    let sum = 0;
    for (let c = 0; c < k; c++) {
      const value = Math.fround(delta[r * k + c]);
      sum += value * value;
    }
    norms[r] = Math.sqrt(sum);
  }
  return norms;
}

/** A new float32 array θ + Δ (Δ rounded to float32 first, so the applied change is the one `rowNorms` measures). */
export function addDelta(base: Float32Array, delta: Float64Array): Float32Array {
  const out = new Float32Array(base.length);
  for (let p = 0; p < base.length; p++) out[p] = base[p] + Math.fround(delta[p]);
  return out;
}

export const TARGETS: readonly PerturbationTarget[] = ['users', 'items', 'both'];

/** Validates the options every perturbation attack shares; E_ARGUMENT naming the function and option. */
export function validatePerturbationOptions(
  where: string,
  options: { epsilon: number; target: PerturbationTarget; seed: number },
): void {
  if (options === null || typeof options !== 'object')
    throw argumentError(where, 'options must be an object with epsilon, target and seed');
  const { epsilon, target, seed } = options;
  if (typeof epsilon !== 'number' || !Number.isFinite(epsilon) || epsilon < 0) {
    throw argumentError(
      where,
      `epsilon must be a finite number ≥ 0 (the L2 norm of each perturbed row), got ${epsilon}`,
      { option: 'epsilon', value: epsilon },
    );
  }
  if (!TARGETS.includes(target)) {
    throw argumentError(where, `target must be one of ${TARGETS.join(', ')}, got ${JSON.stringify(target)}`, {
      option: 'target',
      value: target,
    });
  }
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed) || seed < 0) {
    throw argumentError(where, `seed must be a non-negative safe integer, got ${seed}`, {
      option: 'seed',
      value: seed,
    });
  }
}

export function perturbsUsers(target: PerturbationTarget): boolean {
  return target === 'users' || target === 'both';
}

export function perturbsItems(target: PerturbationTarget): boolean {
  return target === 'items' || target === 'both';
}
