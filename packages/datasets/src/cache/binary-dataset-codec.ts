import { CsrMatrix, TrustRecError } from '@trustrec/core-linalg';
import { type AttributeColumn, type Dataset, createDataset } from '../core/dataset.js';

const MAGIC = 'TRDSET01';
/** Bumped whenever the layout or a loader's output changes, so stale caches are re-parsed. */
export const CACHE_FORMAT_VERSION = 1;

type ArrayKind = 'int32' | 'float32' | 'float64';
type NumericArray = Int32Array | Float32Array | Float64Array;

interface ArrayRef {
  readonly kind: ArrayKind;
  readonly offset: number;
  readonly length: number;
}

const CONSTRUCTORS = { int32: Int32Array, float32: Float32Array, float64: Float64Array } as const;

function kindOf(array: NumericArray): ArrayKind {
  if (array instanceof Int32Array) return 'int32';
  if (array instanceof Float32Array) return 'float32';
  return 'float64';
}

/**
 * Encodes a dataset into one binary blob: magic, a JSON header (ids, levels, provenance, report, array layout)
 * and the typed arrays at 8-byte aligned offsets, so decoding is one copy and zero parsing of numbers.
 */
export function encodeDataset(dataset: Dataset): Uint8Array {
  const arrays: NumericArray[] = [];
  const refs: ArrayRef[] = [];
  let offset = 0;
  const add = (array: NumericArray): number => {
    arrays.push(array);
    refs.push({ kind: kindOf(array), offset, length: array.length });
    offset += Math.ceil(array.byteLength / 8) * 8;
    return arrays.length - 1;
  };
  const matrix = (value: CsrMatrix) => ({
    numRows: value.numRows,
    numColumns: value.numColumns,
    indptr: add(value.indptr),
    indices: add(value.indices),
    values: add(value.values),
  });
  const header = {
    format: MAGIC,
    version: CACHE_FORMAT_VERSION,
    name: dataset.name,
    interactions: matrix(dataset.interactions),
    implicit: dataset.implicit,
    ratingScale: dataset.ratingScale,
    timestamps: dataset.timestamps ? add(dataset.timestamps) : undefined,
    userIds: dataset.userIds,
    itemIds: dataset.itemIds,
    userAttributes: dataset.userAttributes?.columns.map((column) =>
      column.kind === 'numeric' ? { ...column, values: add(column.values) } : { ...column, codes: add(column.codes) },
    ),
    itemCategories: dataset.itemCategories
      ? { names: dataset.itemCategories.names, matrix: matrix(dataset.itemCategories.matrix) }
      : undefined,
    itemTitles: dataset.itemTitles,
    synthetic: dataset.synthetic,
    provenance: dataset.provenance,
    loadReport: dataset.loadReport,
    refs,
  };
  const headerBytes = new TextEncoder().encode(JSON.stringify(header));
  const headerEnd = Math.ceil((12 + headerBytes.length) / 8) * 8;
  const out = new Uint8Array(headerEnd + offset);
  out.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(out.buffer).setUint32(8, headerBytes.length, true);
  out.set(headerBytes, 12);
  arrays.forEach((array, index) => {
    out.set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength), headerEnd + refs[index].offset);
  });
  return out;
}

function formatError(message: string, cause?: unknown): TrustRecError {
  return new TrustRecError({
    code: 'E_FORMAT',
    message: `dataset cache: ${message}; delete the cache file to rebuild it`,
    cause,
  });
}

/** Decodes a blob written by {@link encodeDataset}; a foreign or damaged blob is `E_FORMAT`. */
export function decodeDataset(bytes: Uint8Array, milliseconds = 0): Dataset {
  if (bytes.length < 12 || new TextDecoder().decode(bytes.subarray(0, 8)) !== MAGIC)
    throw formatError('not a TrustRec dataset cache (bad magic)');
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(8, true);
  if (12 + headerLength > bytes.length) throw formatError('truncated header');
  // biome-ignore lint/suspicious/noExplicitAny: the header is validated field by field below.
  let header: any;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + headerLength)));
  } catch (cause) {
    throw formatError('unreadable header', cause);
  }
  if (header.format !== MAGIC || header.version !== CACHE_FORMAT_VERSION)
    throw formatError(`format version ${header.version}, expected ${CACHE_FORMAT_VERSION}`);
  const headerEnd = Math.ceil((12 + headerLength) / 8) * 8;
  const body = new Uint8Array(bytes.length - headerEnd);
  body.set(bytes.subarray(headerEnd));
  const refs = header.refs as ArrayRef[];
  const array = (index: number): NumericArray => {
    const ref = refs[index];
    const Kind = CONSTRUCTORS[ref.kind];
    if (!Kind || ref.offset + ref.length * Kind.BYTES_PER_ELEMENT > body.length)
      throw formatError('truncated or inconsistent array table');
    return new Kind(body.buffer, ref.offset, ref.length);
  };
  const matrix = (value: { numRows: number; numColumns: number; indptr: number; indices: number; values: number }) => {
    try {
      return new CsrMatrix(
        value.numRows,
        value.numColumns,
        array(value.indptr) as Int32Array,
        array(value.indices) as Int32Array,
        array(value.values) as Float32Array,
      );
    } catch (cause) {
      throw formatError('inconsistent matrix', cause);
    }
  };
  const columns: AttributeColumn[] | undefined = header.userAttributes?.map(
    // biome-ignore lint/suspicious/noExplicitAny: see above.
    (column: any) =>
      column.kind === 'numeric'
        ? { ...column, values: array(column.values) }
        : { ...column, codes: array(column.codes) },
  );
  return createDataset({
    name: header.name,
    interactions: matrix(header.interactions),
    implicit: header.implicit,
    ratingScale: header.ratingScale,
    timestamps: header.timestamps === undefined ? undefined : (array(header.timestamps) as Float64Array),
    userIds: header.userIds,
    itemIds: header.itemIds,
    userAttributes: columns ? { columns } : undefined,
    itemCategories: header.itemCategories
      ? { names: header.itemCategories.names, matrix: matrix(header.itemCategories.matrix) }
      : undefined,
    itemTitles: header.itemTitles,
    synthetic: header.synthetic,
    provenance: { ...header.provenance, source: 'cache' },
    loadReport: { ...header.loadReport, fromCache: true, milliseconds },
  });
}
