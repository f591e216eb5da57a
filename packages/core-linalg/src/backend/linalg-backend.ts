import type { DenseMatrix } from '../dense/dense-matrix.js';
import type { TopKResult } from '../dense/top-k.js';
import { argumentError } from '../errors/trust-rec-error.js';

/** The activations of {@link LinalgBackend.dense}. */
export type DenseActivation = 'linear' | 'relu' | 'sigmoid';

const DENSE_ACTIVATIONS: readonly string[] = ['linear', 'relu', 'sigmoid'] satisfies readonly DenseActivation[];

/**
 * E_ARGUMENT unless `activation` is one that `dense` computes (a JavaScript caller or a config file can pass any
 * string, which must not silently run as linear).
 * @internal
 */
export function assertDenseActivation(activation: unknown): asserts activation is DenseActivation {
  if (typeof activation !== 'string' || !DENSE_ACTIVATIONS.includes(activation)) {
    throw argumentError(
      'dense',
      `activation must be one of ${DENSE_ACTIVATIONS.join(', ')}, got ${String(activation)}`,
      {
        option: 'activation',
        value: activation,
      },
    );
  }
}

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
  dense(x: DenseMatrix, weights: DenseMatrix, bias: Float32Array, activation: DenseActivation): Promise<DenseMatrix>;
  /** Releases engine resources held by this backend object (none for typed arrays). */
  dispose(): void;
}
