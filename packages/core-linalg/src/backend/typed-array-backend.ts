import { type DenseMatrix, assertDenseMatrix, cloneDenseMatrix, createDenseMatrix } from '../dense/dense-matrix.js';
import { gemm } from '../dense/gemm.js';
import { gemv } from '../dense/gemv.js';
import { normalizeRows, rowDots, scatterAddRowsInPlace } from '../dense/row-kernels.js';
import { TopKSelector, type TopKResult } from '../dense/top-k.js';
import { shapeError } from '../errors/trust-rec-error.js';
import {
  type DenseActivation,
  type LinalgBackend,
  type MatmulOptions,
  assertDenseActivation,
} from './linalg-backend.js';

/** The reference backend: the hand-written typed-array kernels of this package. Always available. */
export class TypedArrayBackend implements LinalgBackend {
  readonly name = 'typed-array';
  readonly floatPrecision = 32 as const;

  async matmul(a: DenseMatrix, b: DenseMatrix, options: MatmulOptions = {}): Promise<DenseMatrix> {
    return gemm(a, b, { transposeB: options.transposeB });
  }

  async gemv(a: DenseMatrix, x: Float32Array): Promise<Float32Array> {
    return gemv(a, x);
  }

  async rowDots(a: DenseMatrix, b: DenseMatrix, rowsA: Int32Array, rowsB: Int32Array): Promise<Float32Array> {
    return rowDots(a, b, rowsA, rowsB);
  }

  async normalizeRows(matrix: DenseMatrix): Promise<DenseMatrix> {
    return normalizeRows(matrix);
  }

  async topKRows(scores: DenseMatrix, k: number, exclude?: readonly (Int32Array | undefined)[]): Promise<TopKResult[]> {
    assertDenseMatrix('topKRows', 'scores', scores);
    if (exclude && exclude.length !== scores.rows) {
      throw shapeError('topKRows', `exclude has ${exclude.length} entries but scores has ${scores.rows} rows`);
    }
    const selector = new TopKSelector(scores.columns);
    const results: TopKResult[] = [];
    for (let r = 0; r < scores.rows; r++) {
      const row = scores.data.subarray(r * scores.columns, (r + 1) * scores.columns);
      results.push(selector.select(row, k, exclude?.[r]));
    }
    return results;
  }

  async scatterAddRows(target: DenseMatrix, rowIndices: Int32Array, source: DenseMatrix): Promise<DenseMatrix> {
    const copy = cloneDenseMatrix(target);
    scatterAddRowsInPlace(copy, rowIndices, source);
    return copy;
  }

  async dense(
    x: DenseMatrix,
    weights: DenseMatrix,
    bias: Float32Array,
    activation: DenseActivation,
  ): Promise<DenseMatrix> {
    assertDenseActivation(activation);
    if (bias.length !== weights.columns) {
      throw shapeError('dense', `bias has length ${bias.length} but weights have ${weights.columns} columns`);
    }
    const out = gemm(x, weights, { out: createDenseMatrix(x.rows, weights.columns) });
    applyBiasAndActivation(out, bias, activation);
    return out;
  }

  dispose(): void {}
}

/** out[r, c] = activation(out[r, c] + bias[c]), in place. */
export function applyBiasAndActivation(out: DenseMatrix, bias: Float32Array, activation: DenseActivation): void {
  assertDenseActivation(activation);
  const { rows, columns, data } = out;
  if (bias.length !== columns) {
    throw shapeError('applyBiasAndActivation', `bias has length ${bias.length} but out has ${columns} columns`);
  }
  for (let r = 0; r < rows; r++) {
    const base = r * columns;
    for (let c = 0; c < columns; c++) {
      const value = data[base + c] + bias[c];
      data[base + c] =
        activation === 'relu' ? Math.max(value, 0) : activation === 'sigmoid' ? 1 / (1 + Math.exp(-value)) : value;
    }
  }
}
