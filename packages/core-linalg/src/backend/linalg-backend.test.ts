import { describeEachBackend, expectArraysClose } from '@trustrec/test-utils';
import { afterAll, expect, test } from 'vitest';
import { type DenseMatrix, cloneDenseMatrix, createDenseMatrix } from '../dense/dense-matrix.js';
import { gemm } from '../dense/gemm.js';
import { gemv } from '../dense/gemv.js';
import { normalizeRows, rowDots, scatterAddRowsInPlace } from '../dense/row-kernels.js';
import { topK } from '../dense/top-k.js';
import { TrustRecError } from '../errors/trust-rec-error.js';
import { type Rng, createRng } from '../random/rng.js';
import { listLinalgBackends } from './create-linalg-backend.js';
import type { LinalgBackend } from './linalg-backend.js';

const backends = await listLinalgBackends();

afterAll(() => {
  for (const backend of backends) backend.dispose();
});

function randomMatrix(rng: Rng, rows: number, columns: number): DenseMatrix {
  return createDenseMatrix(
    rows,
    columns,
    Float32Array.from({ length: rows * columns }, () => rng.normal()),
  );
}

/** Distinct scores (no ties: tfjs's topk does not promise the lower index on ties). */
function distinctScores(rng: Rng, rows: number, columns: number): DenseMatrix {
  const data = new Float32Array(rows * columns);
  for (let r = 0; r < rows; r++) {
    const order = rng.shuffle(Int32Array.from({ length: columns }, (_, i) => i));
    for (let c = 0; c < columns; c++) data[r * columns + c] = order[c] / 8 - 3;
  }
  return createDenseMatrix(rows, columns, data);
}

async function expectRejects(
  code: 'E_SHAPE' | 'E_ARGUMENT' | 'E_NUMERIC',
  promise: () => Promise<unknown>,
): Promise<void> {
  let caught: unknown;
  try {
    await promise();
  } catch (error) {
    caught = error;
  }
  expect(TrustRecError.isInstance(caught, code), String(caught)).toBe(true);
}

test('the typed-array reference and the tfjs cpu and wasm backends are always listed', () => {
  const names = backends.map((backend) => backend.name);
  expect(names[0]).toBe('typed-array');
  expect(names).toContain('tfjs-cpu');
  expect(names).toContain('tfjs-wasm');
  if (process.env.TRUSTREC_EXPECT_WEBGPU === '1') expect(names).toContain('tfjs-webgpu');
  for (const backend of backends) expect(backend.floatPrecision).toBe(32);
});

describeEachBackend('LinalgBackend', backends, (backend: LinalgBackend, tolerance) => {
  const close = { atol: tolerance, rtol: tolerance };

  test('matmul (A·B and A·Bᵀ) matches gemm, including k = 1 and empty shapes', async () => {
    const rng = createRng(1);
    for (const [n, k, m] of [
      [5, 1, 3],
      [7, 16, 9],
      [33, 64, 70],
      [0, 4, 3],
      [3, 0, 2],
    ]) {
      const a = randomMatrix(rng, n, k);
      const b = randomMatrix(rng, k, m);
      const bt = randomMatrix(rng, m, k);
      const before = a.data.slice();
      const plain = await backend.matmul(a, b);
      expect([plain.rows, plain.columns]).toEqual([n, m]);
      expectArraysClose(plain.data, gemm(a, b).data, close);
      const transposed = await backend.matmul(a, bt, { transposeB: true });
      expect([transposed.rows, transposed.columns]).toEqual([n, m]);
      expectArraysClose(transposed.data, gemm(a, bt, { transposeB: true }).data, close);
      expect(a.data).toEqual(before);
    }
    await expectRejects('E_SHAPE', () => backend.matmul(createDenseMatrix(2, 3), createDenseMatrix(2, 3)));
    await expectRejects('E_SHAPE', () =>
      backend.matmul(createDenseMatrix(2, 3), createDenseMatrix(2, 4), { transposeB: true }),
    );
  });

  test('gemv matches the typed gemv', async () => {
    const rng = createRng(2);
    for (const [rows, columns] of [
      [6, 1],
      [9, 13],
      [0, 3],
    ]) {
      const a = randomMatrix(rng, rows, columns);
      const x = Float32Array.from({ length: columns }, () => rng.normal());
      const y = await backend.gemv(a, x);
      expect(y.length).toBe(rows);
      expectArraysClose(y, gemv(a, x), close);
    }
    await expectRejects('E_SHAPE', () => backend.gemv(createDenseMatrix(2, 3), new Float32Array(2)));
  });

  test('rowDots matches the typed rowDots (repeated pairs, no pairs); bad rows are E_SHAPE', async () => {
    const rng = createRng(3);
    const a = randomMatrix(rng, 8, 12);
    const b = randomMatrix(rng, 5, 12);
    const ia = Int32Array.from({ length: 30 }, () => rng.nextInt(8));
    const ib = Int32Array.from({ length: 30 }, () => rng.nextInt(5));
    expectArraysClose(await backend.rowDots(a, b, ia, ib), rowDots(a, b, ia, ib), close);
    expect((await backend.rowDots(a, b, new Int32Array(0), new Int32Array(0))).length).toBe(0);
    await expectRejects('E_SHAPE', () => backend.rowDots(a, b, new Int32Array([8]), new Int32Array([0])));
    await expectRejects('E_SHAPE', () => backend.rowDots(a, b, new Int32Array([0]), new Int32Array([-1])));
    await expectRejects('E_SHAPE', () => backend.rowDots(a, randomMatrix(rng, 5, 11), ia, ib));
  });

  test('normalizeRows matches the typed kernel: zero rows stay zero, huge and tiny rows do not overflow', async () => {
    const rng = createRng(4);
    const matrix = randomMatrix(rng, 10, 7);
    matrix.data.fill(0, 14, 21); // row 2 is zero
    matrix.data.set([3e30, -4e30, 0, 0, 0, 0, 0], 28); // row 4: squares overflow float32
    matrix.data.set([3e-30, 4e-30, 0, 0, 0, 0, 0], 35); // row 5: squares underflow float32
    const before = matrix.data.slice();
    const result = await backend.normalizeRows(matrix);
    expectArraysClose(result.data, normalizeRows(matrix).data, close);
    expectArraysClose(result.data.subarray(28, 30), [0.6, -0.8], close);
    expectArraysClose(result.data.subarray(35, 37), [0.6, 0.8], close);
    expect(result.data.subarray(14, 21).every((value) => value === 0)).toBe(true);
    expect(matrix.data).toEqual(before);
    expect((await backend.normalizeRows(createDenseMatrix(0, 3))).rows).toBe(0);
    await expectRejects('E_NUMERIC', () =>
      backend.normalizeRows(createDenseMatrix(1, 2, new Float32Array([1, Number.NaN]))),
    );
  });

  test('topKRows matches the typed top-K on distinct scores, with exclusions (duplicates, all excluded)', async () => {
    const rng = createRng(5);
    const rows = 12;
    const columns = 40;
    const scores = distinctScores(rng, rows, columns);
    const exclude: (Int32Array | undefined)[] = [];
    for (let r = 0; r < rows; r++) {
      if (r % 4 === 0) exclude.push(undefined);
      else if (r === 3) exclude.push(Int32Array.from({ length: 2 * columns }, (_, i) => i % columns));
      else exclude.push(Int32Array.from({ length: r + 2 }, () => rng.nextInt(columns)));
    }
    for (const k of [0, 1, 5, 39, 40, 60]) {
      const results = await backend.topKRows(scores, k, exclude);
      expect(results.length).toBe(rows);
      for (let r = 0; r < rows; r++) {
        const row = scores.data.subarray(r * columns, (r + 1) * columns);
        const expected = topK(row, k, exclude[r]);
        expect(Array.from(results[r].indices), `row ${r}, k ${k}`).toEqual(Array.from(expected.indices));
        expectArraysClose(results[r].scores, expected.scores, close);
      }
    }
    const unexcluded = await backend.topKRows(scores, 3);
    expect(Array.from(unexcluded[0].indices)).toEqual(Array.from(topK(scores.data.subarray(0, columns), 3).indices));
  });

  test('topKRows: excluded items never appear, even when real scores are -Infinity', async () => {
    const scores = createDenseMatrix(
      2,
      5,
      new Float32Array([-Infinity, 2, -Infinity, 1, -Infinity, 5, -Infinity, 4, -Infinity, 3]),
    );
    const exclude = [new Int32Array([0, 1]), new Int32Array([1])];
    const results = await backend.topKRows(scores, 4, exclude);
    expect(Array.from(results[0].indices.subarray(0, 1))).toEqual([3]);
    expect(new Set(results[0].indices).size).toBe(3);
    expect(Array.from(results[0].indices).some((item) => item === 0 || item === 1)).toBe(false);
    expect(Array.from(results[0].indices).sort()).toEqual([2, 3, 4]);
    expect(Array.from(results[1].indices.subarray(0, 3))).toEqual([0, 2, 4]);
    expect(Array.from(results[1].indices).includes(1)).toBe(false);
  });

  test('topKRows errors: NaN (unless excluded) is E_NUMERIC, bad exclusion or k is E_ARGUMENT, wrong list count E_SHAPE', async () => {
    const scores = createDenseMatrix(2, 3, new Float32Array([1, Number.NaN, 3, 4, 5, 6]));
    await expectRejects('E_NUMERIC', () => backend.topKRows(scores, 2));
    const ok = await backend.topKRows(scores, 2, [new Int32Array([1]), undefined]);
    expect(Array.from(ok[0].indices)).toEqual([2, 0]);
    expect(Array.from(ok[1].indices)).toEqual([2, 1]);
    const clean = createDenseMatrix(1, 3, new Float32Array([1, 2, 3]));
    await expectRejects('E_ARGUMENT', () => backend.topKRows(clean, 2, [new Int32Array([0, 3])]));
    await expectRejects('E_ARGUMENT', () => backend.topKRows(clean, -1));
    await expectRejects('E_SHAPE', () => backend.topKRows(clean, 2, []));
    await expectRejects('E_SHAPE', () => backend.topKRows({ rows: 2, columns: 3, data: new Float32Array(5) }, 2));
    // Still correct after the errors (no stale exclusion state).
    expect(Array.from((await backend.topKRows(clean, 3))[0].indices)).toEqual([2, 1, 0]);
  });

  test('scatterAddRows matches the typed kernel with repeated indices and leaves the target alone', async () => {
    const rng = createRng(6);
    const target = randomMatrix(rng, 7, 5);
    const source = randomMatrix(rng, 12, 5);
    const indices = Int32Array.from({ length: 12 }, (_, t) => (t < 4 ? 2 : rng.nextInt(7)));
    const before = target.data.slice();
    const expected = cloneDenseMatrix(target);
    scatterAddRowsInPlace(expected, indices, source);
    const result = await backend.scatterAddRows(target, indices, source);
    expectArraysClose(result.data, expected.data, close);
    expect(target.data).toEqual(before);
    expect((await backend.scatterAddRows(target, new Int32Array(0), createDenseMatrix(0, 5))).data).toEqual(before);
    await expectRejects('E_SHAPE', () => backend.scatterAddRows(target, new Int32Array([7]), createDenseMatrix(1, 5)));
    await expectRejects('E_SHAPE', () => backend.scatterAddRows(target, new Int32Array([0]), createDenseMatrix(1, 4)));
  });

  test('dense layer with linear, relu and sigmoid activations matches a naive reference', async () => {
    const rng = createRng(7);
    const x = randomMatrix(rng, 6, 4);
    const weights = randomMatrix(rng, 4, 3);
    const bias = new Float32Array([0.5, -1, 2]);
    const linear = gemm(x, weights).data.map((value, i) => value + bias[i % 3]);
    const expected = {
      linear,
      relu: linear.map((value) => Math.max(value, 0)),
      sigmoid: linear.map((value) => 1 / (1 + Math.exp(-value))),
    };
    for (const activation of ['linear', 'relu', 'sigmoid'] as const) {
      const result = await backend.dense(x, weights, bias, activation);
      expect([result.rows, result.columns]).toEqual([6, 3]);
      expectArraysClose(result.data, expected[activation], close);
    }
    await expectRejects('E_SHAPE', () => backend.dense(x, weights, new Float32Array(2), 'linear'));
    await expectRejects('E_SHAPE', () => backend.dense(x, randomMatrix(rng, 5, 3), bias, 'relu'));
    // An activation the layer does not compute is refused, not run as linear (also on empty shapes).
    for (const activation of ['tanh', 'ReLU', undefined]) {
      await expectRejects('E_ARGUMENT', () => backend.dense(x, weights, bias, activation as unknown as 'linear'));
      await expectRejects('E_ARGUMENT', () =>
        backend.dense(createDenseMatrix(4, 0), createDenseMatrix(0, 3), bias, activation as unknown as 'linear'),
      );
    }
  });

  test('dense layer with empty shapes: no inputs gives activation(bias) per row; no rows or outputs is empty', async () => {
    const bias = new Float32Array([0.5, -1, 2]);
    const expected = {
      linear: [0.5, -1, 2],
      relu: [0.5, 0, 2],
      sigmoid: [1 / (1 + Math.exp(-0.5)), 1 / (1 + Math.exp(1)), 1 / (1 + Math.exp(-2))],
    };
    for (const activation of ['linear', 'relu', 'sigmoid'] as const) {
      // x·W with an inner dimension of 0 is all zeros, so every one of the 4 rows is activation(bias).
      const noInputs = await backend.dense(createDenseMatrix(4, 0), createDenseMatrix(0, 3), bias, activation);
      expect([noInputs.rows, noInputs.columns]).toEqual([4, 3]);
      expectArraysClose(
        noInputs.data,
        [0, 1, 2, 3].flatMap(() => expected[activation]),
        close,
      );
      const noRows = await backend.dense(createDenseMatrix(0, 2), createDenseMatrix(2, 3), bias, activation);
      expect([noRows.rows, noRows.columns, noRows.data.length]).toEqual([0, 3, 0]);
      const noOutputs = await backend.dense(
        createDenseMatrix(5, 2),
        createDenseMatrix(2, 0),
        new Float32Array(0),
        activation,
      );
      expect([noOutputs.rows, noOutputs.columns, noOutputs.data.length]).toEqual([5, 0, 0]);
    }
    await expectRejects('E_SHAPE', () =>
      backend.dense(createDenseMatrix(4, 0), createDenseMatrix(0, 3), new Float32Array(2), 'linear'),
    );
    await expectRejects('E_SHAPE', () =>
      backend.dense({ rows: 2, columns: 0, data: new Float32Array(1) }, createDenseMatrix(0, 3), bias, 'linear'),
    );
  });
});
