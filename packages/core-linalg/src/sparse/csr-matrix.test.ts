import { expectArraysClose } from '@trustrec/test-utils';
import { describe, expect, test } from 'vitest';
import { type DenseMatrix, createDenseMatrix } from '../dense/dense-matrix.js';
import { TrustRecError } from '../errors/trust-rec-error.js';
import { type Rng, createRng } from '../random/rng.js';
import { type CooInput, CsrMatrix, type DuplicatePolicy, buildCsrFromCoo } from './csr-matrix.js';

function toDense(matrix: CsrMatrix): Float64Array {
  const dense = new Float64Array(matrix.numRows * matrix.numColumns);
  for (let r = 0; r < matrix.numRows; r++) {
    for (let p = matrix.indptr[r]; p < matrix.indptr[r + 1]; p++)
      dense[r * matrix.numColumns + matrix.indices[p]] = matrix.values[p];
  }
  return dense;
}

/** Random COO with duplicates; also returns the dense matrix each duplicate policy should produce. */
function randomCoo(rng: Rng, numRows: number, numColumns: number, nnz: number): CooInput {
  const rows = Int32Array.from({ length: nnz }, () => rng.nextInt(numRows));
  const columns = Int32Array.from({ length: nnz }, () => rng.nextInt(numColumns));
  const values = Float32Array.from({ length: nnz }, () => 1 + rng.nextInt(9));
  return { rows, columns, values };
}

function denseFromCoo(coo: CooInput, numRows: number, numColumns: number, policy: DuplicatePolicy): Float64Array {
  const dense = new Float64Array(numRows * numColumns);
  const seen = new Set<number>();
  for (let p = 0; p < coo.rows.length; p++) {
    const cell = coo.rows[p] * numColumns + coo.columns[p];
    const value = coo.values ? coo.values[p] : 1;
    if (policy === 'sum') dense[cell] += value;
    else if (policy === 'keep-last' || !seen.has(cell)) dense[cell] = value;
    seen.add(cell);
  }
  return dense;
}

function expectInvariants(matrix: CsrMatrix): void {
  expect(matrix.indptr.length).toBe(matrix.numRows + 1);
  expect(matrix.indptr[0]).toBe(0);
  expect(matrix.indptr[matrix.numRows]).toBe(matrix.nnz);
  for (let r = 0; r < matrix.numRows; r++) {
    const { indices } = matrix.row(r);
    expect(indices.length).toBe(matrix.rowNnz(r));
    for (let t = 1; t < indices.length; t++) expect(indices[t]).toBeGreaterThan(indices[t - 1]);
  }
}

function expectError(code: 'E_SHAPE' | 'E_ARGUMENT', action: () => unknown): TrustRecError {
  let caught: unknown;
  try {
    action();
  } catch (error) {
    caught = error;
  }
  expect(TrustRecError.isInstance(caught, code), String(caught)).toBe(true);
  return caught as TrustRecError;
}

// (0,1)=1 (2,0)=2 (0,1)=3 (1,2)=4 (0,0)=5 (0,1)=6: the pair (0,1) appears three times.
const SMALL: CooInput = {
  rows: new Int32Array([0, 2, 0, 1, 0, 0]),
  columns: new Int32Array([1, 0, 1, 2, 0, 1]),
  values: new Float32Array([1, 2, 3, 4, 5, 6]),
};
const SMALL_SHAPE = { numRows: 3, numColumns: 3 };

describe('buildCsrFromCoo', () => {
  test.each([
    ['sum', 10],
    ['keep-first', 1],
    ['keep-last', 6],
  ] as const)('duplicates: %s gives (0,1) = %i; rows sorted by column', (policy, expected) => {
    const { matrix, duplicateCount } = buildCsrFromCoo(SMALL, { ...SMALL_SHAPE, duplicates: policy });
    expect(duplicateCount).toBe(2);
    expect(Array.from(matrix.indptr)).toEqual([0, 2, 3, 4]);
    expect(Array.from(matrix.indices)).toEqual([0, 1, 2, 0]);
    expect(Array.from(matrix.values)).toEqual([5, expected, 4, 2]);
    expect(matrix.nnz).toBe(4);
  });

  test("duplicates: 'error' is E_ARGUMENT naming the pair and both input positions", () => {
    const error = expectError('E_ARGUMENT', () => buildCsrFromCoo(SMALL, { ...SMALL_SHAPE, duplicates: 'error' }));
    expect(error.message).toContain('(0, 1)');
    expect(error.message).toContain('positions 0 and 2');
    expect(error.details).toMatchObject({ row: 0, column: 1, positions: [0, 2] });
    const clean = buildCsrFromCoo(
      { rows: new Int32Array([1, 0]), columns: new Int32Array([0, 1]) },
      { numRows: 2, numColumns: 2, duplicates: 'error' },
    );
    expect(clean.duplicateCount).toBe(0);
    expect(Array.from(clean.matrix.values)).toEqual([1, 1]); // values default to ones
    const implicit = buildCsrFromCoo(
      { rows: SMALL.rows, columns: SMALL.columns },
      { ...SMALL_SHAPE, duplicates: 'sum' },
    );
    expect(Array.from(implicit.matrix.values)).toEqual([1, 3, 1, 1]); // (0,1) seen three times
  });

  test('random COO with duplicates matches a dense reference for every policy', () => {
    const rng = createRng(44);
    for (let trial = 0; trial < 60; trial++) {
      const numRows = 1 + rng.nextInt(12);
      const numColumns = 1 + rng.nextInt(12);
      const coo = randomCoo(rng, numRows, numColumns, rng.nextInt(80));
      const distinct = new Set(Array.from(coo.rows, (r, p) => r * numColumns + coo.columns[p])).size;
      for (const policy of ['sum', 'keep-first', 'keep-last'] as const) {
        const { matrix, duplicateCount } = buildCsrFromCoo(coo, { numRows, numColumns, duplicates: policy });
        expectInvariants(matrix);
        expect(matrix.nnz).toBe(distinct);
        expect(duplicateCount).toBe(coo.rows.length - distinct);
        expect(Array.from(toDense(matrix))).toEqual(Array.from(denseFromCoo(coo, numRows, numColumns, policy)));
      }
    }
  });

  test('empty input, empty rows, zero-sized matrices', () => {
    const none = CsrMatrix.fromCoo(
      { rows: new Int32Array(0), columns: new Int32Array(0) },
      { numRows: 3, numColumns: 2, duplicates: 'error' },
    );
    expect(Array.from(none.indptr)).toEqual([0, 0, 0, 0]);
    expect(none.nnz).toBe(0);
    const zero = CsrMatrix.fromCoo(
      { rows: new Int32Array(0), columns: new Int32Array(0) },
      { numRows: 0, numColumns: 0, duplicates: 'sum' },
    );
    expect(zero.numRows).toBe(0);
    expect(zero.transpose().numRows).toBe(0);
    const gaps = CsrMatrix.fromCoo(
      { rows: new Int32Array([3, 0]), columns: new Int32Array([1, 1]) },
      { numRows: 5, numColumns: 2, duplicates: 'error' },
    );
    expect(Array.from(gaps.indptr)).toEqual([0, 1, 1, 1, 2, 2]);
    expect(gaps.rowNnz(1)).toBe(0);
    expect(gaps.row(4).indices.length).toBe(0);
  });

  test('out-of-range coordinates and mismatched lengths are E_SHAPE; bad options are E_ARGUMENT', () => {
    const options = { numRows: 2, numColumns: 2, duplicates: 'sum' } as const;
    expectError('E_SHAPE', () => buildCsrFromCoo({ rows: new Int32Array([2]), columns: new Int32Array([0]) }, options));
    expectError('E_SHAPE', () =>
      buildCsrFromCoo({ rows: new Int32Array([-1]), columns: new Int32Array([0]) }, options),
    );
    expectError('E_SHAPE', () => buildCsrFromCoo({ rows: new Int32Array([0]), columns: new Int32Array([2]) }, options));
    expectError('E_SHAPE', () =>
      buildCsrFromCoo({ rows: new Int32Array([0, 1]), columns: new Int32Array([0]) }, options),
    );
    expectError('E_SHAPE', () =>
      buildCsrFromCoo(
        { rows: new Int32Array([0]), columns: new Int32Array([0]), values: new Float32Array(2) },
        options,
      ),
    );
    const empty = { rows: new Int32Array(0), columns: new Int32Array(0) };
    expectError('E_ARGUMENT', () => buildCsrFromCoo(empty, { ...options, duplicates: 'max' as DuplicatePolicy }));
    expectError('E_ARGUMENT', () => buildCsrFromCoo(empty, { ...options, numRows: -1 }));
    expectError('E_ARGUMENT', () => buildCsrFromCoo(empty, { ...options, numColumns: 1.5 }));
  });
});

describe('CsrMatrix', () => {
  const matrix = CsrMatrix.fromCoo(SMALL, { ...SMALL_SHAPE, duplicates: 'sum' });

  test('get / has: stored, unstored and empty-row cells; out-of-range is E_SHAPE', () => {
    expect(matrix.get(0, 1)).toBe(10);
    expect(matrix.get(0, 0)).toBe(5);
    expect(matrix.get(1, 2)).toBe(4);
    expect(matrix.get(1, 0)).toBe(0);
    expect(matrix.has(2, 0)).toBe(true);
    expect(matrix.has(2, 2)).toBe(false);
    const gaps = CsrMatrix.fromCoo(
      { rows: new Int32Array([2]), columns: new Int32Array([1]) },
      { numRows: 3, numColumns: 3, duplicates: 'sum' },
    );
    expect(gaps.has(0, 1)).toBe(false);
    expect(gaps.get(2, 1)).toBe(1);
    expectError('E_SHAPE', () => matrix.get(3, 0));
    expectError('E_SHAPE', () => matrix.get(-1, 0));
    expectError('E_SHAPE', () => matrix.has(0, 3));
    expectError('E_SHAPE', () => matrix.rowNnz(3));
    expectError('E_SHAPE', () => matrix.row(-1));
  });

  test('get and has errors name the method that was called', () => {
    expect(expectError('E_SHAPE', () => matrix.has(0, 3)).message).toBe('CsrMatrix.has: column 3 is outside [0, 3)');
    expect(expectError('E_SHAPE', () => matrix.has(3, 0)).message).toBe('CsrMatrix.has: row 3 is outside [0, 3)');
    expect(expectError('E_SHAPE', () => matrix.get(0, -1)).message).toBe('CsrMatrix.get: column -1 is outside [0, 3)');
    expect(expectError('E_SHAPE', () => matrix.get(-1, 0)).message).toBe('CsrMatrix.get: row -1 is outside [0, 3)');
  });

  test('get agrees with the dense form on random matrices', () => {
    const rng = createRng(3);
    const numRows = 9;
    const numColumns = 11;
    const random = CsrMatrix.fromCoo(randomCoo(rng, numRows, numColumns, 40), {
      numRows,
      numColumns,
      duplicates: 'keep-last',
    });
    const dense = toDense(random);
    for (let r = 0; r < numRows; r++) {
      for (let c = 0; c < numColumns; c++) {
        expect(random.get(r, c)).toBe(dense[r * numColumns + c]);
        expect(random.has(r, c)).toBe(dense[r * numColumns + c] !== 0);
      }
    }
  });

  test('transpose matches the dense transpose, keeps invariants, and twice gives the original', () => {
    const rng = createRng(10);
    for (const [numRows, numColumns, nnz] of [
      [7, 5, 20],
      [1, 9, 4],
      [9, 1, 6],
      [4, 6, 0],
    ]) {
      const original = CsrMatrix.fromCoo(randomCoo(rng, numRows, numColumns, nnz), {
        numRows,
        numColumns,
        duplicates: 'sum',
      });
      const transposed = original.transpose();
      expect([transposed.numRows, transposed.numColumns]).toEqual([numColumns, numRows]);
      expectInvariants(transposed);
      const dense = toDense(original);
      const denseT = toDense(transposed);
      for (let r = 0; r < numRows; r++)
        for (let c = 0; c < numColumns; c++) expect(denseT[c * numRows + r]).toBe(dense[r * numColumns + c]);
      expect(transposed.transpose()).toBe(original); // cached both ways
      // A freshly computed double transpose equals the original array for array.
      const fresh = new CsrMatrix(
        numColumns,
        numRows,
        transposed.indptr,
        transposed.indices,
        transposed.values,
      ).transpose();
      expect(Array.from(fresh.indptr)).toEqual(Array.from(original.indptr));
      expect(Array.from(fresh.indices)).toEqual(Array.from(original.indices));
      expect(Array.from(fresh.values)).toEqual(Array.from(original.values));
    }
  });

  test('selectRows copies rows in the given order (repeats allowed); out-of-range is E_SHAPE', () => {
    const selected = matrix.selectRows(new Int32Array([2, 0, 2, 1]));
    expectInvariants(selected);
    expect(selected.numRows).toBe(4);
    expect(selected.numColumns).toBe(3);
    expect(Array.from(selected.indptr)).toEqual([0, 1, 3, 4, 5]);
    expect(Array.from(selected.indices)).toEqual([0, 0, 1, 0, 2]);
    expect(Array.from(selected.values)).toEqual([2, 5, 10, 2, 4]);
    expect(matrix.selectRows(new Int32Array(0)).numRows).toBe(0);
    expectError('E_SHAPE', () => matrix.selectRows(new Int32Array([0, 3])));
  });

  test('spmv and spmm match dense products (incl. empty rows, k = 1, out reuse)', () => {
    const rng = createRng(21);
    for (const [numRows, numColumns, nnz, k] of [
      [6, 8, 20, 1],
      [6, 8, 20, 5],
      [10, 3, 0, 4],
      [0, 4, 0, 3],
      [15, 30, 90, 17],
    ]) {
      const csr = CsrMatrix.fromCoo(randomCoo(rng, numRows, numColumns, nnz), {
        numRows,
        numColumns,
        duplicates: 'sum',
      });
      const dense = toDense(csr);
      const x = Float64Array.from({ length: numColumns }, () => rng.normal());
      const expectedY = new Float64Array(numRows);
      for (let r = 0; r < numRows; r++)
        for (let c = 0; c < numColumns; c++) expectedY[r] += dense[r * numColumns + c] * x[c];
      const out = new Float32Array(numRows).fill(Number.NaN);
      expect(csr.spmv(x, out)).toBe(out);
      expectArraysClose(out, expectedY, { atol: 1e-4, rtol: 1e-5 });
      expectArraysClose(csr.spmv(Float32Array.from(x)), expectedY, { atol: 1e-4, rtol: 1e-5 });

      const factors: DenseMatrix = createDenseMatrix(
        numColumns,
        k,
        Float32Array.from({ length: numColumns * k }, () => rng.normal()),
      );
      const expectedC = new Float64Array(numRows * k);
      for (let r = 0; r < numRows; r++) {
        for (let j = 0; j < k; j++) {
          for (let c = 0; c < numColumns; c++)
            expectedC[r * k + j] += dense[r * numColumns + c] * factors.data[c * k + j];
        }
      }
      expectArraysClose(csr.spmm(factors).data, expectedC, { atol: 1e-4, rtol: 1e-5 });
      const reuse = createDenseMatrix(numRows, k, new Float32Array(numRows * k).fill(Number.NaN));
      expect(csr.spmm(factors, reuse)).toBe(reuse);
      expectArraysClose(reuse.data, expectedC, { atol: 1e-4, rtol: 1e-5 });
    }
  });

  test('spmv / spmm shape errors are E_SHAPE', () => {
    expectError('E_SHAPE', () => matrix.spmv(new Float32Array(2)));
    expectError('E_SHAPE', () => matrix.spmv(new Float32Array(3), new Float32Array(2)));
    expectError('E_SHAPE', () => matrix.spmm(createDenseMatrix(2, 4)));
    expectError('E_SHAPE', () => matrix.spmm(createDenseMatrix(3, 4), createDenseMatrix(3, 3)));
    expectError('E_SHAPE', () => matrix.spmm({ rows: 3, columns: 4, data: new Float32Array(11) }));
  });

  test('CsrMatrix.empty and the constructor checks every CSR invariant', () => {
    const empty = CsrMatrix.empty(4, 7);
    expect([empty.numRows, empty.numColumns, empty.nnz]).toEqual([4, 7, 0]);
    expect(Array.from(empty.spmv(new Float32Array(7).fill(1)))).toEqual([0, 0, 0, 0]);
    expect(empty.transpose().numRows).toBe(7);
    const ok = (indptr: number[], indices: number[]) =>
      new CsrMatrix(2, 3, Int32Array.from(indptr), Int32Array.from(indices), new Float32Array(indices.length));
    expect(ok([0, 1, 3], [2, 0, 1]).nnz).toBe(3);
    expectError('E_SHAPE', () => ok([0, 1], [0])); // indptr too short
    expectError('E_SHAPE', () => ok([1, 1, 1], [0])); // indptr[0] ≠ 0
    expectError('E_SHAPE', () => ok([0, 2, 1], [0, 1])); // indptr decreases
    expectError('E_SHAPE', () => ok([0, 1, 2], [0, 3])); // column out of range
    expectError('E_SHAPE', () => ok([0, 2, 2], [1, 0])); // unsorted within a row
    expectError('E_SHAPE', () => ok([0, 2, 2], [1, 1])); // duplicate within a row
    expectError('E_SHAPE', () => new CsrMatrix(1, 1, new Int32Array([0, 1]), new Int32Array([0]), new Float32Array(2)));
    expectError('E_ARGUMENT', () => new CsrMatrix(-1, 1, new Int32Array(0), new Int32Array(0), new Float32Array(0)));
    expectError('E_ARGUMENT', () => new CsrMatrix(1, 2.5, new Int32Array(2), new Int32Array(0), new Float32Array(0)));
  });

  test('a negative or too-large column index is reported as out of range, not as unsorted', () => {
    const negative = expectError(
      'E_SHAPE',
      () => new CsrMatrix(1, 3, Int32Array.of(0, 1), Int32Array.of(-4), Float32Array.of(1)),
    );
    expect(negative.message).toContain('row 0: column index -4 at position 0 is outside [0, 3)');
    expect(negative.message).not.toContain('strictly increasing');
    expect(negative.details).toEqual({ row: 0, position: 0, column: -4 });
    // After a valid index in the same row, a negative one is still out of range (it is also below the previous).
    const later = expectError(
      'E_SHAPE',
      () => new CsrMatrix(2, 3, Int32Array.of(0, 0, 2), Int32Array.of(1, -1), Float32Array.of(1, 1)),
    );
    expect(later.message).toContain('row 1: column index -1 at position 1 is outside [0, 3)');
    const large = expectError(
      'E_SHAPE',
      () => new CsrMatrix(1, 3, Int32Array.of(0, 2), Int32Array.of(0, 3), Float32Array.of(1, 1)),
    );
    expect(large.message).toContain('row 0: column index 3 at position 1 is outside [0, 3)');
    const unsorted = expectError(
      'E_SHAPE',
      () => new CsrMatrix(1, 3, Int32Array.of(0, 2), Int32Array.of(2, 1), Float32Array.of(1, 1)),
    );
    expect(unsorted.message).toContain('row 0: column index 1 at position 1 is not strictly increasing');
    expect(unsorted.details).toEqual({ row: 0, position: 1, column: 1 });
  });
});
