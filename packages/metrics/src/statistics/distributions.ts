import { argumentError } from '@trustrec/core-linalg';

/**
 * Distribution functions for the statistics (no dependency): log-gamma (Lanczos, g = 7, n = 9; ≈ 1e-15
 * relative), regularized incomplete gamma and beta functions (series / Lentz continued fractions, Numerical
 * Recipes §6.2 and §6.4), and from them the normal and Student-t CDFs and quantiles.
 */

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0. */
export function logGamma(x: number): number {
  if (!(x > 0)) throw argumentError('logGamma', `x must be > 0, got ${x}`);
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let sum = LANCZOS[0];
  for (let i = 1; i < 9; i++) sum += LANCZOS[i] / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

const EPSILON = 1e-16;
const TINY = 1e-300;
const MAX_ITERATIONS = 10_000;

/** Regularized lower incomplete gamma P(a, x) = γ(a, x) / Γ(a), a > 0, x ≥ 0. */
export function regularizedGammaP(a: number, x: number): number {
  if (!(a > 0) || !(x >= 0)) throw argumentError('regularizedGammaP', `needs a > 0 and x ≥ 0, got a = ${a}, x = ${x}`);
  if (x === 0) return 0;
  if (x < a + 1) return gammaSeries(a, x);
  return 1 - gammaContinuedFraction(a, x);
}

/** Regularized upper incomplete gamma Q(a, x) = 1 − P(a, x), computed directly in the tail (no cancellation). */
export function regularizedGammaQ(a: number, x: number): number {
  if (!(a > 0) || !(x >= 0)) throw argumentError('regularizedGammaQ', `needs a > 0 and x ≥ 0, got a = ${a}, x = ${x}`);
  if (x === 0) return 1;
  if (x < a + 1) return 1 - gammaSeries(a, x);
  return gammaContinuedFraction(a, x);
}

function gammaSeries(a: number, x: number): number {
  let term = 1 / a;
  let sum = term;
  for (let n = 1; n < MAX_ITERATIONS; n++) {
    term *= x / (a + n);
    sum += term;
    if (Math.abs(term) < Math.abs(sum) * EPSILON) break;
  }
  return sum * Math.exp(-x + a * Math.log(x) - logGamma(a));
}

function gammaContinuedFraction(a: number, x: number): number {
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < MAX_ITERATIONS; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPSILON) break;
  }
  return Math.exp(-x + a * Math.log(x) - logGamma(a)) * h;
}

/** Regularized incomplete beta I_x(a, b), a, b > 0, 0 ≤ x ≤ 1. */
export function regularizedIncompleteBeta(x: number, a: number, b: number): number {
  if (!(a > 0) || !(b > 0) || !(x >= 0 && x <= 1)) {
    throw argumentError('regularizedIncompleteBeta', `needs a, b > 0 and 0 ≤ x ≤ 1, got x = ${x}, a = ${a}, b = ${b}`);
  }
  if (x === 0) return 0;
  if (x === 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x));
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(x, a, b)) / a;
  return 1 - (front * betaContinuedFraction(1 - x, b, a)) / b;
}

function betaContinuedFraction(x: number, a: number, b: number): number {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m < MAX_ITERATIONS; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPSILON) break;
  }
  return h;
}

/** Standard normal CDF Φ(z) = ½·erfc(−z/√2), with erfc from the incomplete gamma function (accurate in both tails). */
export function normalCdf(z: number): number {
  if (Number.isNaN(z)) throw argumentError('normalCdf', 'z is NaN');
  if (z === Number.POSITIVE_INFINITY) return 1;
  if (z === Number.NEGATIVE_INFINITY) return 0;
  const x = (z * z) / 2;
  // erfc(t) = Q(½, t²) for t ≥ 0.
  const tail = 0.5 * regularizedGammaQ(0.5, x);
  return z < 0 ? tail : 1 - tail;
}

/** Survival function of the standard normal, 1 − Φ(z), without cancellation for large z. */
export function normalSurvival(z: number): number {
  return normalCdf(-z);
}

/** Student-t CDF with ν > 0 degrees of freedom: for t ≥ 0, 1 − ½·I_{ν/(ν+t²)}(ν/2, ½). */
export function studentTCdf(t: number, degreesOfFreedom: number): number {
  if (!(degreesOfFreedom > 0))
    throw argumentError('studentTCdf', `degreesOfFreedom must be > 0, got ${degreesOfFreedom}`);
  if (Number.isNaN(t)) throw argumentError('studentTCdf', 't is NaN');
  if (t === Number.POSITIVE_INFINITY) return 1;
  if (t === Number.NEGATIVE_INFINITY) return 0;
  const tail =
    0.5 * regularizedIncompleteBeta(degreesOfFreedom / (degreesOfFreedom + t * t), degreesOfFreedom / 2, 0.5);
  return t < 0 ? tail : 1 - tail;
}

/** Inverse of a continuous increasing CDF by bracketing and bisection to machine precision. */
function invert(cdf: (x: number) => number, p: number): number {
  let low = -1;
  let high = 1;
  while (cdf(low) > p) low *= 2;
  while (cdf(high) < p) high *= 2;
  for (let i = 0; i < 200; i++) {
    const middle = (low + high) / 2;
    if (middle === low || middle === high) break;
    if (cdf(middle) < p) low = middle;
    else high = middle;
  }
  return (low + high) / 2;
}

function checkProbability(where: string, p: number): void {
  if (!(p > 0 && p < 1)) throw argumentError(where, `p must be in (0, 1), got ${p}`);
}

/** Standard normal quantile Φ⁻¹(p), 0 < p < 1. */
export function normalQuantile(p: number): number {
  checkProbability('normalQuantile', p);
  return invert(normalCdf, p);
}

/** Student-t quantile: the t with P(T ≤ t) = p for ν degrees of freedom, 0 < p < 1. */
export function studentTQuantile(p: number, degreesOfFreedom: number): number {
  checkProbability('studentTQuantile', p);
  if (!(degreesOfFreedom > 0))
    throw argumentError('studentTQuantile', `degreesOfFreedom must be > 0, got ${degreesOfFreedom}`);
  return invert((t) => studentTCdf(t, degreesOfFreedom), p);
}
