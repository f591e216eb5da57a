import { argumentError, shapeError } from '../errors/trust-rec-error.js';
import { type DenseMatrix, assertDenseMatrix, sharesMemory } from './dense-matrix.js';
import { dot } from './vector-kernels.js';

export interface GemvOptions {
  /** Compute Aᵀ·x instead of A·x. */
  transpose?: boolean;
  /** Output buffer to fill (length rows, or columns when transposed); allocated when absent. */
  out?: Float32Array;
}

/** y = A·x (or Aᵀ·x). Returns the output buffer. */
export function gemv(a: DenseMatrix, x: Float32Array, options: GemvOptions = {}): Float32Array {
  assertDenseMatrix('gemv', 'A', a);
  const { rows, columns, data } = a;
  const transpose = options.transpose ?? false;
  const inputLength = transpose ? rows : columns;
  const outputLength = transpose ? columns : rows;
  if (x.length !== inputLength) {
    throw shapeError(
      'gemv',
      `x has length ${x.length} but A${transpose ? 'ᵀ' : ''} is ${transpose ? `${columns}×${rows}` : `${rows}×${columns}`}`,
    );
  }
  const out = options.out ?? new Float32Array(outputLength);
  if (out.length !== outputLength) throw shapeError('gemv', `out has length ${out.length}, expected ${outputLength}`);
  if (sharesMemory(out, x) || sharesMemory(out, data)) {
    throw argumentError('gemv', 'out shares memory with x or A; pass a separate output buffer');
  }
  if (!transpose) {
    for (let r = 0; r < rows; r++) out[r] = dot(data, x, columns, r * columns, 0);
    return out;
  }
  out.fill(0);
  for (let r = 0; r < rows; r++) {
    const scale = x[r];
    const base = r * columns;
    for (let c = 0; c < columns; c++) out[c] += scale * data[base + c];
  }
  return out;
}
