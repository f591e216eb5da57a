import { argumentError, shapeError } from '../errors/trust-rec-error.js';

/** A dense row-major float32 matrix: element (r, c) is `data[r * columns + c]`. */
export interface DenseMatrix {
  readonly rows: number;
  readonly columns: number;
  readonly data: Float32Array;
}

/** Creates a zero-filled matrix, or wraps `data` (which must have rows * columns elements; not copied). */
export function createDenseMatrix(rows: number, columns: number, data?: Float32Array): DenseMatrix {
  if (!Number.isInteger(rows) || rows < 0 || !Number.isInteger(columns) || columns < 0) {
    throw argumentError('createDenseMatrix', `rows and columns must be non-negative integers, got ${rows}×${columns}`);
  }
  if (data && data.length !== rows * columns) {
    throw shapeError(
      'createDenseMatrix',
      `data has ${data.length} elements but ${rows}×${columns} needs ${rows * columns}`,
    );
  }
  return { rows, columns, data: data ?? new Float32Array(rows * columns) };
}

/** Checks that `matrix.data` is consistent with its shape; throws E_SHAPE naming `name` otherwise. */
export function assertDenseMatrix(where: string, name: string, matrix: DenseMatrix): void {
  if (matrix.data.length !== matrix.rows * matrix.columns) {
    throw shapeError(
      where,
      `${name} declares ${matrix.rows}×${matrix.columns} but holds ${matrix.data.length} elements`,
    );
  }
}

/** A copy with its own buffer. */
export function cloneDenseMatrix(matrix: DenseMatrix): DenseMatrix {
  return { rows: matrix.rows, columns: matrix.columns, data: matrix.data.slice() };
}

/**
 * A zero-copy view of row `row` (a subarray of the matrix's buffer). `row` must be an integer in
 * [0, matrix.rows); anything else is E_SHAPE (as `CsrMatrix.row`), never an empty or shifted view.
 */
export function denseRow(matrix: DenseMatrix, row: number): Float32Array {
  const rows = matrix.rows;
  // Called in loops: two comparisons and an integer test, no allocation unless it throws.
  if (!(row >= 0 && row < rows && Number.isInteger(row))) {
    throw shapeError('denseRow', `row must be an integer in [0, ${rows}) (the matrix has ${rows} rows), got ${row}`, {
      row,
      rows,
    });
  }
  return matrix.data.subarray(row * matrix.columns, (row + 1) * matrix.columns);
}

/**
 * True when two typed arrays share any bytes (the same buffer and overlapping ranges). Kernels that write an
 * output while reading inputs use it to refuse aliasing, which would silently give wrong results.
 * @internal
 */
export function sharesMemory(x: ArrayBufferView, y: ArrayBufferView): boolean {
  if (x.buffer !== y.buffer || x.byteLength === 0 || y.byteLength === 0) return false;
  return x.byteOffset < y.byteOffset + y.byteLength && y.byteOffset < x.byteOffset + x.byteLength;
}
