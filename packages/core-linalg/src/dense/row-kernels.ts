import { TrustRecError, shapeError } from '../errors/trust-rec-error.js';
import { type DenseMatrix, assertDenseMatrix, createDenseMatrix } from './dense-matrix.js';
import { dot } from './vector-kernels.js';

function checkRowIndices(where: string, name: string, indices: Int32Array, rows: number): void {
  for (let t = 0; t < indices.length; t++) {
    const row = indices[t];
    if (row < 0 || row >= rows) {
      throw shapeError(where, `${name}[${t}] = ${row} is outside [0, ${rows})`, { index: t, value: row });
    }
  }
}

/**
 * Batched row dot products: out[t] = ⟨A[rowsA[t]], B[rowsB[t]]⟩ — the score of (user, item) pairs for a batch.
 */
export function rowDots(
  a: DenseMatrix,
  b: DenseMatrix,
  rowsA: Int32Array,
  rowsB: Int32Array,
  out: Float32Array = new Float32Array(rowsA.length),
): Float32Array {
  assertDenseMatrix('rowDots', 'A', a);
  assertDenseMatrix('rowDots', 'B', b);
  if (a.columns !== b.columns) throw shapeError('rowDots', `A has ${a.columns} columns but B has ${b.columns}`);
  if (rowsA.length !== rowsB.length || out.length !== rowsA.length) {
    throw shapeError(
      'rowDots',
      `rowsA (${rowsA.length}), rowsB (${rowsB.length}) and out (${out.length}) must have equal length`,
    );
  }
  checkRowIndices('rowDots', 'rowsA', rowsA, a.rows);
  checkRowIndices('rowDots', 'rowsB', rowsB, b.rows);
  const k = a.columns;
  for (let t = 0; t < rowsA.length; t++) out[t] = dot(a.data, b.data, k, rowsA[t] * k, rowsB[t] * k);
  return out;
}

/**
 * Scales each row of `matrix` to unit L2 norm, in place. Rows of norm zero are left at zero (there is no
 * direction to keep); `zeroRows` reports how many there were. A row holding NaN or ±Infinity is E_NUMERIC,
 * and then no row has been written: every norm is computed before the first write.
 */
export function normalizeRowsInPlace(matrix: DenseMatrix): { zeroRows: number } {
  assertDenseMatrix('normalizeRows', 'matrix', matrix);
  const { rows, columns, data } = matrix;
  // Pass 1 reads only: the inverse norm of every row (0 for a zero row), or an error before any write.
  // (Squares of float32 values summed in float64 cannot overflow, so a non-finite sum means a NaN or ±Infinity.)
  const inverseNorms = new Float64Array(rows);
  let zeroRows = 0;
  for (let r = 0; r < rows; r++) {
    const base = r * columns;
    let sum = 0;
    for (let c = 0; c < columns; c++) sum += data[base + c] * data[base + c];
    if (sum === 0) {
      zeroRows++;
      continue;
    }
    if (!Number.isFinite(sum)) throw nonFiniteRowError(r);
    inverseNorms[r] = 1 / Math.sqrt(sum);
  }
  // Pass 2 writes; a zero row keeps its zeros (it is skipped, so -0 stays -0).
  for (let r = 0; r < rows; r++) {
    const inverse = inverseNorms[r];
    if (inverse === 0) continue;
    const base = r * columns;
    for (let c = 0; c < columns; c++) data[base + c] *= inverse;
  }
  return { zeroRows };
}

/**
 * The E_NUMERIC error for a row whose norm is NaN or infinite (the tfjs backend throws the same one).
 * @internal
 */
export function nonFiniteRowError(row: number): TrustRecError {
  return new TrustRecError({
    code: 'E_NUMERIC',
    message: `normalizeRows: row ${row} has a non-finite norm (it holds NaN or ±Infinity); the matrix was not changed — replace or drop the non-finite values first`,
    details: { row },
  });
}

/** A row-normalised copy (see {@link normalizeRowsInPlace}). */
export function normalizeRows(matrix: DenseMatrix): DenseMatrix {
  const copy = createDenseMatrix(matrix.rows, matrix.columns, matrix.data.slice());
  normalizeRowsInPlace(copy);
  return copy;
}

/**
 * Scatter-add of rows, the embedding-gradient primitive: target[rowIndices[t]] += scale · source[t] for each
 * t. Repeated indices accumulate. In place on `target`.
 */
export function scatterAddRowsInPlace(
  target: DenseMatrix,
  rowIndices: Int32Array,
  source: DenseMatrix,
  scale = 1,
): void {
  assertDenseMatrix('scatterAddRows', 'target', target);
  assertDenseMatrix('scatterAddRows', 'source', source);
  if (source.columns !== target.columns) {
    throw shapeError('scatterAddRows', `source has ${source.columns} columns but target has ${target.columns}`);
  }
  if (source.rows !== rowIndices.length) {
    throw shapeError('scatterAddRows', `source has ${source.rows} rows but rowIndices has ${rowIndices.length}`);
  }
  checkRowIndices('scatterAddRows', 'rowIndices', rowIndices, target.rows);
  const k = target.columns;
  const targetData = target.data;
  const sourceData = source.data;
  for (let t = 0; t < rowIndices.length; t++) {
    const targetBase = rowIndices[t] * k;
    const sourceBase = t * k;
    for (let c = 0; c < k; c++) targetData[targetBase + c] += scale * sourceData[sourceBase + c];
  }
}
