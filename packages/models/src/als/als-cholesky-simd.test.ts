import {
  CsrMatrix,
  TrustRecError,
  choleskyFactorInPlace,
  choleskySolveInPlace,
  createRng,
} from '@trustrec/core-linalg';
import { thrownError } from '@trustrec/test-utils';
import { describe, expect, it } from 'vitest';
import { wasmApi } from '../wasm/wasm-module-builder.js';
import { alsCholeskySimd, alsCholeskySimdModuleBytes } from './als-cholesky-simd.js';
import { AlsWorkspace, gramMatrix, solveExplicitRows, solveImplicitRowsCholesky } from './als-solvers.js';

/** Row r has r mod 10 entries (0 … 9: empty rows, single entries, whole groups of four and every tail). */
function varyingRows(numRows: number, numItems: number, seed: number): CsrMatrix {
  const rng = createRng(seed);
  const rows: number[] = [];
  const columns: number[] = [];
  const values: number[] = [];
  for (let r = 0; r < numRows; r++) {
    const items = rng.shuffle(Int32Array.from({ length: numItems }, (_, item) => item));
    for (const item of items.subarray(0, r % 10)) {
      rows.push(r);
      columns.push(item);
      values.push(1 + rng.nextInt(5));
    }
  }
  return CsrMatrix.fromCoo(
    { rows: Int32Array.from(rows), columns: Int32Array.from(columns), values: Float32Array.from(values) },
    { numRows, numColumns: numItems, duplicates: 'error' },
  );
}

function randomFactors(length: number, seed: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length }, () => rng.normal(0, 0.5));
}

/**
 * The normal equations of every row formed entry by entry in float64 (A = G + Σ w y yᵀ, b = Σ c y; explicit:
 * G = 0, w = 1, c = m, then + λI) and solved by core-linalg's Cholesky: what the scalar path computes.
 */
function referenceSolve(
  fixed: Float32Array,
  matrix: CsrMatrix,
  k: number,
  system: { gram: Float64Array; alpha: number } | { lambda: number },
): Float32Array {
  const out = new Float32Array(matrix.numRows * k);
  for (let r = 0; r < matrix.numRows; r++) {
    const a = 'gram' in system ? Float64Array.from(system.gram) : new Float64Array(k * k);
    const b = new Float64Array(k);
    for (let p = matrix.indptr[r]; p < matrix.indptr[r + 1]; p++) {
      const base = matrix.indices[p] * k;
      const w = 'gram' in system ? system.alpha * matrix.values[p] : 1;
      const c = 'gram' in system ? 1 + w : matrix.values[p];
      for (let i = 0; i < k; i++) {
        b[i] += c * fixed[base + i];
        for (let j = 0; j <= i; j++) a[i * k + j] += w * fixed[base + i] * fixed[base + j];
      }
    }
    if ('lambda' in system) for (let i = 0; i < k; i++) a[i * k + i] += system.lambda;
    choleskyFactorInPlace(a, k);
    choleskySolveInPlace(a, k, b);
    out.set(b, r * k);
  }
  return out;
}

describe('ALS Cholesky row solves (WebAssembly SIMD, k even)', () => {
  it('the module validates and loads', () => {
    expect(wasmApi()?.validate(alsCholeskySimdModuleBytes())).toBe(true);
    expect(alsCholeskySimd()).not.toBeNull();
  });

  it('explicit and implicit solves are bit-identical to the normal equations formed entry by entry', () => {
    const numItems = 23;
    const matrix = varyingRows(40, numItems, 3);
    for (const k of [2, 6, 8, 16]) {
      const fixed = randomFactors(numItems * k, k);
      const gram = gramMatrix(fixed, numItems, k, 0.3);
      const implicit = new Float32Array(40 * k);
      solveImplicitRowsCholesky(implicit, fixed, gram, matrix, k, 0.7, new AlsWorkspace(k));
      expect(implicit).toEqual(referenceSolve(fixed, matrix, k, { gram, alpha: 0.7 }));
      const explicit = new Float32Array(40 * k);
      solveExplicitRows(explicit, fixed, matrix, k, 0.3, new AlsWorkspace(k));
      expect(explicit).toEqual(referenceSolve(fixed, matrix, k, { lambda: 0.3 }));
      // Rows with no entries: x = 0 (explicit) and G⁻¹·0 = 0 (implicit).
      expect(explicit.subarray(0, k).every((x) => x === 0)).toBe(true);
      expect(implicit.subarray(10 * k, 11 * k).every((x) => x === 0)).toBe(true);
    }
  });

  it('solves chosen rows into chosen target rows (fold-in), leaving the others untouched', () => {
    const numItems = 19;
    const k = 6;
    const matrix = varyingRows(30, numItems, 8);
    const fixed = randomFactors(numItems * k, 4);
    const gram = gramMatrix(fixed, numItems, k, 0.2);
    const all = referenceSolve(fixed, matrix, k, { gram, alpha: 2 });
    const matrixRows = Int32Array.of(17, 4, 29, 9);
    const targetRows = Int32Array.of(0, 5, 2, 3);
    const target = new Float32Array(6 * k).fill(-7);
    solveImplicitRowsCholesky(target, fixed, gram, matrix, k, 2, new AlsWorkspace(k), targetRows, matrixRows);
    for (let t = 0; t < 4; t++) {
      const solved = target.subarray(targetRows[t] * k, (targetRows[t] + 1) * k);
      expect(solved).toEqual(all.subarray(matrixRows[t] * k, (matrixRows[t] + 1) * k));
    }
    expect(target.subarray(k, 2 * k).every((x) => x === -7)).toBe(true);
    expect(target.subarray(4 * k, 5 * k).every((x) => x === -7)).toBe(true);
  });

  it('factor is bit-identical to core-linalg’s choleskyFactorInPlace on the lower triangle, for any n', () => {
    const simd = alsCholeskySimd();
    expect(simd).not.toBeNull();
    if (simd === null) return;
    const rng = createRng(12);
    for (const n of [1, 2, 3, 4, 5, 9, 16, 33, 64]) {
      // A = MᵀM + I: symmetric positive definite.
      const m = Float64Array.from({ length: n * n }, () => rng.normal(0, 1));
      const a = new Float64Array(n * n);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          let sum = i === j ? 1 : 0;
          for (let p = 0; p < n; p++) sum += m[p * n + i] * m[p * n + j];
          a[i * n + j] = sum;
        }
      }
      simd.reserve(8 * n * n);
      const kernelMatrix = new Float64Array(simd.memory.buffer, 0, n * n);
      kernelMatrix.set(a);
      expect(simd.exports.factor(0, n)).toBe(-1);
      const expected = a.slice();
      choleskyFactorInPlace(expected, n);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j <= i; j++) expect(kernelMatrix[i * n + j]).toBe(expected[i * n + j]);
      }
    }
  });

  it('factor reports the first pivot that is not positive, as core-linalg does', () => {
    const simd = alsCholeskySimd();
    expect(simd).not.toBeNull();
    if (simd === null) return;
    // [[4, 2, 0], [2, 1, 0], [0, 0, 5]]: pivot 1 is 1 − (2/2)² = 0.
    const a = Float64Array.of(4, 2, 0, 2, 1, 0, 0, 0, 5);
    const kernelMatrix = new Float64Array(simd.memory.buffer, 0, 9);
    kernelMatrix.set(a);
    expect(simd.exports.factor(0, 3)).toBe(1);
    kernelMatrix.set(Float64Array.of(Number.NaN, 0, 0, 0, 1, 0, 0, 0, 1));
    expect(simd.exports.factor(0, 3)).toBe(0);
  });

  it('a system that is not positive definite is E_NUMERIC naming the pivot, as on the scalar path', () => {
    const matrix = varyingRows(3, 7, 1);
    const fixed = randomFactors(7 * 4, 2);
    // Row 0 has no entries: with λ = 0 its A is 0, so pivot 0 is 0.
    const error = thrownError(() =>
      solveExplicitRows(new Float32Array(3 * 4), fixed, matrix, 4, 0, new AlsWorkspace(4)),
    );
    expect(error).toBeInstanceOf(TrustRecError);
    expect(error.code).toBe('E_NUMERIC');
    expect(error.message).toContain('pivot 0 = 0');
  });
});
