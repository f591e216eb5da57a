import { TrustRecError, shapeError } from '../errors/trust-rec-error.js';
import { requireInteger } from '../errors/validate.js';

/**
 * In-place Cholesky factorisation A = L·Lᵀ of a symmetric positive-definite n×n matrix stored row-major in a
 * Float64Array. On return the lower triangle (diagonal included) holds L; the strict upper triangle is zeroed.
 * Only the lower triangle of the input is read. Throws E_NUMERIC when A is not positive definite — in ALS
 * that means the regularisation λ is zero or negative, or the factors have diverged.
 */
export function choleskyFactorInPlace(matrix: Float64Array, n: number): void {
  requireInteger('choleskyFactor', 'n', n);
  if (matrix.length < n * n)
    throw shapeError('choleskyFactor', `matrix has ${matrix.length} elements, n=${n} needs ${n * n}`);
  for (let j = 0; j < n; j++) {
    const rowJ = j * n;
    let diagonal = matrix[rowJ + j];
    for (let p = 0; p < j; p++) diagonal -= matrix[rowJ + p] * matrix[rowJ + p];
    if (!(diagonal > 0)) {
      throw new TrustRecError({
        code: 'E_NUMERIC',
        message: `choleskyFactor: matrix is not positive definite (pivot ${j} = ${diagonal}); increase the regularisation`,
        details: { pivot: j, value: diagonal },
      });
    }
    const pivot = Math.sqrt(diagonal);
    matrix[rowJ + j] = pivot;
    const inversePivot = 1 / pivot;
    // Column j below the diagonal, four rows at a time: four independent subtraction chains in flight instead of
    // one (each chain is the single-row loop's, in the same order, so the factor is bit-identical to it).
    let i = j + 1;
    for (; i + 3 < n; i += 4) {
      const row0 = i * n;
      const row1 = row0 + n;
      const row2 = row1 + n;
      const row3 = row2 + n;
      let sum0 = matrix[row0 + j];
      let sum1 = matrix[row1 + j];
      let sum2 = matrix[row2 + j];
      let sum3 = matrix[row3 + j];
      for (let p = 0; p < j; p++) {
        const ljp = matrix[rowJ + p];
        sum0 -= matrix[row0 + p] * ljp;
        sum1 -= matrix[row1 + p] * ljp;
        sum2 -= matrix[row2 + p] * ljp;
        sum3 -= matrix[row3 + p] * ljp;
      }
      matrix[row0 + j] = sum0 * inversePivot;
      matrix[row1 + j] = sum1 * inversePivot;
      matrix[row2 + j] = sum2 * inversePivot;
      matrix[row3 + j] = sum3 * inversePivot;
    }
    for (; i < n; i++) {
      const rowI = i * n;
      let sum = matrix[rowI + j];
      for (let p = 0; p < j; p++) sum -= matrix[rowI + p] * matrix[rowJ + p];
      matrix[rowI + j] = sum * inversePivot;
    }
    for (let i = j + 1; i < n; i++) matrix[rowJ + i] = 0;
  }
}

/** Solves L·Lᵀ·x = b in place on `rhs` (forward then back substitution), given the factor from {@link choleskyFactorInPlace}. */
export function choleskySolveInPlace(factor: Float64Array, n: number, rhs: Float64Array): void {
  requireInteger('choleskySolve', 'n', n);
  if (factor.length < n * n)
    throw shapeError('choleskySolve', `factor has ${factor.length} elements, n=${n} needs ${n * n}`);
  if (rhs.length < n) throw shapeError('choleskySolve', `rhs has length ${rhs.length}, expected ${n}`);
  for (let i = 0; i < n; i++) {
    const rowI = i * n;
    let sum = rhs[i];
    for (let p = 0; p < i; p++) sum -= factor[rowI + p] * rhs[p];
    rhs[i] = sum / factor[rowI + i];
  }
  for (let i = n - 1; i >= 0; i--) {
    let sum = rhs[i];
    for (let p = i + 1; p < n; p++) sum -= factor[p * n + i] * rhs[p];
    rhs[i] = sum / factor[i * n + i];
  }
}

/** Solves A·x = b for SPD A (not modified); returns x. Allocates: use the in-place pair in loops. */
export function choleskySolve(matrix: Float64Array, n: number, rhs: Float64Array): Float64Array {
  const factor = matrix.slice(0, n * n);
  choleskyFactorInPlace(factor, n);
  const solution = rhs.slice(0, n);
  choleskySolveInPlace(factor, n, solution);
  return solution;
}
