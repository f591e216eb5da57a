/**
 * The one-sample Kolmogorov–Smirnov statistic D = sup_x |F_n(x) − F(x)| of `samples` against the CDF `cdf`
 * (sorts a copy). Used by the statistical tests of the noise samplers.
 */
export function kolmogorovSmirnovStatistic(samples: Float64Array, cdf: (x: number) => number): number {
  const sorted = samples.slice().sort();
  const n = sorted.length;
  let statistic = 0;
  for (let i = 0; i < n; i++) {
    const value = cdf(sorted[i]);
    statistic = Math.max(statistic, (i + 1) / n - value, value - i / n);
  }
  return statistic;
}

/**
 * The asymptotic critical value of the one-sample KS test: P(√n·D > c) ≈ 2 Σ (−1)^{k−1} e^{−2k²c²}; c = 1.949
 * for a false-alarm probability of 0.001 (Kolmogorov distribution quantile; Smirnov 1948 tables).
 */
export function kolmogorovSmirnovCritical(sampleSize: number, level: 0.001 | 0.01 = 0.001): number {
  return (level === 0.001 ? 1.9495 : 1.6276) / Math.sqrt(sampleSize);
}
