import { type DenseMatrix, assertDenseMatrix, cloneDenseMatrix, createDenseMatrix } from '../dense/dense-matrix.js';
import type { TopKResult } from '../dense/top-k.js';
import { nonFiniteRowError } from '../dense/row-kernels.js';
import { TrustRecError, argumentError, shapeError } from '../errors/trust-rec-error.js';
import {
  type DenseActivation,
  type LinalgBackend,
  type MatmulOptions,
  assertDenseActivation,
} from './linalg-backend.js';
import type { TfjsBackendName } from './probe-backends.js';
import type { TfModule } from './tfjs-module.js';
import { applyBiasAndActivation } from './typed-array-backend.js';

type Tensor = import('@tensorflow/tfjs-core').Tensor;

/**
 * The dense operations on a TensorFlow.js backend. TensorFlow.js has one global engine, so each call makes
 * this object's backend the active one before running (a no-op when it already is).
 */
export class TfjsLinalgBackend implements LinalgBackend {
  readonly name: string;
  readonly floatPrecision = 32 as const;

  constructor(
    private readonly tf: TfModule,
    readonly tfjsBackend: TfjsBackendName,
  ) {
    this.name = `tfjs-${tfjsBackend}`;
  }

  private async activate(): Promise<void> {
    if (this.tf.getBackend() !== this.tfjsBackend) await this.tf.setBackend(this.tfjsBackend);
  }

  private toTensor(matrix: DenseMatrix): import('@tensorflow/tfjs-core').Tensor2D {
    assertDenseMatrix(this.name, 'matrix', matrix);
    return this.tf.tensor2d(matrix.data, [matrix.rows, matrix.columns], 'float32');
  }

  private async read(tensor: Tensor, rows: number, columns: number): Promise<DenseMatrix> {
    try {
      const data = (await tensor.data()) as Float32Array;
      return createDenseMatrix(rows, columns, data instanceof Float32Array ? data : Float32Array.from(data));
    } finally {
      tensor.dispose();
    }
  }

  async matmul(a: DenseMatrix, b: DenseMatrix, options: MatmulOptions = {}): Promise<DenseMatrix> {
    const transposeB = options.transposeB ?? false;
    const inner = transposeB ? b.columns : b.rows;
    if (a.columns !== inner)
      throw shapeError(
        'matmul',
        `inner dimensions differ: A is ${a.rows}×${a.columns}, B${transposeB ? 'ᵀ' : ''} has ${inner} rows`,
      );
    const outColumns = transposeB ? b.rows : b.columns;
    // Empty shapes: the product is an all-zero (possibly empty) matrix; some tfjs kernels reject zero sizes.
    if (a.rows === 0 || outColumns === 0 || inner === 0) {
      assertDenseMatrix('matmul', 'A', a);
      assertDenseMatrix('matmul', 'B', b);
      return createDenseMatrix(a.rows, outColumns);
    }
    await this.activate();
    const tf = this.tf;
    // tfjs-wasm's matMul with transposeB=true misses its fast (XNNPACK) path and runs ~13× slower on
    // 1024² (measured: 930 ms vs 71 ms); an explicit transpose first is cheap and keeps the fast path.
    const result = tf.tidy(() => {
      const right = this.toTensor(b);
      return tf.matMul(this.toTensor(a), transposeB ? tf.transpose(right) : right);
    });
    return this.read(result, a.rows, transposeB ? b.rows : b.columns);
  }

  async gemv(a: DenseMatrix, x: Float32Array): Promise<Float32Array> {
    if (x.length !== a.columns) throw shapeError('gemv', `x has length ${x.length}, A has ${a.columns} columns`);
    if (a.rows === 0 || a.columns === 0) {
      assertDenseMatrix('gemv', 'A', a);
      return new Float32Array(a.rows);
    }
    await this.activate();
    const tf = this.tf;
    const result = tf.tidy(() => tf.matMul(this.toTensor(a), tf.tensor2d(x, [x.length, 1])));
    return (await this.read(result, a.rows, 1)).data;
  }

  async rowDots(a: DenseMatrix, b: DenseMatrix, rowsA: Int32Array, rowsB: Int32Array): Promise<Float32Array> {
    if (a.columns !== b.columns || rowsA.length !== rowsB.length) {
      throw shapeError(
        'rowDots',
        `A (${a.columns} columns) and B (${b.columns}) or rowsA (${rowsA.length}) and rowsB (${rowsB.length}) disagree`,
      );
    }
    checkRows('rowDots', 'rowsA', rowsA, a.rows);
    checkRows('rowDots', 'rowsB', rowsB, b.rows);
    if (rowsA.length === 0 || a.columns === 0) {
      assertDenseMatrix('rowDots', 'A', a);
      assertDenseMatrix('rowDots', 'B', b);
      return new Float32Array(rowsA.length);
    }
    await this.activate();
    const tf = this.tf;
    const result = tf.tidy(() => {
      const left = tf.gather(this.toTensor(a), tf.tensor1d(rowsA, 'int32'));
      const right = tf.gather(this.toTensor(b), tf.tensor1d(rowsB, 'int32'));
      return tf.reshape(tf.sum(tf.mul(left, right), 1), [rowsA.length, 1]);
    });
    return (await this.read(result, rowsA.length, 1)).data;
  }

  async normalizeRows(matrix: DenseMatrix): Promise<DenseMatrix> {
    assertDenseMatrix('normalizeRows', 'matrix', matrix);
    const { rows, columns, data } = matrix;
    // Same contract as the typed kernel: a NaN or infinite entry makes the norm non-finite, an E_NUMERIC error.
    for (let p = 0; p < data.length; p++) {
      if (!Number.isFinite(data[p])) throw nonFiniteRowError(Math.floor(p / columns));
    }
    if (rows === 0 || columns === 0) return createDenseMatrix(rows, columns);
    await this.activate();
    const tf = this.tf;
    const result = tf.tidy(() => {
      const x = this.toTensor(matrix);
      // Divide by the row's largest |x| first: float32 squares overflow above ~1.8e19 and underflow below
      // ~1e-23, which would turn large rows and tiny rows into zeros.
      const scaled = tf.divNoNan(x, tf.max(tf.abs(x), 1, true));
      const norms = tf.sqrt(tf.sum(tf.square(scaled), 1, true));
      return tf.divNoNan(scaled, norms) as Tensor;
    });
    return this.read(result, rows, columns);
  }

  async topKRows(scores: DenseMatrix, k: number, exclude?: readonly (Int32Array | undefined)[]): Promise<TopKResult[]> {
    if (!Number.isInteger(k) || k < 0) throw argumentError('topK', `k must be a non-negative integer, got ${k}`);
    assertDenseMatrix('topKRows', 'scores', scores);
    if (exclude && exclude.length !== scores.rows) {
      throw shapeError('topKRows', `exclude has ${exclude.length} entries but scores has ${scores.rows} rows`);
    }
    const { rows, columns, data } = scores;
    // Validate exclusions (E_ARGUMENT, as the typed kernel), count the distinct excluded items per row, and
    // reject NaN among the candidates (E_NUMERIC). `seen` marks row r's exclusions and is cleared per row.
    const excludedCount = new Int32Array(rows);
    let maxExcluded = 0;
    const seen = new Uint8Array(columns);
    const unmark = (list: Int32Array, upTo: number): void => {
      for (let t = 0; t < upTo; t++) if (list[t] >= 0 && list[t] < columns) seen[list[t]] = 0;
    };
    for (let r = 0; r < rows; r++) {
      const list = exclude?.[r];
      if (list) {
        for (let t = 0; t < list.length; t++) {
          const item = list[t];
          if (item < 0 || item >= columns) {
            unmark(list, t);
            throw argumentError('topK', `exclude[${r}][${t}] = ${item} is outside [0, ${columns})`);
          }
          if (seen[item] === 0) {
            seen[item] = 1;
            excludedCount[r]++;
          }
        }
        if (excludedCount[r] > maxExcluded) maxExcluded = excludedCount[r];
      }
      const base = r * columns;
      for (let c = 0; c < columns; c++) {
        if (Number.isNaN(data[base + c]) && seen[c] === 0) {
          if (list) unmark(list, list.length);
          throw new TrustRecError({
            code: 'E_NUMERIC',
            message: `topK: scores[${r}][${c}] is NaN; check the model for divergence`,
          });
        }
      }
      if (list) unmark(list, list.length);
    }
    // Ask tfjs for k + (most exclusions in a row) and drop excluded items afterwards: masking alone is not
    // enough, because a real score of -Infinity ties with a masked one and tfjs could return the excluded item.
    const kept = Math.min(columns, k + maxExcluded);
    if (rows === 0 || kept === 0) {
      return Array.from({ length: rows }, () => ({ indices: new Int32Array(0), scores: new Float32Array(0) }));
    }
    let masked = data;
    if (exclude && maxExcluded > 0) {
      masked = data.slice();
      for (let r = 0; r < rows; r++) {
        const list = exclude[r];
        if (list) for (let t = 0; t < list.length; t++) masked[r * columns + list[t]] = Number.NEGATIVE_INFINITY;
      }
    }
    await this.activate();
    const tf = this.tf;
    const input = tf.tensor2d(masked, [rows, columns], 'float32');
    let values: Tensor | undefined;
    let indices: Tensor | undefined;
    try {
      ({ values, indices } = tf.topk(input, kept, true));
      const indexData = (await indices.data()) as Int32Array;
      const results: TopKResult[] = [];
      for (let r = 0; r < rows; r++) {
        const list = exclude?.[r];
        if (list) for (let t = 0; t < list.length; t++) seen[list[t]] = 1;
        const count = Math.min(k, columns - excludedCount[r]);
        const rowIndices = new Int32Array(count);
        const rowScores = new Float32Array(count);
        let written = 0;
        for (let j = 0; j < kept && written < count; j++) {
          const item = indexData[r * kept + j];
          if (seen[item] === 1) continue;
          rowIndices[written] = item;
          rowScores[written] = data[r * columns + item];
          written++;
        }
        if (list) unmark(list, list.length);
        results.push({ indices: rowIndices, scores: rowScores });
      }
      return results;
    } finally {
      tf.dispose(input);
      if (values) tf.dispose(values);
      if (indices) tf.dispose(indices);
    }
  }

  async scatterAddRows(target: DenseMatrix, rowIndices: Int32Array, source: DenseMatrix): Promise<DenseMatrix> {
    if (source.columns !== target.columns || source.rows !== rowIndices.length) {
      throw shapeError(
        'scatterAddRows',
        `source is ${source.rows}×${source.columns}, expected ${rowIndices.length}×${target.columns}`,
      );
    }
    checkRows('scatterAddRows', 'rowIndices', rowIndices, target.rows);
    if (rowIndices.length === 0 || target.columns === 0) {
      assertDenseMatrix('scatterAddRows', 'target', target);
      return cloneDenseMatrix(target);
    }
    await this.activate();
    const tf = this.tf;
    const result = tf.tidy(() => {
      const updates = tf.scatterND(tf.tensor2d(rowIndices, [rowIndices.length, 1], 'int32'), this.toTensor(source), [
        target.rows,
        target.columns,
      ]);
      return tf.add(this.toTensor(target), updates) as Tensor;
    });
    return this.read(result, target.rows, target.columns);
  }

  async dense(
    x: DenseMatrix,
    weights: DenseMatrix,
    bias: Float32Array,
    activation: DenseActivation,
  ): Promise<DenseMatrix> {
    assertDenseActivation(activation);
    if (x.columns !== weights.rows || bias.length !== weights.columns) {
      throw shapeError(
        'dense',
        `x is ${x.rows}×${x.columns}, weights ${weights.rows}×${weights.columns}, bias ${bias.length}`,
      );
    }
    // Empty shapes, as in matmul: x·W is an all-zero (possibly empty) matrix, so the layer is activation(bias)
    // in every row. tfjs is not called: tfjs-wasm's XNNPACK rejects an inner dimension of 0 (logging "XNN
    // status … not successful") and returns wrong values.
    if (x.rows === 0 || weights.columns === 0 || x.columns === 0) {
      assertDenseMatrix('dense', 'x', x);
      assertDenseMatrix('dense', 'weights', weights);
      const out = createDenseMatrix(x.rows, weights.columns);
      applyBiasAndActivation(out, bias, activation);
      return out;
    }
    await this.activate();
    const tf = this.tf;
    const result = tf.tidy(() => {
      const linear = tf.add(tf.matMul(this.toTensor(x), this.toTensor(weights)), tf.tensor1d(bias));
      return (
        activation === 'relu' ? tf.relu(linear) : activation === 'sigmoid' ? tf.sigmoid(linear) : linear
      ) as Tensor;
    });
    return this.read(result, x.rows, weights.columns);
  }

  dispose(): void {}
}

function checkRows(where: string, name: string, indices: Int32Array, rows: number): void {
  for (let t = 0; t < indices.length; t++) {
    if (indices[t] < 0 || indices[t] >= rows)
      throw shapeError(where, `${name}[${t}] = ${indices[t]} is outside [0, ${rows})`);
  }
}
