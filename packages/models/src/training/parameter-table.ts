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

export function createParameterTable(name: string, data: Float32Array, rowLength: number): ParameterTable {
  return { name, data, numRows: data.length / rowLength, rowLength };
}
