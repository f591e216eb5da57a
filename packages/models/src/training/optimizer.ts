import { argumentError } from '@trustrec/core-linalg';
import type { ParameterTable } from './parameter-table.js';
import type { SparseGradientBatch } from './sparse-gradient-batch.js';

/**
 * Applies a batch of sparse gradients to parameter tables with sparse row updates: entries for the same
 * (table, row) are summed (times `scale`, e.g. 1/batch size for a mean loss), then each touched row is updated
 * once. Rows not touched by the batch are not read or written (lazy updates, as in TF's LazyAdam).
 */
export interface Optimizer {
  readonly name: string;
  /** (Re)allocates state for these tables; called by the trainer at the start of fit. */
  initialize(tables: readonly ParameterTable[]): void;
  step(batch: SparseGradientBatch, learningRate: number, scale: number): void;
}

/** Shared aggregation: per table, a row → slot map (−1 when unused) and a scratch buffer of summed rows. */
abstract class SparseRowOptimizer implements Optimizer {
  abstract readonly name: string;
  protected tables: readonly ParameterTable[] = [];
  private slotOfRow: Int32Array[] = [];
  private touchedRows: Int32Array[] = [];
  private touchedCount: number[] = [];
  private sums: Float32Array[] = [];
  private rowLengths = new Int32Array(0);

  initialize(tables: readonly ParameterTable[]): void {
    this.tables = tables;
    this.rowLengths = Int32Array.from(tables, (table) => table.rowLength);
    this.slotOfRow = tables.map((table) => new Int32Array(table.numRows).fill(-1));
    this.touchedRows = tables.map(() => new Int32Array(64));
    this.touchedCount = tables.map(() => 0);
    this.sums = tables.map((table) => new Float32Array(64 * table.rowLength));
    this.initializeState(tables);
  }

  protected abstract initializeState(tables: readonly ParameterTable[]): void;
  protected beginStep(): void {}
  /** Updates row `row` of table `tableIndex` with gradient `gradient[offset .. offset + rowLength)`. */
  protected abstract updateRow(
    tableIndex: number,
    row: number,
    gradient: Float32Array,
    offset: number,
    learningRate: number,
  ): void;

  step(batch: SparseGradientBatch, learningRate: number, scale: number): void {
    if (!Number.isFinite(learningRate) || !Number.isFinite(scale)) {
      throw argumentError(
        `${this.name}.step`,
        `learningRate (${learningRate}) and scale (${scale}) must be finite numbers`,
      );
    }
    if (batch.tables !== this.tables) {
      throw argumentError(
        `${this.name}.step`,
        'the batch was built for other parameter tables; call initialize(tables) with the same array',
      );
    }
    const { values, tableOf, rowOf, offsetOf } = batch;
    const rowLengths = this.rowLengths;
    const count = batch.count;
    for (let e = 0; e < count; e++) {
      const tableIndex = tableOf[e];
      const row = rowOf[e];
      const length = rowLengths[tableIndex];
      const slots = this.slotOfRow[tableIndex];
      let slot = slots[row];
      if (slot < 0) {
        slot = this.touchedCount[tableIndex]++;
        slots[row] = slot;
        if (slot === this.touchedRows[tableIndex].length) {
          const rows = new Int32Array(slot * 2);
          rows.set(this.touchedRows[tableIndex]);
          this.touchedRows[tableIndex] = rows;
          const sums = new Float32Array(slot * 2 * length);
          sums.set(this.sums[tableIndex]);
          this.sums[tableIndex] = sums;
        }
        this.touchedRows[tableIndex][slot] = row;
        this.sums[tableIndex].fill(0, slot * length, (slot + 1) * length);
      }
      const sums = this.sums[tableIndex];
      const base = slot * length;
      const offset = offsetOf[e];
      if (scale === 1) for (let c = 0; c < length; c++) sums[base + c] += values[offset + c];
      else for (let c = 0; c < length; c++) sums[base + c] += scale * values[offset + c];
    }
    this.beginStep();
    for (let tableIndex = 0; tableIndex < this.tables.length; tableIndex++) {
      const length = this.tables[tableIndex].rowLength;
      const rows = this.touchedRows[tableIndex];
      const slots = this.slotOfRow[tableIndex];
      const sums = this.sums[tableIndex];
      for (let slot = 0; slot < this.touchedCount[tableIndex]; slot++) {
        this.updateRow(tableIndex, rows[slot], sums, slot * length, learningRate);
        slots[rows[slot]] = -1;
      }
      this.touchedCount[tableIndex] = 0;
    }
  }
}

/** Plain SGD: θ ← θ − η·g (seed 001 eq. 10's update when the gradient includes the L2 term). */
export class SgdOptimizer extends SparseRowOptimizer {
  readonly name = 'sgd';
  protected initializeState(): void {}
  protected updateRow(
    tableIndex: number,
    row: number,
    gradient: Float32Array,
    offset: number,
    learningRate: number,
  ): void {
    const table = this.tables[tableIndex];
    const data = table.data;
    const length = table.rowLength;
    const base = row * length;
    for (let c = 0; c < length; c++) data[base + c] -= learningRate * gradient[offset + c];
  }
}

/** Adagrad (Duchi et al. 2011): G ← G + g², θ ← θ − η·g / (√G + ε), per element, touched rows only. */
export class AdagradOptimizer extends SparseRowOptimizer {
  readonly name = 'adagrad';
  private accumulators: Float32Array[] = [];
  constructor(
    readonly epsilon = 1e-8,
    readonly initialAccumulator = 0,
  ) {
    super();
    if (!(epsilon >= 0) || !Number.isFinite(epsilon))
      throw argumentError('AdagradOptimizer', `epsilon must be a finite number ≥ 0, got ${epsilon}`);
    if (!(initialAccumulator >= 0) || !Number.isFinite(initialAccumulator)) {
      throw argumentError(
        'AdagradOptimizer',
        `initialAccumulator must be a finite number ≥ 0, got ${initialAccumulator}`,
      );
    }
  }
  protected initializeState(tables: readonly ParameterTable[]): void {
    this.accumulators = tables.map((table) => new Float32Array(table.data.length).fill(this.initialAccumulator));
  }
  protected updateRow(
    tableIndex: number,
    row: number,
    gradient: Float32Array,
    offset: number,
    learningRate: number,
  ): void {
    const table = this.tables[tableIndex];
    const data = table.data;
    const accumulator = this.accumulators[tableIndex];
    const length = table.rowLength;
    const epsilon = this.epsilon;
    const base = row * length;
    for (let c = 0; c < length; c++) {
      const g = gradient[offset + c];
      const index = base + c;
      const sum = Math.fround(accumulator[index] + g * g);
      accumulator[index] = sum;
      data[index] -= (learningRate * g) / (Math.sqrt(sum) + epsilon);
    }
  }
}

/**
 * Lazy (sparse) Adam (Kingma & Ba 2015, alg. 1, with TF LazyAdam's sparse semantics): moments are updated only
 * for rows in the batch; bias correction uses the global step count t.
 */
export class AdamOptimizer extends SparseRowOptimizer {
  readonly name = 'adam';
  private firstMoments: Float32Array[] = [];
  private secondMoments: Float32Array[] = [];
  private stepCount = 0;
  private correction1 = 1;
  private correction2 = 1;
  constructor(
    readonly beta1 = 0.9,
    readonly beta2 = 0.999,
    readonly epsilon = 1e-8,
  ) {
    super();
    for (const [option, value] of [
      ['beta1', beta1],
      ['beta2', beta2],
    ] as const) {
      if (!(value >= 0 && value < 1))
        throw argumentError('AdamOptimizer', `${option} must be a number in [0, 1), got ${value}`);
    }
    if (!(epsilon > 0) || !Number.isFinite(epsilon))
      throw argumentError('AdamOptimizer', `epsilon must be a finite number > 0, got ${epsilon}`);
  }
  protected initializeState(tables: readonly ParameterTable[]): void {
    this.firstMoments = tables.map((table) => new Float32Array(table.data.length));
    this.secondMoments = tables.map((table) => new Float32Array(table.data.length));
    this.stepCount = 0;
  }
  protected override beginStep(): void {
    this.stepCount++;
    this.correction1 = 1 - this.beta1 ** this.stepCount;
    this.correction2 = 1 - this.beta2 ** this.stepCount;
  }
  protected updateRow(
    tableIndex: number,
    row: number,
    gradient: Float32Array,
    offset: number,
    learningRate: number,
  ): void {
    const table = this.tables[tableIndex];
    const data = table.data;
    const m = this.firstMoments[tableIndex];
    const v = this.secondMoments[tableIndex];
    const { beta1, beta2, epsilon } = this;
    const stepSize = learningRate / this.correction1;
    const inverseCorrection2 = 1 / this.correction2;
    const length = table.rowLength;
    const base = row * length;
    for (let c = 0; c < length; c++) {
      const g = gradient[offset + c];
      const index = base + c;
      m[index] = beta1 * m[index] + (1 - beta1) * g;
      v[index] = beta2 * v[index] + (1 - beta2) * g * g;
      data[index] -= (stepSize * m[index]) / (Math.sqrt(v[index] * inverseCorrection2) + epsilon);
    }
  }
}

export type OptimizerName = 'sgd' | 'adagrad' | 'adam';

export function createOptimizer(name: OptimizerName): Optimizer {
  switch (name) {
    case 'sgd':
      return new SgdOptimizer();
    case 'adagrad':
      return new AdagradOptimizer();
    case 'adam':
      return new AdamOptimizer();
    default:
      throw argumentError('createOptimizer', `unknown optimizer '${String(name)}'; use sgd, adagrad or adam`);
  }
}
