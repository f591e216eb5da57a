import { shapeError } from '@trustrec/core-linalg';
import type { ParameterTable } from './parameter-table.js';

/**
 * Per-example sparse gradients of one mini-batch: each example contributes gradient rows for the parameter rows
 * it touches (a BPR triple touches user u, items i and j). Entries are kept per example — not summed — so
 * transforms can act per example (DP-SGD clipping, Abadi et al. 2016) or per entry (weight decay, noise, an
 * adversarial term), before an {@link Optimizer} sums duplicates and applies the update.
 *
 * Entry e belongs to example `exampleOf[e]`, updates row `rowOf[e]` of table `tableOf[e]`, and its gradient is
 * `values[offsetOf[e] .. offsetOf[e] + tables[tableOf[e]].rowLength)`. Buffers grow and are reused.
 */
export class SparseGradientBatch {
  readonly tables: readonly ParameterTable[];
  /** Entries in use. */
  count = 0;
  /** Examples begun. */
  numExamples = 0;
  exampleOf: Int32Array;
  tableOf: Int32Array;
  rowOf: Int32Array;
  offsetOf: Int32Array;
  values: Float32Array;
  /** Floats of `values` in use. */
  valuesUsed = 0;

  constructor(tables: readonly ParameterTable[], initialEntries = 1024) {
    this.tables = tables;
    const maxRow = Math.max(1, ...tables.map((table) => table.rowLength));
    this.exampleOf = new Int32Array(initialEntries);
    this.tableOf = new Int32Array(initialEntries);
    this.rowOf = new Int32Array(initialEntries);
    this.offsetOf = new Int32Array(initialEntries);
    this.values = new Float32Array(initialEntries * maxRow);
  }

  /** Forgets all entries (keeps buffers). */
  reset(): void {
    this.count = 0;
    this.numExamples = 0;
    this.valuesUsed = 0;
  }

  /** Starts a new example; following {@link addRow} calls belong to it. Returns its index. */
  beginExample(): number {
    return this.numExamples++;
  }

  /**
   * Adds a zero gradient row for (table, row) to the current example (or to `example`, e.g. when an adversarial
   * transform appends the gradient at perturbed parameters) and returns its offset in `values` (read `values`
   * after the call: it may have grown).
   */
  addRow(tableIndex: number, row: number, example: number = this.numExamples - 1): number {
    const table = this.tables[tableIndex];
    if (table === undefined || row < 0 || row >= table.numRows) {
      throw shapeError('SparseGradientBatch.addRow', `table ${tableIndex} row ${row} is out of range`);
    }
    if (this.count === this.rowOf.length) this.growEntries();
    const length = table.rowLength;
    if (this.valuesUsed + length > this.values.length) {
      const grown = new Float32Array(Math.max(this.values.length * 2, this.valuesUsed + length));
      grown.set(this.values.subarray(0, this.valuesUsed));
      this.values = grown;
    }
    const entry = this.count++;
    const offset = this.valuesUsed;
    this.exampleOf[entry] = example;
    this.tableOf[entry] = tableIndex;
    this.rowOf[entry] = row;
    this.offsetOf[entry] = offset;
    this.values.fill(0, offset, offset + length);
    this.valuesUsed += length;
    return offset;
  }

  private growEntries(): void {
    const capacity = this.rowOf.length * 2;
    const grow = (source: Int32Array): Int32Array => {
      const grown = new Int32Array(capacity);
      grown.set(source);
      return grown;
    };
    this.exampleOf = grow(this.exampleOf);
    this.tableOf = grow(this.tableOf);
    this.rowOf = grow(this.rowOf);
    this.offsetOf = grow(this.offsetOf);
  }
}
