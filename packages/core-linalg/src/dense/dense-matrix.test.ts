import { describe, expect, test } from 'vitest';
import { TrustRecError } from '../errors/trust-rec-error.js';
import { assertDenseMatrix, cloneDenseMatrix, createDenseMatrix, denseRow, sharesMemory } from './dense-matrix.js';

function code(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    return TrustRecError.isInstance(error) ? error.code : 'not a TrustRecError';
  }
  return undefined;
}

describe('DenseMatrix helpers', () => {
  test('createDenseMatrix zero-fills or wraps without copying; checks the shape', () => {
    const zeros = createDenseMatrix(2, 3);
    expect(zeros.data).toEqual(new Float32Array(6));
    const data = new Float32Array([1, 2, 3, 4]);
    expect(createDenseMatrix(2, 2, data).data).toBe(data);
    expect(createDenseMatrix(0, 5).data.length).toBe(0);
    expect(code(() => createDenseMatrix(2, 2, new Float32Array(3)))).toBe('E_SHAPE');
    expect(code(() => createDenseMatrix(-1, 2))).toBe('E_ARGUMENT');
    expect(code(() => createDenseMatrix(2, 1.5))).toBe('E_ARGUMENT');
  });

  test('denseRow is a zero-copy view; cloneDenseMatrix copies', () => {
    const matrix = createDenseMatrix(3, 2, new Float32Array([1, 2, 3, 4, 5, 6]));
    const row = denseRow(matrix, 1);
    expect(Array.from(row)).toEqual([3, 4]);
    row[0] = 30;
    expect(matrix.data[2]).toBe(30);
    const copy = cloneDenseMatrix(matrix);
    copy.data[0] = -1;
    expect(matrix.data[0]).toBe(1);
    expect([copy.rows, copy.columns]).toEqual([3, 2]);
  });

  test('denseRow rejects a negative, too-large or non-integer row with E_SHAPE naming the row and range', () => {
    const matrix = createDenseMatrix(3, 2, new Float32Array([1, 2, 3, 4, 5, 6]));
    expect(Array.from(denseRow(matrix, 0))).toEqual([1, 2]);
    expect(Array.from(denseRow(matrix, 2))).toEqual([5, 6]);
    for (const row of [3, 5, -1, 0.5, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(
        code(() => denseRow(matrix, row)),
        String(row),
      ).toBe('E_SHAPE');
    }
    let error: TrustRecError | undefined;
    try {
      denseRow(matrix, 3);
    } catch (caught) {
      error = caught as TrustRecError;
    }
    expect(error?.message).toBe('denseRow: row must be an integer in [0, 3) (the matrix has 3 rows), got 3');
    expect(error?.details).toEqual({ row: 3, rows: 3 });
    // An empty matrix has no rows at all; a matrix with zero columns has empty rows that do exist.
    expect(code(() => denseRow(createDenseMatrix(0, 4), 0))).toBe('E_SHAPE');
    expect(denseRow(createDenseMatrix(2, 0), 1).length).toBe(0);
  });

  test('assertDenseMatrix throws E_SHAPE naming the matrix when data and shape disagree', () => {
    expect(code(() => assertDenseMatrix('f', 'A', { rows: 2, columns: 2, data: new Float32Array(4) }))).toBeUndefined();
    let message = '';
    try {
      assertDenseMatrix('gemm', 'B', { rows: 2, columns: 3, data: new Float32Array(5) });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toBe('gemm: B declares 2×3 but holds 5 elements');
  });

  test('sharesMemory detects overlapping views of one buffer only', () => {
    const buffer = new Float32Array(10);
    expect(sharesMemory(buffer, buffer)).toBe(true);
    expect(sharesMemory(buffer.subarray(0, 5), buffer.subarray(4, 8))).toBe(true);
    expect(sharesMemory(buffer.subarray(0, 5), buffer.subarray(5, 10))).toBe(false);
    expect(sharesMemory(buffer, new Float32Array(10))).toBe(false);
    expect(sharesMemory(buffer.subarray(3, 3), buffer)).toBe(false);
  });
});
