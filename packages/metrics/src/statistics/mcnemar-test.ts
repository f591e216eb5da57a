import { argumentError, shapeError, rejectUnknownOptions } from '@trustrec/core-linalg';
import { regularizedGammaQ, regularizedIncompleteBeta } from './distributions.js';
import type { Alternative } from './hypothesis-tests.js';

export interface McNemarResult {
  /** Pairs where a succeeds and b fails (a = 1, b = 0). */
  readonly onlyA: number;
  /** Pairs where b succeeds and a fails (a = 0, b = 1). */
  readonly onlyB: number;
  /** onlyA + onlyB: the discordant pairs, the only ones the test looks at. */
  readonly discordant: number;
  /** `exact`: onlyA itself; `chi-square`: (|onlyA − onlyB| − 1)² / (onlyA + onlyB) (NaN with no discordant pair). */
  readonly statistic: number;
  readonly pValue: number;
  readonly method: 'exact' | 'chi-square';
  readonly alternative: Alternative;
}

/** P(X ≤ k) for X ~ Binomial(n, ½), from the incomplete beta function: I_{½}(n − k, k + 1). */
function binomialHalfCdf(k: number, n: number): number {
  if (k < 0) return 0;
  if (k >= n) return 1;
  return regularizedIncompleteBeta(0.5, n - k, k + 1);
}

/**
 * McNemar's test (McNemar 1947) on paired binary outcomes, such as two recommenders' per-user hits (HR@K) on the
 * same users. Only the discordant pairs carry information: under H₀ (both succeed equally often) a discordant
 * pair is a success of a with probability ½. `exact` (default): the binomial test of onlyA out of
 * onlyA + onlyB at ½, two-sided p = min(1, 2·min(P(X ≤ onlyA), P(X ≥ onlyA))), any sample size;
 * `chi-square`: the classic statistic with Edwards' continuity correction, p from χ²(1) (two-sided only).
 * Same as statsmodels' `mcnemar(table, exact=True)` and `mcnemar(table, exact=False, correction=True)`.
 * With no discordant pair (including no pair at all), p = 1. `greater` tests that a succeeds more often than b.
 */
export function mcNemarTest(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  options: { alternative?: Alternative; method?: 'exact' | 'chi-square' } = {},
): McNemarResult {
  const where = 'mcNemarTest';
  rejectUnknownOptions(where, options, ['alternative', 'method']);
  const alternative = options.alternative ?? 'two-sided';
  if (alternative !== 'two-sided' && alternative !== 'greater' && alternative !== 'less')
    throw argumentError(where, `alternative must be 'two-sided', 'greater' or 'less', got ${String(alternative)}`);
  const method = options.method ?? 'exact';
  if (method !== 'exact' && method !== 'chi-square')
    throw argumentError(where, `method must be 'exact' or 'chi-square', got ${String(method)}`);
  if (method === 'chi-square' && alternative !== 'two-sided')
    throw argumentError(where, `the chi-square method is two-sided only; use method 'exact' for '${alternative}'`);
  if (a.length !== b.length)
    throw shapeError(where, `a has ${a.length} entries but b has ${b.length}; paired tests need one outcome per user`);
  let onlyA = 0;
  let onlyB = 0;
  for (let t = 0; t < a.length; t++) {
    const x = a[t];
    const y = b[t];
    if ((x !== 0 && x !== 1) || (y !== 0 && y !== 1)) {
      throw argumentError(
        where,
        `pair ${t} is not binary (a = ${x}, b = ${y}); McNemar's test takes 0/1 outcomes such as per-user HR@K hits (use pairedTTest or wilcoxonSignedRank for graded metrics)`,
        { index: t },
      );
    }
    if (x > y) onlyA++;
    else if (y > x) onlyB++;
  }
  const discordant = onlyA + onlyB;
  if (method === 'chi-square') {
    if (discordant === 0) return { onlyA, onlyB, discordant, statistic: Number.NaN, pValue: 1, method, alternative };
    const statistic = Math.max(0, Math.abs(onlyA - onlyB) - 1) ** 2 / discordant;
    // χ²(1) survival function: Q(½, x/2).
    const pValue = statistic === 0 ? 1 : regularizedGammaQ(0.5, statistic / 2);
    return { onlyA, onlyB, discordant, statistic, pValue, method, alternative };
  }
  const lower = binomialHalfCdf(onlyA, discordant);
  // P(X ≥ onlyA) = P(X ≤ onlyB) by the symmetry of Binomial(n, ½).
  const upper = binomialHalfCdf(onlyB, discordant);
  const pValue =
    alternative === 'greater' ? upper : alternative === 'less' ? lower : Math.min(1, 2 * Math.min(lower, upper));
  return { onlyA, onlyB, discordant, statistic: onlyA, pValue, method, alternative };
}
