import { argumentError, shapeError, rejectUnknownOptions } from '@trustrec/core-linalg';
import { numericError } from '../checks.js';
import { normalCdf, studentTCdf } from './distributions.js';

/** Which alternative hypothesis about the paired differences a − b: `two-sided` (≠ 0), `greater` (> 0), `less` (< 0). */
export type Alternative = 'two-sided' | 'greater' | 'less';

function pairedDifferences(where: string, a: ArrayLike<number>, b: ArrayLike<number>): Float64Array {
  if (a.length !== b.length)
    throw shapeError(
      where,
      `a has ${a.length} entries but b has ${b.length}; paired tests need one value per user (or seed) in each`,
    );
  const differences = new Float64Array(a.length);
  for (let t = 0; t < a.length; t++) {
    if (!Number.isFinite(a[t]) || !Number.isFinite(b[t])) {
      throw numericError(
        where,
        `pair ${t} is not finite (a = ${a[t]}, b = ${b[t]}); drop users whose metric is undefined from both arrays first`,
        { index: t },
      );
    }
    differences[t] = a[t] - b[t];
  }
  return differences;
}

function checkAlternative(where: string, alternative: Alternative): void {
  if (alternative !== 'two-sided' && alternative !== 'greater' && alternative !== 'less') {
    throw argumentError(where, `alternative must be 'two-sided', 'greater' or 'less', got ${String(alternative)}`);
  }
}

export interface PairedTTestResult {
  /** t = mean(d) / (sd(d) / √n), d = a − b, sd with n − 1. */
  readonly statistic: number;
  readonly degreesOfFreedom: number;
  readonly pValue: number;
  readonly meanDifference: number;
  readonly standardError: number;
  readonly n: number;
  readonly alternative: Alternative;
}

/**
 * Paired (dependent-samples) t-test on per-user or per-seed results a and b: d = a − b,
 * t = d̄ / (s_d / √n) with n − 1 degrees of freedom, p from the Student-t CDF. When every difference is equal
 * (s_d = 0) the statistic is ±∞ (p = 0 for the matching alternative) or, if all are 0, NaN with p = 1.
 * Same as scipy.stats.ttest_rel.
 */
export function pairedTTest(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  options: { alternative?: Alternative } = {},
): PairedTTestResult {
  const where = 'pairedTTest';
  rejectUnknownOptions(where, options, ['alternative']);
  const alternative = options.alternative ?? 'two-sided';
  checkAlternative(where, alternative);
  const d = pairedDifferences(where, a, b);
  const n = d.length;
  if (n < 2) throw argumentError(where, `needs at least 2 pairs, got ${n}`);
  let mean = 0;
  for (let t = 0; t < n; t++) mean += d[t];
  mean /= n;
  let squares = 0;
  for (let t = 0; t < n; t++) squares += (d[t] - mean) ** 2;
  const standardError = Math.sqrt(squares / (n - 1) / n);
  const degreesOfFreedom = n - 1;
  let statistic: number;
  let pValue: number;
  if (standardError === 0) {
    statistic = mean === 0 ? Number.NaN : mean > 0 ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
    if (mean === 0) pValue = 1;
    else if (alternative === 'two-sided') pValue = 0;
    else pValue = (alternative === 'greater') === mean > 0 ? 0 : 1;
  } else {
    statistic = mean / standardError;
    if (alternative === 'greater') pValue = studentTCdf(-statistic, degreesOfFreedom);
    else if (alternative === 'less') pValue = studentTCdf(statistic, degreesOfFreedom);
    else pValue = Math.min(1, 2 * studentTCdf(-Math.abs(statistic), degreesOfFreedom));
  }
  return { statistic, degreesOfFreedom, pValue, meanDifference: mean, standardError, n, alternative };
}

export interface WilcoxonResult {
  /** W⁺: the sum of the ranks of |d| over positive differences d = a − b. */
  readonly statistic: number;
  readonly wPlus: number;
  readonly wMinus: number;
  /** Number of non-zero differences (zeros are dropped, Wilcoxon's original method). */
  readonly n: number;
  readonly zeros: number;
  readonly pValue: number;
  /** `exact`: the null distribution of W⁺ by enumeration; `normal`: normal approximation with tie correction. */
  readonly method: 'exact' | 'normal';
  /** The z-score of the normal approximation (NaN for the exact method). */
  readonly z: number;
  readonly alternative: Alternative;
}

/**
 * Wilcoxon signed-rank test on paired results (Wilcoxon 1945): d = a − b, zero differences dropped, |d| ranked
 * with average ranks for ties, W⁺ = Σ ranks of positive d. p-value: `exact` (default when n ≤ 50 and no tied
 * |d|) from the exact null distribution of W⁺ (each of the 2ⁿ sign patterns equally likely, counted by dynamic
 * programming); otherwise `normal` with mean n(n+1)/4 and variance n(n+1)(2n+1)/24 − Σ(t³ − t)/48 over tie groups
 * (optional continuity correction 0.5). Two-sided p = min(1, 2·min(P(W⁺ ≤ w), P(W⁺ ≥ w))). Matches
 * scipy.stats.wilcoxon (zero_method='wilcox', correction=False by default). With no non-zero difference,
 * p = 1 (also with no pair at all: `n` and `zeros` are then 0).
 */
export function wilcoxonSignedRank(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  options: { alternative?: Alternative; method?: 'auto' | 'exact' | 'normal'; continuityCorrection?: boolean } = {},
): WilcoxonResult {
  const where = 'wilcoxonSignedRank';
  rejectUnknownOptions(where, options, ['alternative', 'method', 'continuityCorrection']);
  const alternative = options.alternative ?? 'two-sided';
  checkAlternative(where, alternative);
  const requested = options.method ?? 'auto';
  if (requested !== 'auto' && requested !== 'exact' && requested !== 'normal') {
    throw argumentError(where, `method must be 'auto', 'exact' or 'normal', got ${String(requested)}`);
  }
  const continuityCorrection = options.continuityCorrection ?? false;
  if (typeof continuityCorrection !== 'boolean') {
    throw argumentError(
      where,
      `continuityCorrection must be true or false, got ${JSON.stringify(continuityCorrection)}`,
      {
        option: 'continuityCorrection',
      },
    );
  }
  const all = pairedDifferences(where, a, b);
  const nonZero = all.filter((value) => value !== 0);
  const n = nonZero.length;
  const zeros = all.length - n;
  if (n === 0) {
    return {
      statistic: 0,
      wPlus: 0,
      wMinus: 0,
      n: 0,
      zeros,
      pValue: 1,
      method: requested === 'normal' ? 'normal' : 'exact',
      z: Number.NaN,
      alternative,
    };
  }
  const order = Array.from({ length: n }, (_, t) => t).sort((x, y) => Math.abs(nonZero[x]) - Math.abs(nonZero[y]));
  let wPlus = 0;
  let tieTerm = 0;
  let hasTies = false;
  for (let start = 0; start < n; ) {
    let end = start + 1;
    while (end < n && Math.abs(nonZero[order[end]]) === Math.abs(nonZero[order[start]])) end++;
    const size = end - start;
    if (size > 1) {
      hasTies = true;
      tieTerm += size ** 3 - size;
    }
    const averageRank = (start + 1 + end) / 2;
    for (let t = start; t < end; t++) if (nonZero[order[t]] > 0) wPlus += averageRank;
    start = end;
  }
  const total = (n * (n + 1)) / 2;
  const wMinus = total - wPlus;
  let method: 'exact' | 'normal' = requested === 'auto' ? (n <= 50 && !hasTies ? 'exact' : 'normal') : requested;
  if (method === 'exact' && hasTies) {
    throw argumentError(
      where,
      'the exact method needs untied |a − b|; use method "normal" (or "auto") with tied differences',
    );
  }
  if (method === 'exact' && n > 400)
    throw argumentError(where, `the exact method supports up to 400 non-zero pairs, got ${n}; use "normal"`);
  let pValue: number;
  let z = Number.NaN;
  if (method === 'exact') {
    // counts[s] = number of sign patterns with W⁺ = s; probabilities after dividing by 2ⁿ (kept as probabilities to avoid overflow).
    const probabilities = new Float64Array(total + 1);
    probabilities[0] = 1;
    let reach = 0;
    for (let rank = 1; rank <= n; rank++) {
      reach += rank;
      for (let s = reach; s >= 0; s--)
        probabilities[s] = 0.5 * (probabilities[s] + (s >= rank ? probabilities[s - rank] : 0));
    }
    let lower = 0;
    for (let s = 0; s <= wPlus; s++) lower += probabilities[s];
    let upper = 0;
    for (let s = wPlus; s <= total; s++) upper += probabilities[s];
    if (alternative === 'greater') pValue = upper;
    else if (alternative === 'less') pValue = lower;
    else pValue = Math.min(1, 2 * Math.min(lower, upper));
  } else {
    method = 'normal';
    const mean = total / 2;
    const variance = (n * (n + 1) * (2 * n + 1)) / 24 - tieTerm / 48;
    const sd = Math.sqrt(variance);
    const correction = continuityCorrection ? 0.5 : 0;
    const difference = wPlus - mean;
    if (alternative === 'greater') {
      z = (difference - correction) / sd;
      pValue = normalCdf(-z);
    } else if (alternative === 'less') {
      z = (difference + correction) / sd;
      pValue = normalCdf(z);
    } else {
      z = (difference - Math.sign(difference) * correction) / sd;
      pValue = Math.min(1, 2 * normalCdf(-Math.abs(z)));
    }
  }
  return { statistic: wPlus, wPlus, wMinus, n, zeros, pValue: Math.min(1, pValue), method, z, alternative };
}
