import { shapeError } from '../errors/trust-rec-error.js';
import { type DenseMatrix, createDenseMatrix } from './dense-matrix.js';

export interface GemmOptions {
  /** Use Bᵀ: C = A·Bᵀ with B stored as (m×k). The recommender scoring shape U·Vᵀ. */
  transposeB?: boolean;
  /** Output matrix to fill; allocated when absent. */
  out?: DenseMatrix;
}

/** Rows of B processed per block in the A·Bᵀ path: 64 rows × k ≤ 256 floats stay within L2. */
const ROW_BLOCK = 64;
/** Columns of C processed per block in the A·B path. */
const COLUMN_BLOCK = 512;

/**
 * General matrix product C = A·B or C = A·Bᵀ, blocked for the small-k shapes recommenders use
 * ((n×k)·(k×m), k ≤ 256). The A·Bᵀ path computes four dot products per pass over a row of A; the A·B path
 * streams rows of B (an axpy per element of A). No allocation inside the loops.
 */
export function gemm(a: DenseMatrix, b: DenseMatrix, options: GemmOptions = {}): DenseMatrix {
  const transposeB = options.transposeB ?? false;
  const n = a.rows;
  const k = a.columns;
  const innerB = transposeB ? b.columns : b.rows;
  const m = transposeB ? b.rows : b.columns;
  if (innerB !== k) {
    throw shapeError(
      'gemm',
      `inner dimensions differ: A is ${n}×${k} and B${transposeB ? 'ᵀ' : ''} is ${innerB}×${m} (B stored ${b.rows}×${b.columns})`,
    );
  }
  const out = options.out ?? createDenseMatrix(n, m);
  if (out.rows !== n || out.columns !== m || out.data.length !== n * m) {
    throw shapeError('gemm', `out is ${out.rows}×${out.columns}, expected ${n}×${m}`);
  }
  if (transposeB) multiplyTransposed(a.data, b.data, out.data, n, k, m);
  else multiplyPlain(a.data, b.data, out.data, n, k, m);
  return out;
}

function multiplyTransposed(a: Float32Array, b: Float32Array, c: Float32Array, n: number, k: number, m: number): void {
  for (let jStart = 0; jStart < m; jStart += ROW_BLOCK) {
    const jEnd = Math.min(m, jStart + ROW_BLOCK);
    for (let i = 0; i < n; i++) {
      const aBase = i * k;
      const cBase = i * m;
      let j = jStart;
      for (; j + 3 < jEnd; j += 4) {
        const b0 = j * k;
        const b1 = b0 + k;
        const b2 = b1 + k;
        const b3 = b2 + k;
        let s0 = 0;
        let s1 = 0;
        let s2 = 0;
        let s3 = 0;
        for (let p = 0; p < k; p++) {
          const value = a[aBase + p];
          s0 += value * b[b0 + p];
          s1 += value * b[b1 + p];
          s2 += value * b[b2 + p];
          s3 += value * b[b3 + p];
        }
        c[cBase + j] = s0;
        c[cBase + j + 1] = s1;
        c[cBase + j + 2] = s2;
        c[cBase + j + 3] = s3;
      }
      for (; j < jEnd; j++) {
        const bBase = j * k;
        let sum = 0;
        for (let p = 0; p < k; p++) sum += a[aBase + p] * b[bBase + p];
        c[cBase + j] = sum;
      }
    }
  }
}

function multiplyPlain(a: Float32Array, b: Float32Array, c: Float32Array, n: number, k: number, m: number): void {
  c.fill(0, 0, n * m);
  for (let jStart = 0; jStart < m; jStart += COLUMN_BLOCK) {
    const jEnd = Math.min(m, jStart + COLUMN_BLOCK);
    for (let i = 0; i < n; i++) {
      const cBase = i * m;
      for (let p = 0; p < k; p++) {
        const value = a[i * k + p];
        if (value === 0) continue;
        const bBase = p * m;
        for (let j = jStart; j < jEnd; j++) c[cBase + j] += value * b[bBase + j];
      }
    }
  }
}
