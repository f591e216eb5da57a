import { argumentError, shapeError } from '@trustrec/core-linalg';

/**
 * A trainable parameter table: `numRows` rows of `rowLength` floats, row-major, updated in place by sparse row
 * updates. Embedding tables are the typical case (user factors, item factors, item biases with rowLength 1);
 * a dense layer can be one table with one row per output unit.
 */
export interface ParameterTable {
  readonly name: string;
  /** The live parameters (not a copy). */
  readonly data: Float32Array;
  readonly numRows: number;
  readonly rowLength: number;
}

/**
 * A table over `data` (kept live, not copied) of `data.length / rowLength` rows. `E_ARGUMENT` when `data` is not a
 * Float32Array or `rowLength` is not an integer ≥ 1; `E_SHAPE` when `data.length` is not a multiple of `rowLength`.
 */
export function createParameterTable(name: string, data: Float32Array, rowLength: number): ParameterTable {
  if (!(data instanceof Float32Array))
    throw argumentError('createParameterTable', `table '${name}': data must be a Float32Array`);
  if (!Number.isInteger(rowLength) || rowLength < 1)
    throw argumentError('createParameterTable', `table '${name}': rowLength must be an integer ≥ 1, got ${rowLength}`);
  if (data.length % rowLength !== 0) {
    throw shapeError(
      'createParameterTable',
      `table '${name}': data has ${data.length} floats, which is not a whole number of rows of ${rowLength}`,
    );
  }
  return { name, data, numRows: data.length / rowLength, rowLength };
}
