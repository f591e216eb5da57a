import { CsrMatrix } from '@trustrec/core-linalg';

/**
 * Fixed sampled candidates for the NCF/APR protocol: row r ranks `items[r*numCandidates .. +numCandidates)` for
 * user `users[r]`; the first item of each row is the held-out positive, the rest are sampled negatives.
 */
export interface SampledCandidates {
  readonly users: Int32Array;
  /** users.length × numCandidates, row-major, the positive first. */
  readonly items: Int32Array;
  readonly numCandidates: number;
}

/** How a split was made: method, seed, options, counts and notes (e.g. users kept in train only). */
export interface SplitDescription {
  readonly method: string;
  readonly dataset?: string;
  readonly seed?: number;
  readonly options: Readonly<Record<string, unknown>>;
  readonly counts: { readonly train: number; readonly validation?: number; readonly test: number };
  readonly notes: readonly string[];
  /** One line for people. */
  readonly summary: string;
}

/** Train / (validation) / test interaction matrices of the same shape, plus optional fixed test candidates. */
export interface Split {
  readonly train: CsrMatrix;
  readonly validation?: CsrMatrix;
  readonly test: CsrMatrix;
  readonly candidates?: SampledCandidates;
  readonly description: SplitDescription;
}

/** What splits read: the interactions and, when present, timestamps aligned with `interactions.indices`. */
export interface SplitSource {
  readonly interactions: CsrMatrix;
  readonly timestamps?: Float64Array;
  readonly name?: string;
}

/** Users with too few interactions to hold any out: keep them in train only, drop them, or throw E_ARGUMENT. */
export type SmallUserPolicy = 'train-only' | 'drop' | 'error';

/**
 * Splits the entries of `matrix` by a per-entry part code (0..numParts-1, or 255 = dropped) into numParts
 * matrices of the same shape. Row order and sorted columns are preserved, values copied.
 */
export function partitionEntries(matrix: CsrMatrix, parts: Uint8Array, numParts: number): CsrMatrix[] {
  const { numRows, numColumns, indptr, indices, values } = matrix;
  const counts = new Int32Array(numParts);
  for (let p = 0; p < parts.length; p++) if (parts[p] < numParts) counts[parts[p]]++;
  const outIndptr = Array.from({ length: numParts }, () => new Int32Array(numRows + 1));
  const outIndices = Array.from({ length: numParts }, (_, part) => new Int32Array(counts[part]));
  const outValues = Array.from({ length: numParts }, (_, part) => new Float32Array(counts[part]));
  const cursor = new Int32Array(numParts);
  for (let r = 0; r < numRows; r++) {
    for (let p = indptr[r]; p < indptr[r + 1]; p++) {
      const part = parts[p];
      if (part >= numParts) continue;
      const at = cursor[part]++;
      outIndices[part][at] = indices[p];
      outValues[part][at] = values[p];
    }
    for (let part = 0; part < numParts; part++) outIndptr[part][r + 1] = cursor[part];
  }
  return outIndptr.map(
    (indptrPart, part) => new CsrMatrix(numRows, numColumns, indptrPart, outIndices[part], outValues[part]),
  );
}

/** Builds the description with counts and a one-line summary. */
export function describeSplit(
  method: string,
  source: SplitSource,
  matrices: { train: CsrMatrix; validation?: CsrMatrix; test: CsrMatrix },
  options: Record<string, unknown>,
  notes: string[],
  seed?: number,
): SplitDescription {
  const counts = { train: matrices.train.nnz, validation: matrices.validation?.nnz, test: matrices.test.nnz };
  const validationText = counts.validation === undefined ? '' : `, validation ${counts.validation}`;
  return {
    method,
    dataset: source.name,
    seed,
    options,
    counts,
    notes,
    summary: `${method} split of ${source.name ?? 'interactions'}${seed === undefined ? '' : ` (seed ${seed})`}: train ${counts.train}${validationText}, test ${counts.test}`,
  };
}
