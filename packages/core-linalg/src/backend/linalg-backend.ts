import type { DenseMatrix } from '../dense/dense-matrix.js';
import type { TopKResult } from '../dense/top-k.js';

export interface MatmulOptions {
  /** C = A·Bᵀ (B stored m×k). */
  transposeB?: boolean;
}

/**
 * The dense operations TrustRec runs on large blocks, with one implementation per compute engine. All methods
 * are async because GPU backends read results back asynchronously; the typed-array backend resolves at once.
 * Outputs are new arrays; inputs are never modified.
 */
export interface LinalgBackend {
  /** `typed-array`, or `tfjs-<backend>` (e.g. `tfjs-wasm`). */
  readonly name: string;
  /** Float precision of the arithmetic, for test tolerances. */
  readonly floatPrecision: 32 | 64;
  /** C = A·B or A·Bᵀ. */
  matmul(a: DenseMatrix, b: DenseMatrix, options?: MatmulOptions): Promise<DenseMatrix>;
  /** y = A·x. */
  gemv(a: DenseMatrix, x: Float32Array): Promise<Float32Array>;
  /** out[t] = ⟨A[rowsA[t]], B[rowsB[t]]⟩. */
  rowDots(a: DenseMatrix, b: DenseMatrix, rowsA: Int32Array, rowsB: Int32Array): Promise<Float32Array>;
  /** Rows scaled to unit L2 norm (zero rows stay zero). */
  normalizeRows(matrix: DenseMatrix): Promise<DenseMatrix>;
  /** Top-k per row of `scores`, best first, skipping `exclude[row]` when given. */
  topKRows(scores: DenseMatrix, k: number, exclude?: readonly (Int32Array | undefined)[]): Promise<TopKResult[]>;
  /** A copy of `target` with target[rowIndices[t]] += source[t] (repeated indices accumulate). */
  scatterAddRows(target: DenseMatrix, rowIndices: Int32Array, source: DenseMatrix): Promise<DenseMatrix>;
  /** y = activation(x·W + b) for a dense layer: x (n×in), W (in×out), b (out). */
  dense(
    x: DenseMatrix,
    weights: DenseMatrix,
    bias: Float32Array,
    activation: 'linear' | 'relu' | 'sigmoid',
  ): Promise<DenseMatrix>;
  /** Releases engine resources held by this backend object (none for typed arrays). */
  dispose(): void;
}
