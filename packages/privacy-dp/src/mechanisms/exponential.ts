import { type Rng, argumentError, optionNames, rejectUnknownOptions } from '@trustrec/core-linalg';
import { requireNumberList, requirePositive, requireRng } from '../internal/validate.js';

/**
 * Selection probabilities of the exponential mechanism (McSherry & Talwar 2007; Dwork & Roth 2014, Def. 3.4 /
 * Thm. 3.10): P[r] ∝ exp(ε·u(D, r) / (2Δu)), where Δu is the sensitivity of the utility — the largest change of
 * any u(·, r) between neighbouring datasets. Selecting r this way is ε-DP. Computed with the max-shift
 * (log-sum-exp) so large utilities do not overflow.
 */
export function exponentialMechanismProbabilities(
  utilities: ArrayLike<number>,
  sensitivity: number,
  epsilon: number,
): Float64Array {
  return selectionProbabilities('exponentialMechanismProbabilities', utilities, sensitivity, epsilon);
}

/** {@link exponentialMechanismProbabilities}, its errors naming `where` (the function the caller called). */
function selectionProbabilities(
  where: string,
  utilities: ArrayLike<number>,
  sensitivity: number,
  epsilon: number,
): Float64Array {
  requirePositive(where, 'sensitivity', sensitivity);
  requirePositive(where, 'epsilon', epsilon);
  requireNumberList(where, 'utilities', utilities, 'finite utility scores, one per candidate', '[0, 1, 2]');
  if (utilities.length === 0) throw argumentError(where, 'utilities must not be empty', { option: 'utilities' });
  const factor = epsilon / (2 * sensitivity);
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < utilities.length; i++) {
    if (!Number.isFinite(utilities[i])) {
      throw argumentError(where, `utilities[${i}] must be finite, got ${utilities[i]}`, { option: 'utilities' });
    }
    if (utilities[i] > max) max = utilities[i];
  }
  const probabilities = new Float64Array(utilities.length);
  let sum = 0;
  for (let i = 0; i < utilities.length; i++) {
    probabilities[i] = Math.exp(factor * (utilities[i] - max));
    sum += probabilities[i];
  }
  for (let i = 0; i < probabilities.length; i++) probabilities[i] /= sum;
  return probabilities;
}

const EXPONENTIAL_OPTIONS = optionNames<{
  utilities: ArrayLike<number>;
  sensitivity: number;
  epsilon: number;
  rng: Rng;
}>({ utilities: true, sensitivity: true, epsilon: true, rng: true });

/**
 * The exponential mechanism: returns the index of the selected candidate, drawn with probability
 * ∝ exp(ε·u / (2Δu)) by inverting the CDF with one `rng.nextFloat()`. ε-DP for utilities with sensitivity Δu.
 * An unknown option name is E_CONFIG; bad values are E_ARGUMENT.
 */
export function exponentialMechanism(options: {
  utilities: ArrayLike<number>;
  sensitivity: number;
  epsilon: number;
  rng: Rng;
}): number {
  const where = 'exponentialMechanism';
  rejectUnknownOptions(where, options, EXPONENTIAL_OPTIONS);
  requireRng(where, options.rng);
  const probabilities = selectionProbabilities(where, options.utilities, options.sensitivity, options.epsilon);
  const u = options.rng.nextFloat();
  let cumulative = 0;
  for (let i = 0; i < probabilities.length; i++) {
    cumulative += probabilities[i];
    if (u < cumulative) return i;
  }
  // Rounding can leave the cumulative sum a hair below 1: fall back to the last candidate with positive mass.
  for (let i = probabilities.length - 1; i >= 0; i--) if (probabilities[i] > 0) return i;
  return probabilities.length - 1;
}
