import { expectArraysClose } from '@trustrec/test-utils';
import { CholeskyDecomposition, Matrix } from 'ml-matrix';
import { describe, expect, test } from 'vitest';
import { TrustRecError } from '../errors/trust-rec-error.js';
import { type Rng, createRng } from '../random/rng.js';
import { choleskyFactorInPlace, choleskySolve, choleskySolveInPlace } from './cholesky.js';

/** A = GᵀG/k + λI: symmetric positive definite, the shape of an ALS normal-equation matrix. */
function randomSpd(rng: Rng, n: number, lambda = 0.1): Float64Array {
  const samples = n + 4;
  const g = Float64Array.from({ length: samples * n }, () => rng.normal());
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = 0;
      for (let p = 0; p < samples; p++) sum += g[p * n + i] * g[p * n + j];
      a[i * n + j] = sum / n + (i === j ? lambda : 0);
      a[j * n + i] = a[i * n + j];
    }
  }
  return a;
}

function toMlMatrix(data: Float64Array, n: number): Matrix {
  return new Matrix(Array.from({ length: n }, (_, i) => Array.from(data.subarray(i * n, (i + 1) * n))));
}

function expectError(code: 'E_NUMERIC' | 'E_SHAPE' | 'E_ARGUMENT', action: () => unknown): TrustRecError {
  let caught: unknown;
  try {
    action();
  } catch (error) {
    caught = error;
  }
  expect(TrustRecError.isInstance(caught, code), String(caught)).toBe(true);
  return caught as TrustRecError;
}

/** Textbook left-looking Cholesky, one subtraction chain per element in the order p = 0, 1, …: what the four-row loop must equal. */
function oneRowAtATimeFactor(a: Float64Array, n: number): Float64Array {
  const l = a.slice();
  for (let j = 0; j < n; j++) {
    let diagonal = l[j * n + j];
    for (let p = 0; p < j; p++) diagonal -= l[j * n + p] * l[j * n + p];
    const pivot = Math.sqrt(diagonal);
    l[j * n + j] = pivot;
    const inverse = 1 / pivot;
    for (let i = j + 1; i < n; i++) {
      let sum = l[i * n + j];
      for (let p = 0; p < j; p++) sum -= l[i * n + p] * l[j * n + p];
      l[i * n + j] = sum * inverse;
    }
    for (let i = j + 1; i < n; i++) l[j * n + i] = 0;
  }
  return l;
}

describe('Cholesky, four rows of a column at a time', () => {
  test('the factor is bit-identical to the one-row-at-a-time loop (every remainder of n mod 4)', () => {
    for (const n of [1, 2, 3, 4, 5, 6, 7, 9, 17, 64]) {
      const a = randomSpd(createRng(n), n);
      const factor = a.slice();
      choleskyFactorInPlace(factor, n);
      expect(factor).toEqual(oneRowAtATimeFactor(a, n));
    }
  });
});

describe('Cholesky against ml-matrix', () => {
  test.each([1, 2, 3, 8, 17, 64, 256])(
    'factor and solve agree with ml-matrix CholeskyDecomposition for k = %i',
    (n) => {
      const rng = createRng(1000 + n);
      const a = randomSpd(rng, n);
      const b = Float64Array.from({ length: n }, () => rng.normal());
      const reference = new CholeskyDecomposition(toMlMatrix(a, n));
      expect(reference.isPositiveDefinite()).toBe(true);

      const factor = a.slice();
      choleskyFactorInPlace(factor, n);
      const lower = reference.lowerTriangularMatrix;
      const expectedFactor = new Float64Array(n * n);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) expectedFactor[i * n + j] = lower.get(i, j);
      expectArraysClose(factor, expectedFactor, { atol: 1e-10, rtol: 1e-10 });
      // The strict upper triangle is zeroed.
      let upperNonZero = 0;
      for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) if (factor[i * n + j] !== 0) upperNonZero++;
      expect(upperNonZero).toBe(0);

      const expectedSolution = reference.solve(Matrix.columnVector(Array.from(b))).getColumn(0);
      const solution = choleskySolve(a, n, b);
      expectArraysClose(solution, expectedSolution, { atol: 1e-9, rtol: 1e-8 });
      // Independent check: the residual A·x − b is small.
      let worstResidual = 0;
      for (let i = 0; i < n; i++) {
        let sum = -b[i];
        for (let j = 0; j < n; j++) sum += a[i * n + j] * solution[j];
        worstResidual = Math.max(worstResidual, Math.abs(sum));
      }
      expect(worstResidual).toBeLessThan(1e-9);
    },
  );

  test('hand-computed 2×2 and the in-place pair; choleskySolve leaves its inputs alone', () => {
    const a = new Float64Array([4, 2, 2, 3]);
    const factor = a.slice();
    choleskyFactorInPlace(factor, 2);
    expectArraysClose(factor, [2, 0, 1, Math.SQRT2], { atol: 1e-15 });
    const rhs = new Float64Array([2, 1]);
    choleskySolveInPlace(factor, 2, rhs);
    expectArraysClose(rhs, [0.5, 0], { atol: 1e-15 });
    const b = new Float64Array([6, 5]);
    expectArraysClose(choleskySolve(a, 2, b), [1, 1], { atol: 1e-15 });
    expect(Array.from(a)).toEqual([4, 2, 2, 3]);
    expect(Array.from(b)).toEqual([6, 5]);
  });

  test('only the lower triangle is read', () => {
    const rng = createRng(4);
    const a = randomSpd(rng, 6);
    const garbage = a.slice();
    for (let i = 0; i < 6; i++) for (let j = i + 1; j < 6; j++) garbage[i * 6 + j] = 1e6 * (i - j);
    const b = Float64Array.from({ length: 6 }, (_, i) => i - 2);
    expectArraysClose(choleskySolve(garbage, 6, b), choleskySolve(a, 6, b), { atol: 1e-12, rtol: 1e-12 });
  });

  test('n = 0 is a no-op; larger reused buffers are accepted', () => {
    choleskyFactorInPlace(new Float64Array(0), 0);
    expect(choleskySolve(new Float64Array(0), 0, new Float64Array(0)).length).toBe(0);
    const workspace = new Float64Array(16).fill(Number.NaN);
    workspace.set([4, 2, 2, 3]);
    choleskyFactorInPlace(workspace, 2);
    const rhs = new Float64Array([6, 5, Number.NaN]);
    choleskySolveInPlace(workspace, 2, rhs);
    expectArraysClose(rhs.subarray(0, 2), [1, 1], { atol: 1e-15 });
  });
});

describe('Cholesky errors', () => {
  test('a matrix that is not positive definite is E_NUMERIC naming the pivot', () => {
    const indefinite = new Float64Array([1, 2, 2, 1]); // eigenvalues 3 and −1
    const error = expectError('E_NUMERIC', () => choleskyFactorInPlace(indefinite.slice(), 2));
    expect(error.details).toMatchObject({ pivot: 1 });
    expect(new CholeskyDecomposition(toMlMatrix(indefinite, 2)).isPositiveDefinite()).toBe(false);
    expectError('E_NUMERIC', () => choleskySolve(new Float64Array([0, 0, 0, 1]), 2, new Float64Array(2)));
    expectError('E_NUMERIC', () => choleskySolve(new Float64Array([-1]), 1, new Float64Array(1)));
    // Singular (rank-deficient) Gram matrix without regularisation.
    const rng = createRng(9);
    const singular = randomSpd(rng, 5, 0);
    for (let i = 0; i < 5; i++) {
      singular[i * 5 + 4] = 0;
      singular[4 * 5 + i] = 0;
    }
    expectError('E_NUMERIC', () => choleskySolve(singular, 5, new Float64Array(5)));
  });

  test('NaN anywhere in the lower triangle is E_NUMERIC', () => {
    expectError('E_NUMERIC', () => choleskySolve(new Float64Array([Number.NaN]), 1, new Float64Array(1)));
    expectError('E_NUMERIC', () => choleskySolve(new Float64Array([4, 0, Number.NaN, 3]), 2, new Float64Array(2)));
  });

  test('short buffers are E_SHAPE; a bad n is E_ARGUMENT', () => {
    expectError('E_SHAPE', () => choleskyFactorInPlace(new Float64Array(3), 2));
    expectError('E_SHAPE', () => choleskySolveInPlace(new Float64Array([1]), 2, new Float64Array(2)));
    expectError('E_SHAPE', () => choleskySolveInPlace(new Float64Array([1, 0, 0, 1]), 2, new Float64Array(1)));
    expectError('E_SHAPE', () => choleskySolve(new Float64Array([1, 0, 0, 1]), 2, new Float64Array(1)));
    expectError('E_ARGUMENT', () => choleskyFactorInPlace(new Float64Array(9), 1.5));
    expectError('E_ARGUMENT', () => choleskyFactorInPlace(new Float64Array(9), -1));
  });
});
