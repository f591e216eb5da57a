import { type Rng, argumentError, rejectUnknownOptions } from '@trustrec/core-linalg';
import { numericError } from '../checks.js';
import { studentTQuantile } from './distributions.js';

export interface ConfidenceInterval {
  /** The statistic on the original sample (mean by default). */
  readonly estimate: number;
  readonly lower: number;
  readonly upper: number;
  readonly confidenceLevel: number;
}

function checkLevel(where: string, level: number): void {
  if (!(level > 0 && level < 1))
    throw argumentError(where, `confidenceLevel must be in (0, 1), got ${level}`, { option: 'confidenceLevel' });
}

function checkValues(where: string, values: ArrayLike<number>, minimum: number): void {
  if (values.length < minimum) throw argumentError(where, `needs at least ${minimum} values, got ${values.length}`);
  for (let t = 0; t < values.length; t++) {
    if (!Number.isFinite(values[t]))
      throw numericError(where, `values[${t}] is not finite (${values[t]}); drop undefined per-user results first`, {
        index: t,
      });
  }
}

/** Quantile of ascending `sorted` with linear interpolation between order statistics (numpy's default, type 7). */
export function quantileOfSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) throw argumentError('quantileOfSorted', 'sorted is empty');
  if (!(q >= 0 && q <= 1)) throw argumentError('quantileOfSorted', `q must be in [0, 1], got ${q}`);
  const position = q * (n - 1);
  const low = Math.floor(position);
  const high = Math.min(n - 1, low + 1);
  const fraction = position - low;
  return sorted[low] + fraction * (sorted[high] - sorted[low]);
}

export interface BootstrapOptions {
  /** Source of the resampling draws (required: no hidden randomness). */
  readonly rng: Rng;
  /** Number of bootstrap resamples (default 2000). */
  readonly resamples?: number;
  /** Default 0.95. */
  readonly confidenceLevel?: number;
  /** The statistic of a resample (default: the mean, computed without allocating resamples). */
  readonly statistic?: (sample: Float64Array) => number;
}

export interface BootstrapInterval extends ConfidenceInterval {
  readonly resamples: number;
  /** Standard deviation of the bootstrap statistics (the bootstrap standard error). */
  readonly standardError: number;
}

const BOOTSTRAP_OPTIONS: readonly string[] = Object.keys({
  rng: true,
  resamples: true,
  confidenceLevel: true,
  statistic: true,
} satisfies Record<keyof BootstrapOptions, true>);

function statisticError(where: string, value: number, on: string): Error {
  return numericError(
    where,
    `options.statistic returned ${value} on ${on}; it must return a finite number (a NaN would corrupt the quantiles)`,
    { option: 'statistic' },
  );
}

/**
 * Percentile bootstrap confidence interval (Efron & Tibshirani 1993, §13.3): draw `resamples` samples of size n
 * with replacement from `values` (per-user results, or per-seed results), compute the statistic on each, and
 * take the (1 − level)/2 and (1 + level)/2 quantiles of those statistics. For a paired comparison of two
 * systems pass the per-user differences a − b. A non-finite value or statistic is E_NUMERIC; an unknown option
 * name is E_CONFIG.
 */
export function bootstrapConfidenceInterval(values: ArrayLike<number>, options: BootstrapOptions): BootstrapInterval {
  const where = 'bootstrapConfidenceInterval';
  rejectUnknownOptions(where, options, BOOTSTRAP_OPTIONS);
  checkValues(where, values, 1);
  const resamples = options.resamples ?? 2000;
  if (!Number.isInteger(resamples) || resamples < 1)
    throw argumentError(where, `resamples must be a positive integer, got ${resamples}`);
  const confidenceLevel = options.confidenceLevel ?? 0.95;
  checkLevel(where, confidenceLevel);
  const { rng, statistic } = options;
  if (!rng || typeof rng.nextInt !== 'function')
    throw argumentError(where, 'options.rng is required (createRng(seed) from @trustrec/core-linalg)');
  if (statistic !== undefined && typeof statistic !== 'function') {
    const message = `options.statistic must be a function (sample: Float64Array) => number, got ${typeof statistic}`;
    throw argumentError(where, message, { option: 'statistic' });
  }
  const n = values.length;
  const source = Float64Array.from(values);
  const statistics = new Float64Array(resamples);
  const sample = statistic ? new Float64Array(n) : null;
  for (let r = 0; r < resamples; r++) {
    if (sample && statistic) {
      for (let t = 0; t < n; t++) sample[t] = source[rng.nextInt(n)];
      const value = statistic(sample);
      if (!Number.isFinite(value)) throw statisticError(where, value, `resample ${r}`);
      statistics[r] = value;
    } else {
      let sum = 0;
      for (let t = 0; t < n; t++) sum += source[rng.nextInt(n)];
      statistics[r] = sum / n;
    }
  }
  let estimate: number;
  if (statistic) {
    estimate = statistic(source.slice());
    if (!Number.isFinite(estimate)) throw statisticError(where, estimate, 'the original sample');
  } else {
    let sum = 0;
    for (let t = 0; t < n; t++) sum += source[t];
    estimate = sum / n;
  }
  let mean = 0;
  for (let r = 0; r < resamples; r++) mean += statistics[r];
  mean /= resamples;
  let squares = 0;
  for (let r = 0; r < resamples; r++) squares += (statistics[r] - mean) ** 2;
  statistics.sort();
  const alpha = 1 - confidenceLevel;
  return {
    estimate,
    lower: quantileOfSorted(statistics, alpha / 2),
    upper: quantileOfSorted(statistics, 1 - alpha / 2),
    confidenceLevel,
    resamples,
    standardError: resamples > 1 ? Math.sqrt(squares / (resamples - 1)) : 0,
  };
}

export interface MeanConfidenceInterval extends ConfidenceInterval {
  readonly mean: number;
  /** Sample standard deviation (n − 1). */
  readonly standardDeviation: number;
  readonly standardError: number;
  /** t_{(1+level)/2, n−1} · s / √n. */
  readonly halfWidth: number;
  readonly n: number;
  readonly degreesOfFreedom: number;
}

/**
 * Mean ± Student-t confidence interval over independent runs (e.g. one result per seed):
 * x̄ ± t_{(1+level)/2, n−1} · s/√n, s the sample standard deviation. Needs at least 2 values.
 */
export function meanWithConfidenceInterval(
  values: ArrayLike<number>,
  options: { confidenceLevel?: number } = {},
): MeanConfidenceInterval {
  const where = 'meanWithConfidenceInterval';
  rejectUnknownOptions(where, options, ['confidenceLevel']);
  checkValues(where, values, 2);
  const confidenceLevel = options.confidenceLevel ?? 0.95;
  checkLevel(where, confidenceLevel);
  const n = values.length;
  let mean = 0;
  for (let t = 0; t < n; t++) mean += values[t];
  mean /= n;
  let squares = 0;
  for (let t = 0; t < n; t++) squares += (values[t] - mean) ** 2;
  const standardDeviation = Math.sqrt(squares / (n - 1));
  const standardError = standardDeviation / Math.sqrt(n);
  const degreesOfFreedom = n - 1;
  const halfWidth = studentTQuantile((1 + confidenceLevel) / 2, degreesOfFreedom) * standardError;
  return {
    estimate: mean,
    mean,
    lower: mean - halfWidth,
    upper: mean + halfWidth,
    confidenceLevel,
    standardDeviation,
    standardError,
    halfWidth,
    n,
    degreesOfFreedom,
  };
}
