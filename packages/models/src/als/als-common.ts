import { type CsrMatrix, type Rng, TrustRecError, shapeError } from '@trustrec/core-linalg';

/** Fills a factor array with N(0, std²) draws. */
export function randomFactors(length: number, std: number, rng: Rng): Float32Array {
  const data = new Float32Array(length);
  for (let p = 0; p < length; p++) data[p] = rng.normal(0, std);
  return data;
}

/** Returns `factors` grown (zero rows appended) to hold `rows` rows of k, or itself when big enough. */
export function growRows(factors: Float32Array, rows: number, k: number): Float32Array {
  if (factors.length >= rows * k) return factors;
  const grown = new Float32Array(rows * k);
  grown.set(factors);
  return grown;
}

/**
 * Validates a fold-in request: ids are non-negative integers, `interactions` has one row per id and `columns`
 * columns (`E_SHAPE`), and its values are finite (`E_NUMERIC`). Returns the largest id (−1 for none).
 */
export function checkPartialFit(where: string, ids: Int32Array, interactions: CsrMatrix, columns: number): number {
  if (interactions.numRows !== ids.length) {
    throw shapeError(
      where,
      `interactions has ${interactions.numRows} rows but ${ids.length} ids were given; row t must hold the interactions of ids[t]`,
    );
  }
  if (interactions.numColumns !== columns) {
    throw shapeError(where, `interactions has ${interactions.numColumns} columns, expected ${columns}`);
  }
  let maxId = -1;
  for (let t = 0; t < ids.length; t++) {
    if (!Number.isInteger(ids[t]) || ids[t] < 0) throw shapeError(where, `ids[${t}] = ${ids[t]} is negative`);
    maxId = Math.max(maxId, ids[t]);
  }
  const values = interactions.values;
  for (let p = 0; p < values.length; p++) {
    if (!Number.isFinite(values[p])) {
      throw new TrustRecError({
        code: 'E_NUMERIC',
        message: `${where}: interactions.values[${p}] = ${values[p]} is not finite; fold-in needs finite interaction values`,
        details: { position: p },
      });
    }
  }
  return maxId;
}
