import { type Rng, argumentError, optionNames, rejectUnknownOptions } from '@trustrec/core-linalg';
import { requireCount, requireNumberList, requirePositive, requireRng } from '../internal/validate.js';

/**
 * Probability of reporting the true bit in ε-LDP binary randomized response: p = e^ε / (1 + e^ε)
 * (Warner 1965; Kasiviswanathan et al. 2011). Each user's report is ε-locally-DP: the likelihood ratio of any
 * report under two inputs is at most p / (1 − p) = e^ε.
 */
export function binaryRandomizedResponseProbability(epsilon: number): number {
  return binaryProbability('binaryRandomizedResponseProbability', epsilon);
}

/** {@link binaryRandomizedResponseProbability}, its errors naming `where` (the function the caller called). */
function binaryProbability(where: string, epsilon: number): number {
  requirePositive(where, 'epsilon', epsilon);
  return 1 / (1 + Math.exp(-epsilon));
}

const BINARY_OPTIONS = optionNames<{ value: boolean; epsilon: number; rng: Rng }>({
  value: true,
  epsilon: true,
  rng: true,
});
const KARY_OPTIONS = optionNames<{ value: number; k: number; epsilon: number; rng: Rng }>({
  value: true,
  k: true,
  epsilon: true,
  rng: true,
});

/**
 * Binary randomized response: reports `value` with probability e^ε/(1+e^ε), its negation otherwise. ε-LDP.
 * `value` must be a boolean (E_ARGUMENT: a 0/1 or a string would be negated by truthiness); an unknown option name
 * is E_CONFIG.
 */
export function randomizedResponseBinary(options: { value: boolean; epsilon: number; rng: Rng }): boolean {
  const where = 'randomizedResponseBinary';
  rejectUnknownOptions(where, options, BINARY_OPTIONS);
  if (typeof options.value !== 'boolean') {
    throw argumentError(where, `value must be a boolean (the user's true bit), got ${String(options.value)}`, {
      option: 'value',
      value: options.value,
    });
  }
  requireRng(where, options.rng);
  const p = binaryProbability(where, options.epsilon);
  return options.rng.nextFloat() < p ? options.value : !options.value;
}

/**
 * Unbiased estimate of the true fraction π of `true` inputs from n binary randomized-response reports with
 * `trueReports` of them `true`: π̂ = (λ̂ − (1 − p)) / (2p − 1), λ̂ = trueReports / n (Warner 1965). It can fall
 * outside [0, 1] (unbiasedness forbids clamping); Var[π̂] = λ(1−λ) / (n (2p−1)²) with λ = E[λ̂].
 */
export function estimateBinaryFrequency(trueReports: number, total: number, epsilon: number): number {
  const where = 'estimateBinaryFrequency';
  requireCount(where, 'total', total, 1);
  requireCount(where, 'trueReports', trueReports, 0);
  if (trueReports > total)
    throw argumentError(where, `trueReports (${trueReports}) must not exceed total (${total})`, {
      option: 'trueReports',
    });
  const p = binaryProbability(where, epsilon);
  return (trueReports / total - (1 - p)) / (2 * p - 1);
}

/**
 * Reporting probabilities of k-ary (generalised) randomized response, a.k.a. direct encoding (Kairouz, Oh &
 * Viswanath 2014; Wang, Blocki, Li & Jha 2017, Sec. 4.1): the true value with p = e^ε / (e^ε + k − 1), each
 * other value with q = 1 / (e^ε + k − 1). ε-LDP since p/q = e^ε.
 */
export function karyRandomizedResponseProbabilities(k: number, epsilon: number): { p: number; q: number } {
  const where = 'karyRandomizedResponseProbabilities';
  requireCount(where, 'k', k, 2);
  return karyProbabilities(where, k, epsilon);
}

/**
 * {@link karyRandomizedResponseProbabilities} for a `k` the caller has checked (an integer ≥ 2), its ε error
 * naming `where` (the function the caller called).
 */
function karyProbabilities(where: string, k: number, epsilon: number): { p: number; q: number } {
  requirePositive(where, 'epsilon', epsilon);
  const denominator = Math.exp(epsilon) + k - 1;
  return { p: Math.exp(epsilon) / denominator, q: 1 / denominator };
}

/**
 * k-ary randomized response over the categories {0, …, k−1} (e.g. a rating level for local DP of ratings): the
 * true category with probability p, otherwise one of the k − 1 others uniformly. ε-LDP. An unknown option name is
 * E_CONFIG.
 */
export function randomizedResponseKary(options: { value: number; k: number; epsilon: number; rng: Rng }): number {
  const where = 'randomizedResponseKary';
  rejectUnknownOptions(where, options, KARY_OPTIONS);
  const { value, k, rng } = options;
  requireRng(where, rng);
  requireCount(where, 'k', k, 2);
  const { p } = karyProbabilities(where, k, options.epsilon);
  if (!Number.isInteger(value) || value < 0 || value >= k) {
    throw argumentError(where, `value must be an integer category in [0, ${k - 1}], got ${value}`, {
      option: 'value',
      value,
    });
  }
  if (rng.nextFloat() < p) return value;
  const other = rng.nextInt(k - 1);
  return other >= value ? other + 1 : other;
}

/**
 * Unbiased frequency estimates from k-ary randomized-response report counts (Wang et al. 2017, Eq. 2):
 * f̂_v = (c_v / n − q) / (p − q), n = Σ c_v. Estimates sum to 1 and may be negative (no clamping: that would
 * bias them). Var[f̂_v] = q(1−q)/(n(p−q)²) + f_v(1−p−q)/(n(p−q)).
 */
export function estimateKaryFrequencies(counts: ArrayLike<number>, epsilon: number): Float64Array {
  const where = 'estimateKaryFrequencies';
  requireNumberList(where, 'counts', counts, 'report counts, one per category', '[12, 30, 8]');
  const k = counts.length;
  if (!(k >= 2)) {
    throw argumentError(
      where,
      `counts must hold one report count per category, at least 2 (k-ary randomized response needs k ≥ 2), got ${k}`,
      { option: 'counts', value: k },
    );
  }
  const { p, q } = karyProbabilities(where, k, epsilon);
  let total = 0;
  for (let v = 0; v < k; v++) {
    if (!(Number.isInteger(counts[v]) && counts[v] >= 0)) {
      throw argumentError(where, `counts[${v}] must be a non-negative integer, got ${counts[v]}`, { option: 'counts' });
    }
    total += counts[v];
  }
  if (total === 0) throw argumentError(where, 'counts must contain at least one report', { option: 'counts' });
  const estimates = new Float64Array(k);
  for (let v = 0; v < k; v++) estimates[v] = (counts[v] / total - q) / (p - q);
  return estimates;
}
