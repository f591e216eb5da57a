import { expectArraysClose } from '@trustrec/test-utils';
import { describe, expect, test } from 'vitest';
import { TrustRecError } from '../errors/trust-rec-error.js';
import { type Rng, createRng } from '../random/rng.js';
import { type DenseMatrix, cloneDenseMatrix, createDenseMatrix, denseRow } from './dense-matrix.js';
import { normalizeRows, normalizeRowsInPlace, rowDots, scatterAddRowsInPlace } from './row-kernels.js';

function randomMatrix(rng: Rng, rows: number, columns: number): DenseMatrix {
  return createDenseMatrix(
    rows,
    columns,
    Float32Array.from({ length: rows * columns }, () => rng.normal()),
  );
}

function randomIndices(rng: Rng, length: number, bound: number): Int32Array {
  return Int32Array.from({ length }, () => rng.nextInt(bound));
}

function expectError(code: 'E_SHAPE' | 'E_NUMERIC', action: () => unknown): void {
  let caught: unknown;
  try {
    action();
  } catch (error) {
    caught = error;
  }
  expect(TrustRecError.isInstance(caught, code), String(caught)).toBe(true);
}

describe('rowDots', () => {
  test('matches naive per-pair dot products on random shapes (k = 1, odd k, repeated pairs, 0 pairs)', () => {
    const rng = createRng(3);
    for (const [rowsA, rowsB, k, pairs] of [
      [5, 7, 1, 10],
      [5, 7, 3, 0],
      [0, 0, 4, 0],
      [10, 20, 13, 50],
      [3, 100, 64, 200],
      [50, 50, 255, 17],
    ]) {
      const a = randomMatrix(rng, rowsA, k);
      const b = randomMatrix(rng, rowsB, k);
      const ia = rowsA === 0 ? new Int32Array(0) : randomIndices(rng, pairs, rowsA);
      const ib = rowsB === 0 ? new Int32Array(0) : randomIndices(rng, pairs, rowsB);
      const expected = new Float64Array(pairs);
      for (let t = 0; t < pairs; t++) {
        for (let c = 0; c < k; c++) expected[t] += a.data[ia[t] * k + c] * b.data[ib[t] * k + c];
      }
      const out = new Float32Array(pairs).fill(Number.NaN);
      expect(rowDots(a, b, ia, ib, out)).toBe(out);
      expectArraysClose(out, expected, { atol: 1e-5 * Math.sqrt(k), rtol: 1e-5 });
      expectArraysClose(rowDots(a, b, ia, ib), expected, { atol: 1e-5 * Math.sqrt(k), rtol: 1e-5 });
    }
  });

  test('bad shapes and out-of-range rows are E_SHAPE', () => {
    const a = createDenseMatrix(3, 2);
    const b = createDenseMatrix(4, 2);
    const one = new Int32Array([0]);
    expectError('E_SHAPE', () => rowDots(a, createDenseMatrix(3, 3), one, one));
    expectError('E_SHAPE', () => rowDots(a, b, new Int32Array([0, 1]), one));
    expectError('E_SHAPE', () => rowDots(a, b, one, one, new Float32Array(2)));
    expectError('E_SHAPE', () => rowDots(a, b, new Int32Array([3]), one));
    expectError('E_SHAPE', () => rowDots(a, b, one, new Int32Array([-1])));
    expectError('E_SHAPE', () => rowDots({ rows: 3, columns: 2, data: new Float32Array(5) }, b, one, one));
  });
});

describe('normalizeRows', () => {
  test('rows get unit norm and keep their direction; zero rows stay zero and are counted', () => {
    const rng = createRng(8);
    const matrix = randomMatrix(rng, 9, 5);
    denseRow(matrix, 2).fill(0);
    denseRow(matrix, 7).fill(0);
    const original = cloneDenseMatrix(matrix);
    const copy = normalizeRows(matrix);
    expect(copy.data).not.toBe(matrix.data);
    expect(Array.from(matrix.data)).toEqual(Array.from(original.data));
    const { zeroRows } = normalizeRowsInPlace(matrix);
    expect(zeroRows).toBe(2);
    expect(Array.from(matrix.data)).toEqual(Array.from(copy.data));
    for (let r = 0; r < 9; r++) {
      const row = Array.from(denseRow(original, r));
      const norm = Math.sqrt(row.reduce((sum, value) => sum + value * value, 0));
      const expected = norm === 0 ? row : row.map((value) => value / norm);
      expectArraysClose(denseRow(copy, r), expected, { atol: 1e-6, rtol: 1e-6 });
    }
  });

  test('handles k = 1, 0 rows, 0 columns, and huge or tiny float32 values without overflow', () => {
    const single = createDenseMatrix(3, 1, new Float32Array([-4, 0, 2.5]));
    expect(Array.from(normalizeRows(single).data)).toEqual([-1, 0, 1]);
    expect(normalizeRows(createDenseMatrix(0, 4)).data.length).toBe(0);
    expect(normalizeRowsInPlace(createDenseMatrix(2, 0)).zeroRows).toBe(2);
    const extreme = createDenseMatrix(2, 2, new Float32Array([3e38, 3e38, 1e-44, 1e-44]));
    expectArraysClose(normalizeRows(extreme).data, [Math.SQRT1_2, Math.SQRT1_2, Math.SQRT1_2, Math.SQRT1_2], {
      atol: 1e-6,
    });
  });

  test('a NaN or infinite entry is E_NUMERIC', () => {
    expectError('E_NUMERIC', () => normalizeRows(createDenseMatrix(1, 2, new Float32Array([1, Number.NaN]))));
    expectError('E_NUMERIC', () =>
      normalizeRows(createDenseMatrix(1, 2, new Float32Array([1, Number.POSITIVE_INFINITY]))),
    );
  });

  test('a non-finite row leaves the matrix unchanged, even when earlier rows could be normalised', () => {
    for (const bad of [Number.NaN, Number.NEGATIVE_INFINITY]) {
      // Rows 0, 1 (zero) and 3 are fine; row 2 is not. Nothing may be written before the error.
      const data = new Float32Array([3, 4, 0, 0, 1, bad, 6, 8]);
      const matrix = createDenseMatrix(4, 2, data);
      const before = Array.from(data);
      let caught: unknown;
      try {
        normalizeRowsInPlace(matrix);
      } catch (error) {
        caught = error;
      }
      expect(TrustRecError.isInstance(caught, 'E_NUMERIC'), String(caught)).toBe(true);
      expect((caught as TrustRecError).message).toContain('normalizeRows: row 2 has a non-finite norm');
      expect((caught as TrustRecError).details).toEqual({ row: 2 });
      expect(matrix.data).toBe(data);
      expect(Array.from(data)).toEqual(before);
    }
    // The same matrix without the bad value is normalised as usual (the check did not change the result).
    const fixed = createDenseMatrix(4, 2, new Float32Array([3, 4, 0, 0, 0, 2, 6, 8]));
    expect(normalizeRowsInPlace(fixed).zeroRows).toBe(1);
    expectArraysClose(fixed.data, [0.6, 0.8, 0, 0, 0, 1, 0.6, 0.8], { atol: 1e-7 });
  });
});

describe('scatterAddRowsInPlace', () => {
  test('matches a naive loop, repeated indices accumulate, scale applies', () => {
    const rng = createRng(12);
    for (const [targetRows, k, updates] of [
      [5, 1, 12],
      [5, 3, 0],
      [10, 7, 40],
      [3, 64, 10],
    ]) {
      const target = randomMatrix(rng, targetRows, k);
      const source = randomMatrix(rng, updates, k);
      const indices = randomIndices(rng, updates, targetRows);
      const expected = Float64Array.from(target.data);
      for (let t = 0; t < updates; t++) {
        for (let c = 0; c < k; c++) expected[indices[t] * k + c] += -0.5 * source.data[t * k + c];
      }
      scatterAddRowsInPlace(target, indices, source, -0.5);
      expectArraysClose(target.data, expected, { atol: 1e-5, rtol: 1e-5 });
    }
  });

  test('hand-computed case: row 1 hit twice, row 0 untouched', () => {
    const target = createDenseMatrix(3, 2, new Float32Array([1, 1, 2, 2, 3, 3]));
    const source = createDenseMatrix(3, 2, new Float32Array([10, 20, 30, 40, 5, 6]));
    scatterAddRowsInPlace(target, new Int32Array([1, 2, 1]), source);
    expect(Array.from(target.data)).toEqual([1, 1, 2 + 10 + 5, 2 + 20 + 6, 33, 43]);
  });

  test('bad shapes and indices are E_SHAPE', () => {
    const target = createDenseMatrix(3, 2);
    expectError('E_SHAPE', () => scatterAddRowsInPlace(target, new Int32Array([0]), createDenseMatrix(1, 3)));
    expectError('E_SHAPE', () => scatterAddRowsInPlace(target, new Int32Array([0, 1]), createDenseMatrix(1, 2)));
    expectError('E_SHAPE', () => scatterAddRowsInPlace(target, new Int32Array([3]), createDenseMatrix(1, 2)));
    expectError('E_SHAPE', () => scatterAddRowsInPlace(target, new Int32Array([-1]), createDenseMatrix(1, 2)));
  });
});
