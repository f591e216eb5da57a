import { CsrMatrix, TrustRecError } from '@trustrec/core-linalg';
import type { SampledCandidates, Split, SplitDescription } from './split.js';

/** A JSON-safe form of a split: typed arrays as base64 (little-endian). */
export interface SerializedSplit {
  readonly format: 'trustrec-split';
  readonly version: 1;
  readonly description: SplitDescription;
  readonly train: SerializedCsr;
  readonly validation?: SerializedCsr;
  readonly test: SerializedCsr;
  readonly candidates?: { readonly users: string; readonly items: string; readonly numCandidates: number };
}

interface SerializedCsr {
  readonly numRows: number;
  readonly numColumns: number;
  readonly indptr: string;
  readonly indices: string;
  readonly values: string;
}

function toBase64(array: Int32Array | Float32Array): string {
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength).toString('base64');
}

function fromBase64<T extends Int32Array | Float32Array>(
  text: string,
  Kind: { new (buffer: ArrayBuffer): T; BYTES_PER_ELEMENT: number },
): T {
  const bytes = Buffer.from(text, 'base64');
  if (bytes.byteLength % Kind.BYTES_PER_ELEMENT !== 0) {
    throw new TrustRecError({
      code: 'E_FORMAT',
      message: 'deserializeSplit: an array has a byte length that is not a multiple of its element size',
    });
  }
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return new Kind(copy.buffer);
}

function serializeCsr(matrix: CsrMatrix): SerializedCsr {
  return {
    numRows: matrix.numRows,
    numColumns: matrix.numColumns,
    indptr: toBase64(matrix.indptr),
    indices: toBase64(matrix.indices),
    values: toBase64(matrix.values),
  };
}

function deserializeCsr(data: SerializedCsr): CsrMatrix {
  try {
    return new CsrMatrix(
      data.numRows,
      data.numColumns,
      fromBase64(data.indptr, Int32Array),
      fromBase64(data.indices, Int32Array),
      fromBase64(data.values, Float32Array),
    );
  } catch (cause) {
    throw new TrustRecError({
      code: 'E_FORMAT',
      message: `deserializeSplit: a matrix is inconsistent (${(cause as Error).message})`,
      cause,
    });
  }
}

/** Serialises a split to a JSON-safe object (write it with JSON.stringify); splits are reproducible artefacts. */
export function serializeSplit(split: Split): SerializedSplit {
  const candidates: SampledCandidates | undefined = split.candidates;
  return {
    format: 'trustrec-split',
    version: 1,
    description: split.description,
    train: serializeCsr(split.train),
    validation: split.validation ? serializeCsr(split.validation) : undefined,
    test: serializeCsr(split.test),
    candidates: candidates
      ? {
          users: toBase64(candidates.users),
          items: toBase64(candidates.items),
          numCandidates: candidates.numCandidates,
        }
      : undefined,
  };
}

/** Restores a split written by {@link serializeSplit}; anything else is `E_FORMAT`. */
export function deserializeSplit(data: unknown): Split {
  const value = data as SerializedSplit;
  if (typeof data !== 'object' || data === null || value.format !== 'trustrec-split' || value.version !== 1) {
    throw new TrustRecError({
      code: 'E_FORMAT',
      message: 'deserializeSplit: not a trustrec-split version 1 document; write it with serializeSplit',
    });
  }
  return {
    train: deserializeCsr(value.train),
    validation: value.validation ? deserializeCsr(value.validation) : undefined,
    test: deserializeCsr(value.test),
    candidates: value.candidates ? deserializeCandidates(value.candidates) : undefined,
    description: value.description,
  };
}

/** Candidates whose `numCandidates` is a positive integer and whose `items` hold that many per entry of `users`. */
function deserializeCandidates(data: NonNullable<SerializedSplit['candidates']>): SampledCandidates {
  const users = fromBase64(data.users, Int32Array);
  const items = fromBase64(data.items, Int32Array);
  const { numCandidates } = data;
  if (!(Number.isInteger(numCandidates) && numCandidates >= 1)) {
    throw new TrustRecError({
      code: 'E_FORMAT',
      message: `deserializeSplit: field 'candidates.numCandidates' must be a positive integer (1 positive + the negatives), got ${String(numCandidates)}; write the split with serializeSplit`,
      details: { field: 'candidates.numCandidates', value: numCandidates },
    });
  }
  if (items.length !== users.length * numCandidates) {
    throw new TrustRecError({
      code: 'E_FORMAT',
      message: `deserializeSplit: field 'candidates.numCandidates' is ${numCandidates}, but 'candidates.items' has ${items.length} entries for ${users.length} 'candidates.users' (expected ${users.length} × ${numCandidates} = ${users.length * numCandidates}); the document is truncated or edited, write it again with serializeSplit`,
      details: { field: 'candidates.numCandidates', value: numCandidates, items: items.length, users: users.length },
    });
  }
  return { users, items, numCandidates };
}
