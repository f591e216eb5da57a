import { TrustRecError } from '@trustrec/core-linalg';
import { describe, expect, it } from 'vitest';
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
