import { argumentError, shapeError } from '@trustrec/core-linalg';
import { numericError } from '../checks.js';

type Numbers = ArrayLike<number>;

function checkPairs(where: string, predicted: Numbers, actual: Numbers): void {
  if (predicted.length !== actual.length) {
    throw shapeError(where, `predicted has ${predicted.length} entries but actual has ${actual.length}`);
  }
  if (predicted.length === 0)
    throw argumentError(where, 'predicted and actual are empty; an error over no ratings is undefined');
}

function checkFinite(where: string, name: string, value: number, index: number): void {
  if (!Number.isFinite(value))
    throw numericError(where, `${name}[${index}] must be a finite number, got ${value}`, { option: name, index });
}

/**
 * Root mean square error over the observed test ratings Ω (seed 003, Appendix B):
 * RMSE = sqrt( (1/|Ω|) Σ_{(i,j)∈Ω} (M̂_ij − M_ij)² ).
 * Seed 003's eq. 17 prints 1/|Ω| outside the square root, a typo: with it the "RMSE" would shrink as the test
 * set grows. This is the standard definition, and it matches the values the paper reports (≈ 0.85 on MovieLens).
 */
export function rmse(predicted: Numbers, actual: Numbers): number {
  checkPairs('rmse', predicted, actual);
  let sum = 0;
  for (let t = 0; t < predicted.length; t++) {
    checkFinite('rmse', 'predicted', predicted[t], t);
    checkFinite('rmse', 'actual', actual[t], t);
    const difference = predicted[t] - actual[t];
    sum += difference * difference;
  }
  return Math.sqrt(sum / predicted.length);
}

/** Mean absolute error over the observed test ratings: MAE = (1/|Ω|) Σ |M̂_ij − M_ij|. */
export function mae(predicted: Numbers, actual: Numbers): number {
  checkPairs('mae', predicted, actual);
  let sum = 0;
  for (let t = 0; t < predicted.length; t++) {
    checkFinite('mae', 'predicted', predicted[t], t);
    checkFinite('mae', 'actual', actual[t], t);
    sum += Math.abs(predicted[t] - actual[t]);
  }
  return sum / predicted.length;
}
