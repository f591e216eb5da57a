import { TrustRecError } from '@trustrec/core-linalg';
import { describe, expect, it } from 'vitest';
import { MostPopular } from '../baselines/most-popular.js';
import { MatrixFactorizationBpr } from '../mf/matrix-factorization-bpr.js';
import { loadModel } from '../registry/default-registry.js';
import { createSyntheticInteractions } from '../testing/synthetic-interactions.js';
import { MODEL_FORMAT_MAGIC, decodeModel, encodeModel } from './model-format.js';

const payload = {
  model: 'test',
  modelVersion: 3,
  hyperParameters: { factors: 2, name: 'x', flag: true, layers: [4, 2] },
  state: { numUsers: 2 },
  arrays: {
    a: Float32Array.of(1.5, -0, Number.NaN, 3.4028234663852886e38),
    b: Int32Array.of(-1, 2, 3),
    c: Float64Array.of(Math.PI),
    d: Uint8Array.of(1, 2, 3, 4, 5),
  },
};

describe('model format v1', () => {
  it('round-trips header and arrays bit for bit, with 8-byte aligned data', () => {
    const bytes = encodeModel(payload);
    expect(String.fromCharCode(...bytes.subarray(0, 8))).toBe(MODEL_FORMAT_MAGIC);
    const decoded = decodeModel(bytes);
    expect(decoded.header.model).toBe('test');
    expect(decoded.header.modelVersion).toBe(3);
    expect(decoded.header.hyperParameters).toEqual(payload.hyperParameters);
    expect(decoded.header.arrays.every((entry) => entry.byteOffset % 8 === 0)).toBe(true);
    const a = decoded.arrays.a as Float32Array;
    expect(a).toBeInstanceOf(Float32Array);
    expect(new Uint8Array(a.buffer)).toEqual(new Uint8Array(payload.arrays.a.buffer));
    expect(Array.from(decoded.arrays.b as Int32Array)).toEqual([-1, 2, 3]);
    expect((decoded.arrays.c as Float64Array)[0]).toBe(Math.PI);
    expect(Array.from(decoded.arrays.d as Uint8Array)).toEqual([1, 2, 3, 4, 5]);
    // Decoding a subarray view (offset into a bigger buffer) works too.
    const padded = new Uint8Array(bytes.length + 3);
    padded.set(bytes, 3);
    expect(Array.from(decodeModel(padded.subarray(3)).arrays.b as Int32Array)).toEqual([-1, 2, 3]);
  });

  it('decodes a Node Buffer (what readFileSync returns, whose slice() is a view) into arrays of their own length', () => {
    const bytes = encodeModel(payload);
    const decoded = decodeModel(Buffer.from(bytes));
    expect((decoded.arrays.a as Float32Array).length).toBe(4);
    expect(Array.from(decoded.arrays.b as Int32Array)).toEqual([-1, 2, 3]);
    expect((decoded.arrays.c as Float64Array).length).toBe(1);
    expect(Array.from(decoded.arrays.d as Uint8Array)).toEqual([1, 2, 3, 4, 5]);
  });

  it('rejects foreign, newer, truncated and corrupt files with E_FORMAT', () => {
    const bytes = encodeModel(payload);
    const expectFormat = (input: Uint8Array, pattern: RegExp): void => {
      try {
        decodeModel(input);
      } catch (error) {
        expect(TrustRecError.isInstance(error, 'E_FORMAT')).toBe(true);
        expect((error as Error).message).toMatch(pattern);
        return;
      }
      throw new Error('expected E_FORMAT');
    };
    const wrongMagic = bytes.slice();
    wrongMagic[0] = 88;
    expectFormat(wrongMagic, /not a TrustRec model file/);
    const newer = bytes.slice();
    new DataView(newer.buffer).setUint32(8, 2, true);
    expectFormat(newer, /format version 2/);
    expectFormat(bytes.subarray(0, bytes.length - 8), /truncated/);
    expectFormat(bytes.subarray(0, 10), /too short/);
    const corrupt = bytes.slice();
    corrupt[16] = 0x7b + 1;
    expectFormat(corrupt, /does not parse/);
  });
});

/** `bytes` with its JSON header replaced by `edit(header)` (the data section moved to stay 8-byte aligned). */
function withHeader(bytes: Uint8Array, edit: (header: Record<string, unknown>) => unknown): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(12, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(16, 16 + headerLength)));
  const data = bytes.subarray((16 + headerLength + 7) & ~7);
  const edited = new TextEncoder().encode(JSON.stringify(edit(header)));
  const start = (16 + edited.length + 7) & ~7;
  const result = new Uint8Array(start + data.length);
  result.set(bytes.subarray(0, 12));
  new DataView(result.buffer).setUint32(12, edited.length, true);
  result.set(edited, 16);
  result.set(data, start);
  return result;
}

function expectFormatError(action: () => unknown, pattern: RegExp): void {
  let caught: unknown;
  try {
    action();
  } catch (error) {
    caught = error;
  }
  expect(TrustRecError.isInstance(caught, 'E_FORMAT'), String(caught)).toBe(true);
  expect((caught as Error).message).toMatch(pattern);
}

describe('malformed headers are E_FORMAT, never a TypeError or garbage arrays', () => {
  const bytes = encodeModel(payload);
  type Entry = { name: string; byteOffset: number; length: number };
  const editEntry = (change: (entry: Entry) => void) =>
    withHeader(bytes, (header) => {
      change((header.arrays as Entry[])[1]);
      return header;
    });

  it('round-trips through the test helper unchanged', () => {
    expect(Array.from(decodeModel(withHeader(bytes, (header) => header)).arrays.b as Int32Array)).toEqual([-1, 2, 3]);
  });

  it('a header that is not an object, or lacks its state / hyperParameters objects', () => {
    expectFormatError(() => decodeModel(withHeader(bytes, () => null)), /lacks format\/model\/arrays/);
    expectFormatError(
      () => decodeModel(withHeader(bytes, ({ state, ...header }) => header)),
      /'state' field must be a JSON object, got nothing/,
    );
    expectFormatError(
      () => decodeModel(withHeader(bytes, (header) => ({ ...header, hyperParameters: [1] }))),
      /'hyperParameters' field must be a JSON object, got \[1\]/,
    );
  });

  it('array entries with a negative, unaligned or fractional offset, a bad length, no name, or listed twice', () => {
    // A negative offset would read the header's own bytes as the array.
    expectFormatError(
      () =>
        decodeModel(
          editEntry((entry) => {
            entry.byteOffset = -16;
          }),
        ),
      /byteOffset -16/,
    );
    expectFormatError(
      () =>
        decodeModel(
          editEntry((entry) => {
            entry.byteOffset += 4;
          }),
        ),
      /multiple of 8/,
    );
    expectFormatError(
      () =>
        decodeModel(
          editEntry((entry) => {
            entry.length = -1;
          }),
        ),
      /length -1; expected an integer ≥ 0/,
    );
    expectFormatError(
      () =>
        decodeModel(
          editEntry((entry) => {
            entry.length = 1.5;
          }),
        ),
      /length 1.5/,
    );
    expectFormatError(
      () =>
        decodeModel(
          editEntry((entry) => {
            entry.length = Number.NaN;
          }),
        ),
      /length null/,
    );
    expectFormatError(
      () =>
        decodeModel(
          editEntry((entry) => {
            entry.name = 'a';
          }),
        ),
      /array 'a' is listed twice/,
    );
    expectFormatError(
      () =>
        decodeModel(
          editEntry((entry) => {
            (entry as { name?: string }).name = undefined;
          }),
        ),
      /header\.arrays\[1\] is not an array entry/,
    );
  });

  it('numUsers / numItems that are not integers ≥ 0 are E_FORMAT in loadModel and restore', async () => {
    const { train } = createSyntheticInteractions({ numUsers: 6, numItems: 8, interactionsPerUser: 3, seed: 1 });
    const pop = new MostPopular();
    await pop.fit(train);
    for (const numUsers of [-1, 2.5]) {
      const edited = withHeader(pop.save(), (header) => ({
        ...header,
        state: { ...(header.state as object), numUsers },
      }));
      expectFormatError(() => loadModel(edited), new RegExp(`state 'numUsers' = ${numUsers}; expected an integer ≥ 0`));
      expectFormatError(() => new MostPopular().restore(edited), /^pop\.restore: model 'pop' has state 'numUsers'/);
    }
    // 1.5 users × 2 factors = 3 floats would pass the array-length check and read past the factors.
    const bpr = new MatrixFactorizationBpr({ factors: 2, epochs: 1, itemBias: false });
    await bpr.fit(train);
    const saved = decodeModel(bpr.save());
    const bad = encodeModel({
      model: 'bpr',
      modelVersion: 1,
      hyperParameters: saved.header.hyperParameters,
      state: { numUsers: 1.5, numItems: 8 },
      arrays: { userFactors: new Float32Array(3), itemFactors: saved.arrays.itemFactors as Float32Array },
    });
    expectFormatError(() => loadModel(bad), /state 'numUsers' = 1.5/);
  });
});
