import { TrustRecError } from '@trustrec/core-linalg';
import type { HyperParameters } from '../recommender/recommender.js';

/**
 * The TrustRec model file format, version 1:
 *
 * ```
 * offset 0   8 bytes   magic "TRRECMDL"
 * offset 8   uint32 LE format version (1)
 * offset 12  uint32 LE header length H in bytes
 * offset 16  H bytes   UTF-8 JSON header (ModelFileHeader)
 * then       zero padding to a multiple of 8, then each array's little-endian bytes at header.arrays[i].byteOffset
 *            (relative to the start of the data section; every offset is a multiple of 8)
 * ```
 *
 * Arrays are stored bit-for-bit (float32 stays float32), so a model loads with identical scores. Readers reject
 * unknown magic, newer format versions, truncated data and malformed headers (no `hyperParameters` / `state`
 * object, an array entry without a name, listed twice, or with a length or byteOffset that is not a
 * non-negative integer, the offset a multiple of 8) with `E_FORMAT`.
 */
export const MODEL_FORMAT_MAGIC = 'TRRECMDL';
export const MODEL_FORMAT_VERSION = 1;

export type StoredArray = Float32Array | Float64Array | Int32Array | Uint8Array;
export type StoredDtype = 'float32' | 'float64' | 'int32' | 'uint8';

export interface StoredArrayEntry {
  readonly name: string;
  readonly dtype: StoredDtype;
  readonly length: number;
  readonly byteOffset: number;
}

/** JSON state values a model may keep in the header (counts, flags, small vectors). */
export type StoredStateValue = number | string | boolean | null | readonly number[] | readonly string[];

export interface ModelFileHeader {
  readonly format: 'trustrec-model';
  readonly formatVersion: number;
  /** Registry name of the model, e.g. `bpr`; `loadModel` dispatches on it. */
  readonly model: string;
  /** Per-model state layout version, so a model can evolve its arrays. */
  readonly modelVersion: number;
  readonly hyperParameters: HyperParameters;
  readonly state: Readonly<Record<string, StoredStateValue>>;
  readonly arrays: readonly StoredArrayEntry[];
  readonly createdBy: string;
}

/** What a model hands to {@link encodeModel}. */
export interface ModelPayload {
  readonly model: string;
  readonly modelVersion: number;
  readonly hyperParameters: HyperParameters;
  readonly state: Readonly<Record<string, StoredStateValue>>;
  readonly arrays: Readonly<Record<string, StoredArray>>;
}

/** What {@link decodeModel} returns: the header plus the arrays (copies, safe to keep and mutate). */
export interface DecodedModel {
  readonly header: ModelFileHeader;
  readonly arrays: Readonly<Record<string, StoredArray>>;
}

const PREFIX_BYTES = 16;

function dtypeOf(array: StoredArray): StoredDtype {
  if (array instanceof Float32Array) return 'float32';
  if (array instanceof Float64Array) return 'float64';
  if (array instanceof Int32Array) return 'int32';
  return 'uint8';
}

function bytesPerElement(dtype: StoredDtype): number {
  return dtype === 'float64' ? 8 : dtype === 'uint8' ? 1 : 4;
}

const align8 = (value: number): number => (value + 7) & ~7;

function formatError(message: string): TrustRecError {
  return new TrustRecError({ code: 'E_FORMAT', message: `loadModel: ${message}` });
}

function assertLittleEndian(): void {
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) {
    throw new TrustRecError({ code: 'E_FORMAT', message: 'model format: big-endian platforms are not supported' });
  }
}

/** Serialises a model payload to bytes (see the format description above). */
export function encodeModel(payload: ModelPayload): Uint8Array {
  assertLittleEndian();
  const entries: StoredArrayEntry[] = [];
  let dataBytes = 0;
  for (const [name, array] of Object.entries(payload.arrays)) {
    const dtype = dtypeOf(array);
    entries.push({ name, dtype, length: array.length, byteOffset: dataBytes });
    dataBytes = align8(dataBytes + array.length * bytesPerElement(dtype));
  }
  const header: ModelFileHeader = {
    format: 'trustrec-model',
    formatVersion: MODEL_FORMAT_VERSION,
    model: payload.model,
    modelVersion: payload.modelVersion,
    hyperParameters: payload.hyperParameters,
    state: payload.state,
    arrays: entries,
    createdBy: '@trustrec/models',
  };
  const headerBytes = new TextEncoder().encode(JSON.stringify(header));
  const dataStart = align8(PREFIX_BYTES + headerBytes.length);
  const bytes = new Uint8Array(dataStart + dataBytes);
  for (let i = 0; i < 8; i++) bytes[i] = MODEL_FORMAT_MAGIC.charCodeAt(i);
  const view = new DataView(bytes.buffer);
  view.setUint32(8, MODEL_FORMAT_VERSION, true);
  view.setUint32(12, headerBytes.length, true);
  bytes.set(headerBytes, PREFIX_BYTES);
  for (const entry of entries) {
    const array = payload.arrays[entry.name] as StoredArray;
    bytes.set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength), dataStart + entry.byteOffset);
  }
  return bytes;
}

/** Parses bytes written by {@link encodeModel}; throws `E_FORMAT` on anything else. */
export function decodeModel(bytes: Uint8Array): DecodedModel {
  assertLittleEndian();
  if (!(bytes instanceof Uint8Array)) throw formatError('expected a Uint8Array');
  if (bytes.length < PREFIX_BYTES) throw formatError(`${bytes.length} bytes is too short for a model file`);
  let magic = '';
  for (let i = 0; i < 8; i++) magic += String.fromCharCode(bytes[i]);
  if (magic !== MODEL_FORMAT_MAGIC) {
    throw formatError(
      `bad magic ${JSON.stringify(magic)}; this is not a TrustRec model file (expected "${MODEL_FORMAT_MAGIC}")`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(8, true);
  if (version !== MODEL_FORMAT_VERSION) {
    throw formatError(
      `format version ${version} is not supported (this build reads version ${MODEL_FORMAT_VERSION}); upgrade @trustrec/models`,
    );
  }
  const headerLength = view.getUint32(12, true);
  if (PREFIX_BYTES + headerLength > bytes.length)
    throw formatError(`header length ${headerLength} runs past the end of the file`);
  let header: ModelFileHeader;
  try {
    header = JSON.parse(
      new TextDecoder().decode(bytes.subarray(PREFIX_BYTES, PREFIX_BYTES + headerLength)),
    ) as ModelFileHeader;
  } catch (cause) {
    throw new TrustRecError({ code: 'E_FORMAT', message: 'loadModel: the JSON header does not parse', cause });
  }
  if (
    typeof header !== 'object' ||
    header === null ||
    header.format !== 'trustrec-model' ||
    typeof header.model !== 'string' ||
    !Array.isArray(header.arrays)
  ) {
    throw formatError('the header lacks format/model/arrays fields');
  }
  for (const field of ['hyperParameters', 'state'] as const) {
    const value: unknown = header[field];
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw formatError(
        `the header's '${field}' field must be a JSON object, got ${JSON.stringify(value) ?? 'nothing'}`,
      );
    }
  }
  const dataStart = align8(PREFIX_BYTES + headerLength);
  const arrays: Record<string, StoredArray> = {};
  for (let a = 0; a < header.arrays.length; a++) {
    const entry = header.arrays[a];
    if (typeof entry !== 'object' || entry === null || typeof entry.name !== 'string') {
      throw formatError(`header.arrays[${a}] is not an array entry { name, dtype, length, byteOffset }`);
    }
    if (Object.hasOwn(arrays, entry.name)) throw formatError(`array '${entry.name}' is listed twice in the header`);
    if (!Number.isSafeInteger(entry.length) || entry.length < 0) {
      throw formatError(`array '${entry.name}' has length ${JSON.stringify(entry.length)}; expected an integer ≥ 0`);
    }
    if (!Number.isSafeInteger(entry.byteOffset) || entry.byteOffset < 0 || entry.byteOffset % 8 !== 0) {
      throw formatError(
        `array '${entry.name}' has byteOffset ${JSON.stringify(entry.byteOffset)}; expected an integer ≥ 0 and a multiple of 8`,
      );
    }
    const size = bytesPerElement(entry.dtype) * entry.length;
    const start = dataStart + entry.byteOffset;
    if (start + size > bytes.length) {
      throw formatError(
        `array '${entry.name}' (${entry.length} × ${entry.dtype}) runs past the end of the file; the file is truncated`,
      );
    }
    // A fresh buffer: `bytes.slice` would not do, since Node's Buffer.slice returns a view of the whole file.
    const copy = new ArrayBuffer(size);
    new Uint8Array(copy).set(bytes.subarray(start, start + size));
    switch (entry.dtype) {
      case 'float32':
        arrays[entry.name] = new Float32Array(copy);
        break;
      case 'float64':
        arrays[entry.name] = new Float64Array(copy);
        break;
      case 'int32':
        arrays[entry.name] = new Int32Array(copy);
        break;
      case 'uint8':
        arrays[entry.name] = new Uint8Array(copy);
        break;
      default:
        throw formatError(`array '${entry.name}' has unknown dtype ${JSON.stringify(entry.dtype)}`);
    }
  }
  return { header, arrays };
}

/** Reads a required array of a given type from a decoded model (E_FORMAT when absent or mistyped). */
export function requireStoredArray<T extends StoredArray>(
  decoded: DecodedModel,
  name: string,
  type: { new (length: number): T; readonly name: string },
  length?: number,
): T {
  const array = decoded.arrays[name];
  if (!(array instanceof type)) {
    throw formatError(`model '${decoded.header.model}' needs array '${name}' of type ${type.name}`);
  }
  if (length !== undefined && array.length !== length) {
    throw formatError(
      `array '${name}' of model '${decoded.header.model}' has length ${array.length}, expected ${length}`,
    );
  }
  return array as T;
}

/** Reads a required numeric state field (E_FORMAT when absent). */
export function requireStoredNumber(decoded: DecodedModel, name: string): number {
  const value = decoded.header.state[name];
  if (typeof value !== 'number') throw formatError(`model '${decoded.header.model}' needs numeric state '${name}'`);
  return value;
}

/** Reads a required count (numUsers, numItems) from the state: an integer ≥ 0 (E_FORMAT otherwise). */
export function requireStoredCount(decoded: DecodedModel, name: string): number {
  const value = requireStoredNumber(decoded, name);
  if (!Number.isSafeInteger(value) || value < 0) {
    throw formatError(`model '${decoded.header.model}' has state '${name}' = ${value}; expected an integer ≥ 0`);
  }
  return value;
}
