/**
 * Special functions the privacy accountant and the mechanisms need, in double precision and in log space where
 * the values under- or overflow: log-gamma, log-binomial, erf / erfc / log-erfc, the standard normal CDF and its
 * logarithm, and log-add / log-sub / log-sum-exp. No dependency: every function here is tested against values
 * from a reference implementation (Python's `math.lgamma` / `math.erfc`, scipy's `log_ndtr`) in
 * `special-functions.test.ts`.
 */

const LOG_PI = Math.log(Math.PI);
const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);
const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
const SQRT_HALF = Math.SQRT1_2;

/** Lanczos coefficients for g = 7, n = 9 (Numerical Recipes / Godfrey); about 15 correct digits for x > 0. */
const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
] as const;

/**
 * log |Γ(x)| for real x (Lanczos approximation for x ≥ 0.5, the reflection formula Γ(x)Γ(1−x) = π / sin(πx)
 * below). Returns +Infinity at the poles x = 0, −1, −2, ….
 */
export function logGamma(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x < 0.5) {
    if (Number.isInteger(x)) return Number.POSITIVE_INFINITY;
    // sin(πx) computed on the reduced argument keeps precision for large negative x.
    const reduced = x - 2 * Math.floor(x / 2);
    const sine = Math.abs(Math.sin(Math.PI * reduced));
    return LOG_PI - Math.log(sine) - logGamma(1 - x);
  }
  if (x === 1 || x === 2) return 0;
  const z = x - 1;
  let sum = LANCZOS[0];
  for (let i = 1; i < LANCZOS.length; i++) sum += LANCZOS[i] / (z + i);
  const t = z + LANCZOS_G + 0.5;
  return HALF_LOG_TWO_PI + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/**
 * log |C(n, k)| = log|Γ(n+1)| − log|Γ(k+1)| − log|Γ(n−k+1)| for real n ≥ 0 and integer k ≥ 0 (the generalised
 * binomial coefficient when n is fractional and k > n). Exact integer cases return the log of the exact sum of
 * logs of small factors to avoid Lanczos error on small arguments.
 */
export function logBinomial(n: number, k: number): number {
  if (k < 0) return Number.NEGATIVE_INFINITY;
  if (k === 0) return 0;
  if (Number.isInteger(n) && k > n) return Number.NEGATIVE_INFINITY;
  if (Number.isInteger(n) && n <= 64) {
    // Exact-ish product for small integer n: sum of log((n - i) / (i + 1)), i < min(k, n - k).
    const m = Math.min(k, n - k);
    let result = 0;
    for (let i = 0; i < m; i++) result += Math.log((n - i) / (i + 1));
    return result;
  }
  return logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1);
}

/** log(exp(a) + exp(b)) without overflow; −Infinity is the log of zero. */
export function logAddExp(a: number, b: number): number {
  const high = Math.max(a, b);
  const low = Math.min(a, b);
  if (high === Number.NEGATIVE_INFINITY) return Number.NEGATIVE_INFINITY;
  if (high === Number.POSITIVE_INFINITY) return Number.POSITIVE_INFINITY;
  return high + Math.log1p(Math.exp(low - high));
}

/** log(exp(a) − exp(b)) for a ≥ b; NaN when a < b, −Infinity when a = b. */
export function logSubExp(a: number, b: number): number {
  if (a < b) return Number.NaN;
  if (b === Number.NEGATIVE_INFINITY) return a;
  if (a === b) return Number.NEGATIVE_INFINITY;
  return a + Math.log1p(-Math.exp(b - a));
}

/** log Σ exp(values[i]) over a range, shifted by the maximum. */
export function logSumExp(values: ArrayLike<number>): number {
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < values.length; i++) if (values[i] > max) max = values[i];
  if (max === Number.NEGATIVE_INFINITY || max === Number.POSITIVE_INFINITY) return max;
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += Math.exp(values[i] - max);
  return max + Math.log(sum);
}

/**
 * erf(x) for |x| < 3 by the everywhere-positive series erf(x) = (2/√π) e^{−x²} Σ_n 2^n x^{2n+1} / (2n+1)!!
 * (Abramowitz & Stegun 7.1.6): no cancellation, so full relative precision.
 */
function erfSeries(x: number): number {
  const x2 = x * x;
  let term = x;
  let sum = x;
  for (let n = 1; n < 200; n++) {
    term *= (2 * x2) / (2 * n + 1);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
}

/**
 * The continued fraction erfc(x) = e^{−x²}/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))) (A&S 7.1.14), for
 * x ≥ 2, evaluated with the modified Lentz method. Returns log(√π e^{x²} erfc(x)) = −log of the fraction's
 * denominator, so the caller can stay in log space.
 */
function logErfcContinuedFractionFactor(x: number): number {
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let n = 1; n < 5000; n++) {
    const a = n / 2;
    d = x + a * d;
    if (Math.abs(d) < tiny) d = tiny;
    d = 1 / d;
    c = x + a / c;
    if (Math.abs(c) < tiny) c = tiny;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return -Math.log(f);
}

/** The error function erf(x). */
export function erf(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x < 0) return -erf(-x);
  if (x < 3) return erfSeries(x);
  return 1 - erfc(x);
}

/** The complementary error function erfc(x) = 1 − erf(x), accurate in relative terms for large x. */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x < 2) return x < 0 ? 1 + erf(-x) : 1 - erfSeries(x);
  return Math.exp(logErfc(x));
}

/** log erfc(x), finite for every finite x (≈ −x² − log(x√π) for large x). */
export function logErfc(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x === Number.POSITIVE_INFINITY) return Number.NEGATIVE_INFINITY;
  if (x < 2) return Math.log(erfc(x));
  return -x * x - 0.5 * LOG_PI + logErfcContinuedFractionFactor(x);
}

/** The standard normal CDF Φ(x) = erfc(−x/√2)/2. */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x * SQRT_HALF);
}

/** log Φ(x), accurate far into the lower tail (scipy's `log_ndtr`). */
export function logNormalCdf(x: number): number {
  if (x > 5) return Math.log1p(-0.5 * erfc(x * SQRT_HALF));
  return Math.log(0.5) + logErfc(-x * SQRT_HALF);
}
