import { createRng } from '@trustrec/core-linalg';
import { bootstrapConfidenceInterval } from '@trustrec/metrics';

/** A 95 % interval of a mean over users, and its bootstrap standard error. */
export interface UserInterval {
  lower: number;
  upper: number;
  standardError: number;
}

/**
 * 95 % percentile-bootstrap interval of the mean of per-user values (a metric's `perUser` array, or the per-user
 * differences of two models), from a fixed seed so that the same values always give the same interval. It says
 * how much the mean would move on another sample of users of the same size, not how much training seeds move it.
 */
export function userInterval(perUser: ArrayLike<number>, resamples: number, seed: number): UserInterval {
  const { lower, upper, standardError } = bootstrapConfidenceInterval(perUser, {
    rng: createRng(seed),
    resamples,
    confidenceLevel: 0.95,
  });
  return { lower, upper, standardError };
}
