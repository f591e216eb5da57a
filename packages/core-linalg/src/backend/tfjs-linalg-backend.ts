import { type DenseMatrix, createDenseMatrix } from '../dense/dense-matrix.js';
import type { TopKResult } from '../dense/top-k.js';
import { shapeError } from '../errors/trust-rec-error.js';
import type { LinalgBackend, MatmulOptions } from './linalg-backend.js';
import type { TfjsBackendName } from './probe-backends.js';
import type { TfModule } from './tfjs-module.js';

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
    if (a.columns !== inner) throw shapeError('matmul', `inner dimensions differ: A is ${a.rows}×${a.columns}, B${transposeB ? 'ᵀ' : ''} has ${inner} rows`);
    await this.activate();
    const tf = this.tf;
    const result = tf.tidy(() => tf.matMul(this.toTensor(a), this.toTensor(b), false, transposeB));
    return this.read(result, a.rows, transposeB ? b.rows : b.columns);
  }

  async gemv(a: DenseMatrix, x: Float32Array): Promise<Float32Array> {
    if (x.length !== a.columns) throw shapeError('gemv', `x has length ${x.length}, A has ${a.columns} columns`);
    await this.activate();
    const tf = this.tf;
    const result = tf.tidy(() => tf.matMul(this.toTensor(a), tf.tensor2d(x, [x.length, 1])));
    return (await this.read(result, a.rows, 1)).data;
  }

  async rowDots(a: DenseMatrix, b: DenseMatrix, rowsA: Int32Array, rowsB: Int32Array): Promise<Float32Array> {
    if (a.columns !== b.columns || rowsA.length !== rowsB.length) {
      throw shapeError('rowDots', `A (${a.columns} columns) and B (${b.columns}) or rowsA (${rowsA.length}) and rowsB (${rowsB.length}) disagree`);
    }
    checkRows('rowDots', 'rowsA', rowsA, a.rows);
    checkRows('rowDots', 'rowsB', rowsB, b.rows);
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
    await this.activate();
    const tf = this.tf;
    const result = tf.tidy(() => {
      const x = this.toTensor(matrix);
      const norms = tf.sqrt(tf.sum(tf.square(x), 1, true));
      return tf.divNoNan(x, norms) as Tensor;
    });
    return this.read(result, matrix.rows, matrix.columns);
  }

  async topKRows(scores: DenseMatrix, k: number, exclude?: readonly (Int32Array | undefined)[]): Promise<TopKResult[]> {
    if (exclude && exclude.length !== scores.rows) {
      throw shapeError('topKRows', `exclude has ${exclude.length} entries but scores has ${scores.rows} rows`);
    }
    const { rows, columns } = scores;
    const masked = exclude ? scores.data.slice() : scores.data;
    const candidates = new Int32Array(rows).fill(columns);
    if (exclude) {
      const seen = new Uint8Array(columns);
      for (let r = 0; r < rows; r++) {
        const list = exclude[r];
        if (!list) continue;
        for (const item of list) {
          if (item < 0 || item >= columns) throw shapeError('topKRows', `exclude[${r}] contains ${item}, outside [0, ${columns})`);
          if (seen[item] === 0) {
            seen[item] = 1;
            candidates[r]--;
          }
          masked[r * columns + item] = Number.NEGATIVE_INFINITY;
        }
        for (const item of list) seen[item] = 0;
      }
    }
    const kept = Math.min(k, columns);
    await this.activate();
    const tf = this.tf;
    const { values, indices } = tf.topk(tf.tensor2d(masked, [rows, columns]), kept, true);
    try {
      const valueData = (await values.data()) as Float32Array;
      const indexData = (await indices.data()) as Int32Array;
      const results: TopKResult[] = [];
      for (let r = 0; r < rows; r++) {
        const count = Math.min(kept, candidates[r]);
        results.push({
          indices: Int32Array.from(indexData.subarray(r * kept, r * kept + count)),
          scores: Float32Array.from(valueData.subarray(r * kept, r * kept + count)),
        });
      }
      return results;
    } finally {
      tf.dispose([values, indices]);
    }
  }

  async scatterAddRows(target: DenseMatrix, rowIndices: Int32Array, source: DenseMatrix): Promise<DenseMatrix> {
    if (source.columns !== target.columns || source.rows !== rowIndices.length) {
      throw shapeError('scatterAddRows', `source is ${source.rows}×${source.columns}, expected ${rowIndices.length}×${target.columns}`);
    }
    checkRows('scatterAddRows', 'rowIndices', rowIndices, target.rows);
    await this.activate();
    const tf = this.tf;
    const result = tf.tidy(() => {
      const updates = tf.scatterND(
        tf.tensor2d(rowIndices, [rowIndices.length, 1], 'int32'),
        this.toTensor(source),
        [target.rows, target.columns],
      );
      return tf.add(this.toTensor(target), updates) as Tensor;
    });
    return this.read(result, target.rows, target.columns);
  }

  async dense(
    x: DenseMatrix,
    weights: DenseMatrix,
    bias: Float32Array,
    activation: 'linear' | 'relu' | 'sigmoid',
  ): Promise<DenseMatrix> {
    if (x.columns !== weights.rows || bias.length !== weights.columns) {
      throw shapeError('dense', `x is ${x.rows}×${x.columns}, weights ${weights.rows}×${weights.columns}, bias ${bias.length}`);
    }
    await this.activate();
    const tf = this.tf;
    const result = tf.tidy(() => {
      const linear = tf.add(tf.matMul(this.toTensor(x), this.toTensor(weights)), tf.tensor1d(bias));
      return (activation === 'relu' ? tf.relu(linear) : activation === 'sigmoid' ? tf.sigmoid(linear) : linear) as Tensor;
    });
    return this.read(result, x.rows, weights.columns);
  }

  dispose(): void {}
}

function checkRows(where: string, name: string, indices: Int32Array, rows: number): void {
  for (let t = 0; t < indices.length; t++) {
    if (indices[t] < 0 || indices[t] >= rows) throw shapeError(where, `${name}[${t}] = ${indices[t]} is outside [0, ${rows})`);
  }
}
