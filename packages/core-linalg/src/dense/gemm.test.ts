import { expectArraysClose } from '@trustrec/test-utils';
import { describe, expect, test } from 'vitest';
import { TrustRecError } from '../errors/trust-rec-error.js';
import { type Rng, createRng } from '../random/rng.js';
import { type DenseMatrix, createDenseMatrix } from './dense-matrix.js';
import { gemm } from './gemm.js';
import { gemv } from './gemv.js';

function randomMatrix(rng: Rng, rows: number, columns: number): DenseMatrix {
  return createDenseMatrix(
    rows,
    columns,
    Float32Array.from({ length: rows * columns }, () => rng.normal()),
  );
}

/** Naive triple loop in double precision: C[i][j] = Σ_p A[i][p] · B[p][j] (or B[j][p] when transposed). */
function naiveProduct(a: DenseMatrix, b: DenseMatrix, transposeB: boolean): Float64Array {
  const n = a.rows;
  const k = a.columns;
  const m = transposeB ? b.rows : b.columns;
  const c = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      let sum = 0;
      for (let p = 0; p < k; p++) sum += a.data[i * k + p] * (transposeB ? b.data[j * k + p] : b.data[p * m + j]);
      c[i * m + j] = sum;
    }
  }
  return c;
}

function transposeOf(matrix: DenseMatrix): DenseMatrix {
  const out = createDenseMatrix(matrix.columns, matrix.rows);
  for (let r = 0; r < matrix.rows; r++) {
    for (let c = 0; c < matrix.columns; c++) out.data[c * matrix.rows + r] = matrix.data[r * matrix.columns + c];
  }
  return out;
}

function expectError(code: 'E_SHAPE' | 'E_ARGUMENT', action: () => unknown): void {
  let caught: unknown;
  try {
    action();
  } catch (error) {
    caught = error;
  }
  expect(TrustRecError.isInstance(caught, code), String(caught)).toBe(true);
}

/** Tolerance for float32 results of a k-term sum of N(0,1) products: relative to √k. */
const toleranceFor = (k: number) => ({ atol: 1e-5 * Math.sqrt(k + 1), rtol: 1e-5 });

// Shapes around the 2×4 register block, the 64-row block (A·Bᵀ) and the 512-column block (A·B):
// k = 1, 0 rows, odd sizes, non-multiples of 4, 64 and 512.
const SHAPES: readonly [number, number, number][] = [
  [0, 3, 5],
  [3, 0, 5],
  [3, 5, 0],
  [1, 1, 1],
  [1, 7, 1],
  [2, 1, 9],
  [3, 4, 4],
  [5, 3, 7],
  [7, 16, 13],
  [8, 32, 64],
  [9, 17, 65],
  [13, 64, 130],
  [4, 8, 511],
  [3, 5, 513],
  [2, 3, 1030],
  [65, 1, 67],
  [33, 256, 70],
];

describe('gemm', () => {
  test.each(SHAPES)('A·B and A·Bᵀ match the naive product for n=%i, k=%i, m=%i', (n, k, m) => {
    const rng = createRng(n * 1_000_003 + k * 1009 + m);
    const a = randomMatrix(rng, n, k);
    const b = randomMatrix(rng, k, m);
    const plain = gemm(a, b);
    expect([plain.rows, plain.columns]).toEqual([n, m]);
    expectArraysClose(plain.data, naiveProduct(a, b, false), toleranceFor(k));
    const bt = transposeOf(b);
    const transposed = gemm(a, bt, { transposeB: true });
    expect([transposed.rows, transposed.columns]).toEqual([n, m]);
    expectArraysClose(transposed.data, naiveProduct(a, bt, true), toleranceFor(k));
  });

  test('more random shapes from a seeded generator', () => {
    const rng = createRng(2025);
    for (let trial = 0; trial < 40; trial++) {
      const n = rng.nextInt(20);
      const k = 1 + rng.nextInt(40);
      const m = rng.nextInt(150);
      const a = randomMatrix(rng, n, k);
      const b = randomMatrix(rng, k, m);
      expectArraysClose(gemm(a, b).data, naiveProduct(a, b, false), toleranceFor(k));
      const bt = randomMatrix(rng, m, k);
      expectArraysClose(gemm(a, bt, { transposeB: true }).data, naiveProduct(a, bt, true), toleranceFor(k));
    }
  });

  test('a small hand-computed product', () => {
    const a = createDenseMatrix(2, 3, new Float32Array([1, 2, 3, 4, 5, 6]));
    const b = createDenseMatrix(3, 2, new Float32Array([7, 8, 9, 10, 11, 12]));
    expect(Array.from(gemm(a, b).data)).toEqual([58, 64, 139, 154]);
    const bt = createDenseMatrix(2, 3, new Float32Array([7, 9, 11, 8, 10, 12]));
    expect(Array.from(gemm(a, bt, { transposeB: true }).data)).toEqual([58, 64, 139, 154]);
  });

  test('reuses `out`: overwrites stale contents and returns the same object, on both paths', () => {
    const rng = createRng(5);
    const a = randomMatrix(rng, 6, 9);
    const b = randomMatrix(rng, 9, 11);
    const bt = transposeOf(b);
    const out = createDenseMatrix(6, 11, new Float32Array(66).fill(Number.NaN));
    expect(gemm(a, b, { out })).toBe(out);
    expectArraysClose(out.data, naiveProduct(a, b, false), toleranceFor(9));
    out.data.fill(123);
    expect(gemm(a, bt, { out, transposeB: true })).toBe(out);
    expectArraysClose(out.data, naiveProduct(a, b, false), toleranceFor(9));
    // Zero rows of A must still clear stale output on the A·B path (it skips zero multipliers).
    const zeros = createDenseMatrix(6, 9);
    out.data.fill(7);
    gemm(zeros, b, { out });
    expect(out.data.every((value) => value === 0)).toBe(true);
  });

  test('bad shapes are E_SHAPE; out aliasing an input is E_ARGUMENT', () => {
    const a = createDenseMatrix(2, 3);
    expectError('E_SHAPE', () => gemm(a, createDenseMatrix(2, 3)));
    expectError('E_SHAPE', () => gemm(a, createDenseMatrix(3, 2), { transposeB: true }));
    expectError('E_SHAPE', () => gemm(a, createDenseMatrix(3, 4), { out: createDenseMatrix(2, 3) }));
    expectError('E_SHAPE', () => gemm(a, createDenseMatrix(3, 4), { out: createDenseMatrix(4, 2) }));
    expectError('E_SHAPE', () =>
      gemm(a, createDenseMatrix(3, 4), { out: { rows: 2, columns: 4, data: new Float32Array(7) } }),
    );
    expectError('E_SHAPE', () => gemm({ rows: 2, columns: 3, data: new Float32Array(5) }, createDenseMatrix(3, 4)));
    expectError('E_SHAPE', () => gemm(a, { rows: 3, columns: 4, data: new Float32Array(13) }));
    const square = createDenseMatrix(3, 3, new Float32Array(9).fill(1));
    expectError('E_ARGUMENT', () => gemm(square, createDenseMatrix(3, 3), { out: square }));
    expectError('E_ARGUMENT', () => gemm(createDenseMatrix(3, 3), square, { out: square, transposeB: true }));
  });
});

describe('gemv', () => {
  test('A·x and Aᵀ·x match the naive product on random shapes (incl. 0 rows, 1 column)', () => {
    const rng = createRng(17);
    for (const [rows, columns] of [
      [0, 4],
      [4, 0],
      [1, 1],
      [5, 1],
      [1, 5],
      [7, 13],
      [64, 3],
      [33, 257],
    ]) {
      const a = randomMatrix(rng, rows, columns);
      const x = Float32Array.from({ length: columns }, () => rng.normal());
      const y = Float32Array.from({ length: rows }, () => rng.normal());
      const column = createDenseMatrix(columns, 1, x.slice());
      expectArraysClose(gemv(a, x), naiveProduct(a, column, false), toleranceFor(columns));
      const row = createDenseMatrix(rows, 1, y.slice());
      expectArraysClose(gemv(a, y, { transpose: true }), naiveProduct(transposeOf(a), row, false), toleranceFor(rows));
    }
  });

  test('reuses `out` (stale values overwritten) on both paths', () => {
    const a = createDenseMatrix(2, 3, new Float32Array([1, 2, 3, 4, 5, 6]));
    const out2 = new Float32Array(2).fill(99);
    expect(gemv(a, new Float32Array([1, 0, -1]), { out: out2 })).toBe(out2);
    expect(Array.from(out2)).toEqual([-2, -2]);
    const out3 = new Float32Array(3).fill(99);
    expect(gemv(a, new Float32Array([1, 2]), { transpose: true, out: out3 })).toBe(out3);
    expect(Array.from(out3)).toEqual([9, 12, 15]);
  });

  test('bad shapes are E_SHAPE; out aliasing x is E_ARGUMENT', () => {
    const a = createDenseMatrix(2, 3);
    expectError('E_SHAPE', () => gemv(a, new Float32Array(2)));
    expectError('E_SHAPE', () => gemv(a, new Float32Array(3), { transpose: true }));
    expectError('E_SHAPE', () => gemv(a, new Float32Array(3), { out: new Float32Array(3) }));
    expectError('E_SHAPE', () => gemv(a, new Float32Array(2), { transpose: true, out: new Float32Array(2) }));
    expectError('E_SHAPE', () => gemv({ rows: 2, columns: 3, data: new Float32Array(4) }, new Float32Array(3)));
    const square = createDenseMatrix(3, 3);
    const x = new Float32Array(3);
    expectError('E_ARGUMENT', () => gemv(square, x, { out: x }));
  });
});
