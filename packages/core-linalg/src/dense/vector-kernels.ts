import { shapeError } from '../errors/trust-rec-error.js';

/**
 * Level-1 BLAS over typed arrays with explicit offsets, so hot loops can address rows of a flat factor matrix
 * without creating subarray views. No allocation; accumulation in double precision. Each call checks once that
 * its range lies inside every array (E_SHAPE), so a wrong length or offset fails loudly instead of reading
 * `undefined` (NaN) or dropping writes.
 */

function checkRange(where: string, name: string, array: ArrayLike<number>, length: number, offset: number): void {
  if (!(length >= 0) || !(offset >= 0) || offset + length > array.length) {
    throw shapeError(where, `${name}[${offset} .. ${offset} + ${length}) is outside its ${array.length} elements`, {
      length,
      offset,
    });
  }
}

/** Σ_i x[xOffset + i] · y[yOffset + i] for i < length. */
export function dot(
  x: Float32Array | Float64Array,
  y: Float32Array | Float64Array,
  length: number = x.length,
  xOffset = 0,
  yOffset = 0,
): number {
  checkRange('dot', 'x', x, length, xOffset);
  checkRange('dot', 'y', y, length, yOffset);
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = 0;
  for (; i + 3 < length; i += 4) {
    s0 += x[xOffset + i] * y[yOffset + i];
    s1 += x[xOffset + i + 1] * y[yOffset + i + 1];
    s2 += x[xOffset + i + 2] * y[yOffset + i + 2];
    s3 += x[xOffset + i + 3] * y[yOffset + i + 3];
  }
  for (; i < length; i++) s0 += x[xOffset + i] * y[yOffset + i];
  return s0 + s1 + s2 + s3;
}

/** y[yOffset + i] += alpha · x[xOffset + i] for i < length (in place on y). */
export function axpy(
  alpha: number,
  x: Float32Array | Float64Array,
  y: Float32Array | Float64Array,
  length: number = x.length,
  xOffset = 0,
  yOffset = 0,
): void {
  checkRange('axpy', 'x', x, length, xOffset);
  checkRange('axpy', 'y', y, length, yOffset);
  for (let i = 0; i < length; i++) y[yOffset + i] += alpha * x[xOffset + i];
}

/** x[offset + i] *= alpha for i < length (in place). */
export function scal(alpha: number, x: Float32Array | Float64Array, length: number = x.length, offset = 0): void {
  checkRange('scal', 'x', x, length, offset);
  for (let i = 0; i < length; i++) x[offset + i] *= alpha;
}

/** Euclidean norm of x[offset .. offset + length), computed with scaling so it neither overflows nor underflows. */
export function nrm2(x: Float32Array | Float64Array, length: number = x.length, offset = 0): number {
  checkRange('nrm2', 'x', x, length, offset);
  let scale = 0;
  let sumOfSquares = 1;
  for (let i = 0; i < length; i++) {
    const value = x[offset + i];
    if (value !== 0) {
      const absolute = Math.abs(value);
      if (scale < absolute) {
        const ratio = scale / absolute;
        sumOfSquares = 1 + sumOfSquares * ratio * ratio;
        scale = absolute;
      } else {
        // absolute === scale also covers two infinities, where the ratio would be NaN.
        const ratio = absolute === scale ? 1 : absolute / scale;
        sumOfSquares += ratio * ratio;
      }
    }
  }
  return scale * Math.sqrt(sumOfSquares);
}
