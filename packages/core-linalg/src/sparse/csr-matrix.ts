import { TrustRecError, argumentError, shapeError } from '../errors/trust-rec-error.js';
import { type DenseMatrix, assertDenseMatrix, createDenseMatrix } from '../dense/dense-matrix.js';

/** What to do when the same (row, column) appears more than once in COO input. Always explicit. */
export type DuplicatePolicy = 'sum' | 'keep-first' | 'keep-last' | 'error';

export interface CooInput {
  readonly rows: Int32Array;
  readonly columns: Int32Array;
  /** Values per entry; all ones when absent (implicit feedback). */
  readonly values?: Float32Array;
}

export interface FromCooOptions {
  readonly numRows: number;
  readonly numColumns: number;
  readonly duplicates: DuplicatePolicy;
}

/** A CSR matrix built from COO, with how many duplicate entries were merged. */
export interface CsrBuildResult {
  readonly matrix: CsrMatrix;
  readonly duplicateCount: number;
}

/**
 * Compressed sparse row matrix (float32 values, int32 indices). Column indices are sorted within each row and
 * unique. Instances are immutable by convention: algorithms build new matrices instead of editing these arrays.
 */
export class CsrMatrix {
  readonly numRows: number;
  readonly numColumns: number;
  /** Row r occupies positions [indptr[r], indptr[r + 1]) of `indices` / `values`. Length numRows + 1. */
  readonly indptr: Int32Array;
  readonly indices: Int32Array;
  readonly values: Float32Array;
  private transposed: CsrMatrix | undefined;

  /**
   * Wraps the three arrays (not copied). A negative or non-integer `numRows` / `numColumns` is E_ARGUMENT.
   * Then checks the CSR invariants in O(nnz), each broken one an E_SHAPE: indptr of length numRows + 1,
   * starting at 0, ending at indices.length = values.length and non-decreasing; column indices in
   * [0, numColumns), sorted and unique within each row.
   */
  constructor(numRows: number, numColumns: number, indptr: Int32Array, indices: Int32Array, values: Float32Array) {
    if (!Number.isInteger(numRows) || numRows < 0 || !Number.isInteger(numColumns) || numColumns < 0) {
      throw argumentError(
        'CsrMatrix',
        `numRows and numColumns must be non-negative integers, got ${numRows}, ${numColumns}`,
      );
    }
    if (indptr.length !== numRows + 1) {
      throw shapeError('CsrMatrix', `indptr has length ${indptr.length}, expected numRows + 1 = ${numRows + 1}`);
    }
    if (indices.length !== values.length || indptr[numRows] !== indices.length || indptr[0] !== 0) {
      throw shapeError(
        'CsrMatrix',
        `indptr[0] must be 0 and indptr[numRows] (${indptr[numRows]}) must equal indices (${indices.length}) and values (${values.length}) length`,
      );
    }
    for (let r = 0; r < numRows; r++) {
      const start = indptr[r];
      const end = indptr[r + 1];
      if (end < start) throw shapeError('CsrMatrix', `indptr decreases at row ${r} (${start} → ${end})`, { row: r });
      let previous = -1;
      for (let p = start; p < end; p++) {
        const column = indices[p];
        // Range first: a negative index is also below `previous`, but out of range is what is wrong with it.
        if (column < 0 || column >= numColumns) {
          throw shapeError(
            'CsrMatrix',
            `row ${r}: column index ${column} at position ${p} is outside [0, ${numColumns}); every column index must name a column of the matrix`,
            { row: r, position: p, column },
          );
        }
        if (column <= previous) {
          throw shapeError(
            'CsrMatrix',
            `row ${r}: column index ${column} at position ${p} is not strictly increasing (indices must be sorted and unique within a row)`,
            { row: r, position: p, column },
          );
        }
        previous = column;
      }
    }
    this.numRows = numRows;
    this.numColumns = numColumns;
    this.indptr = indptr;
    this.indices = indices;
    this.values = values;
  }

  /** Number of stored entries. */
  get nnz(): number {
    return this.indices.length;
  }

  /** Builds from COO triplets; see {@link buildCsrFromCoo} for the duplicate count. */
  static fromCoo(coo: CooInput, options: FromCooOptions): CsrMatrix {
    return buildCsrFromCoo(coo, options).matrix;
  }

  /** An empty matrix of the given shape. */
  static empty(numRows: number, numColumns: number): CsrMatrix {
    return new CsrMatrix(numRows, numColumns, new Int32Array(numRows + 1), new Int32Array(0), new Float32Array(0));
  }

  /** Stored entries in row r. */
  rowNnz(row: number): number {
    this.checkRow('CsrMatrix.rowNnz', row);
    return this.indptr[row + 1] - this.indptr[row];
  }

  /** Zero-copy views of row r's column indices and values. */
  row(row: number): { indices: Int32Array; values: Float32Array } {
    this.checkRow('CsrMatrix.row', row);
    const start = this.indptr[row];
    const end = this.indptr[row + 1];
    return { indices: this.indices.subarray(start, end), values: this.values.subarray(start, end) };
  }

  /** Value at (row, column), 0 when not stored (binary search within the row). */
  get(row: number, column: number): number {
    const position = this.find('CsrMatrix.get', row, column);
    return position < 0 ? 0 : this.values[position];
  }

  /** True when (row, column) is stored. */
  has(row: number, column: number): boolean {
    return this.find('CsrMatrix.has', row, column) >= 0;
  }

  private checkRow(where: string, row: number): void {
    if (!Number.isInteger(row) || row < 0 || row >= this.numRows) {
      throw shapeError(where, `row ${row} is outside [0, ${this.numRows})`, { row });
    }
  }

  /** Position of (row, column) in `indices` / `values`, or -1; `where` names the public caller in errors. */
  private find(where: string, row: number, column: number): number {
    this.checkRow(where, row);
    if (!Number.isInteger(column) || column < 0 || column >= this.numColumns) {
      throw shapeError(where, `column ${column} is outside [0, ${this.numColumns})`, { column });
    }
    let low = this.indptr[row];
    let high = this.indptr[row + 1] - 1;
    const indices = this.indices;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const value = indices[middle];
      if (value === column) return middle;
      if (value < column) low = middle + 1;
      else high = middle - 1;
    }
    return -1;
  }

  /** The transpose (column-major view as CSR), computed once by counting sort and cached. */
  transpose(): CsrMatrix {
    if (this.transposed) return this.transposed;
    const { numRows, numColumns, indptr, indices, values } = this;
    const nnz = indices.length;
    const outIndptr = new Int32Array(numColumns + 1);
    for (let p = 0; p < nnz; p++) outIndptr[indices[p] + 1]++;
    for (let c = 0; c < numColumns; c++) outIndptr[c + 1] += outIndptr[c];
    const cursor = outIndptr.slice(0, numColumns);
    const outIndices = new Int32Array(nnz);
    const outValues = new Float32Array(nnz);
    for (let r = 0; r < numRows; r++) {
      for (let p = indptr[r]; p < indptr[r + 1]; p++) {
        const destination = cursor[indices[p]]++;
        outIndices[destination] = r;
        outValues[destination] = values[p];
      }
    }
    const result = new CsrMatrix(numColumns, numRows, outIndptr, outIndices, outValues);
    result.transposed = this;
    this.transposed = result;
    return result;
  }

  /** A new matrix made of the given rows, in the given order (row t of the result is row rows[t] of this). */
  selectRows(rows: Int32Array): CsrMatrix {
    const outIndptr = new Int32Array(rows.length + 1);
    for (let t = 0; t < rows.length; t++) {
      const row = rows[t];
      if (row < 0 || row >= this.numRows)
        throw shapeError('CsrMatrix.selectRows', `rows[${t}] = ${row} is outside [0, ${this.numRows})`);
      outIndptr[t + 1] = outIndptr[t] + this.indptr[row + 1] - this.indptr[row];
    }
    const total = outIndptr[rows.length];
    const outIndices = new Int32Array(total);
    const outValues = new Float32Array(total);
    for (let t = 0; t < rows.length; t++) {
      const start = this.indptr[rows[t]];
      const end = this.indptr[rows[t] + 1];
      outIndices.set(this.indices.subarray(start, end), outIndptr[t]);
      outValues.set(this.values.subarray(start, end), outIndptr[t]);
    }
    return new CsrMatrix(rows.length, this.numColumns, outIndptr, outIndices, outValues);
  }

  /** y = A·x. */
  spmv(x: Float32Array | Float64Array, out: Float32Array = new Float32Array(this.numRows)): Float32Array {
    if (x.length !== this.numColumns)
      throw shapeError('CsrMatrix.spmv', `x has length ${x.length}, expected ${this.numColumns}`);
    if (out.length !== this.numRows)
      throw shapeError('CsrMatrix.spmv', `out has length ${out.length}, expected ${this.numRows}`);
    const { indptr, indices, values } = this;
    for (let r = 0; r < this.numRows; r++) {
      let sum = 0;
      for (let p = indptr[r]; p < indptr[r + 1]; p++) sum += values[p] * x[indices[p]];
      out[r] = sum;
    }
    return out;
  }

  /** C = A·D for a dense (numColumns × k) factor matrix D; returns (numRows × k). */
  spmm(dense: DenseMatrix, out?: DenseMatrix): DenseMatrix {
    assertDenseMatrix('CsrMatrix.spmm', 'dense', dense);
    if (dense.rows !== this.numColumns) {
      throw shapeError('CsrMatrix.spmm', `dense has ${dense.rows} rows, expected ${this.numColumns}`);
    }
    const k = dense.columns;
    const result = out ?? createDenseMatrix(this.numRows, k);
    if (result.rows !== this.numRows || result.columns !== k || result.data.length !== this.numRows * k) {
      throw shapeError('CsrMatrix.spmm', `out is ${result.rows}×${result.columns}, expected ${this.numRows}×${k}`);
    }
    const { indptr, indices, values } = this;
    const source = dense.data;
    const target = result.data;
    target.fill(0);
    for (let r = 0; r < this.numRows; r++) {
      const targetBase = r * k;
      for (let p = indptr[r]; p < indptr[r + 1]; p++) {
        const value = values[p];
        const sourceBase = indices[p] * k;
        for (let c = 0; c < k; c++) target[targetBase + c] += value * source[sourceBase + c];
      }
    }
    return result;
  }
}

/**
 * Builds a CSR matrix from COO triplets in O(nnz + rows + columns): two stable counting sorts (by column, then
 * by row) order entries by (row, column) while keeping input order among duplicates, which the policy then
 * resolves: `sum` adds them, `keep-first` / `keep-last` keep one by input position, `error` throws E_ARGUMENT
 * naming the pair and both input positions.
 */
export function buildCsrFromCoo(coo: CooInput, options: FromCooOptions): CsrBuildResult {
  const { rows, columns, values } = coo;
  const { numRows, numColumns, duplicates } = options;
  const nnz = rows.length;
  if (columns.length !== nnz || (values && values.length !== nnz)) {
    throw shapeError(
      'buildCsrFromCoo',
      `rows (${nnz}), columns (${columns.length}) and values (${values?.length ?? 'absent'}) must have equal length`,
    );
  }
  if (!Number.isInteger(numRows) || numRows < 0 || !Number.isInteger(numColumns) || numColumns < 0) {
    throw argumentError(
      'buildCsrFromCoo',
      `numRows and numColumns must be non-negative integers, got ${numRows}, ${numColumns}`,
    );
  }
  if (!['sum', 'keep-first', 'keep-last', 'error'].includes(duplicates)) {
    throw argumentError(
      'buildCsrFromCoo',
      `duplicates must be one of sum, keep-first, keep-last, error; got ${String(duplicates)}`,
    );
  }
  for (let p = 0; p < nnz; p++) {
    if (rows[p] < 0 || rows[p] >= numRows)
      throw shapeError('buildCsrFromCoo', `rows[${p}] = ${rows[p]} is outside [0, ${numRows})`);
    if (columns[p] < 0 || columns[p] >= numColumns) {
      throw shapeError('buildCsrFromCoo', `columns[${p}] = ${columns[p]} is outside [0, ${numColumns})`);
    }
  }
  // Pass 1: stable counting sort of entry positions by column.
  const columnStart = new Int32Array(numColumns + 1);
  for (let p = 0; p < nnz; p++) columnStart[columns[p] + 1]++;
  for (let c = 0; c < numColumns; c++) columnStart[c + 1] += columnStart[c];
  const byColumn = new Int32Array(nnz);
  for (let p = 0; p < nnz; p++) byColumn[columnStart[columns[p]]++] = p;
  // Pass 2: stable counting sort of those positions by row → ordered by (row, column, input position).
  const rowStart = new Int32Array(numRows + 1);
  for (let p = 0; p < nnz; p++) rowStart[rows[p] + 1]++;
  for (let r = 0; r < numRows; r++) rowStart[r + 1] += rowStart[r];
  const cursor = rowStart.slice(0, numRows);
  const ordered = new Int32Array(nnz);
  for (let t = 0; t < nnz; t++) {
    const p = byColumn[t];
    ordered[cursor[rows[p]]++] = p;
  }
  // Merge duplicates (adjacent now).
  const indptr = new Int32Array(numRows + 1);
  const outIndices = new Int32Array(nnz);
  const outValues = new Float32Array(nnz);
  let written = 0;
  let duplicateCount = 0;
  for (let r = 0; r < numRows; r++) {
    for (let t = rowStart[r]; t < rowStart[r + 1]; t++) {
      const p = ordered[t];
      const column = columns[p];
      const value = values ? values[p] : 1;
      if (written > indptr[r] && outIndices[written - 1] === column) {
        duplicateCount++;
        if (duplicates === 'error') {
          const first = ordered[t - 1];
          throw new TrustRecError({
            code: 'E_ARGUMENT',
            message: `buildCsrFromCoo: duplicate entry (${r}, ${column}) at input positions ${first} and ${p}; choose a duplicates policy (sum, keep-first, keep-last)`,
            details: { row: r, column, positions: [first, p] },
          });
        }
        if (duplicates === 'sum') outValues[written - 1] += value;
        else if (duplicates === 'keep-last') outValues[written - 1] = value;
        continue;
      }
      outIndices[written] = column;
      outValues[written] = value;
      written++;
    }
    indptr[r + 1] = written;
  }
  const matrix = new CsrMatrix(
    numRows,
    numColumns,
    indptr,
    written === nnz ? outIndices : outIndices.slice(0, written),
    written === nnz ? outValues : outValues.slice(0, written),
  );
  return { matrix, duplicateCount };
}
