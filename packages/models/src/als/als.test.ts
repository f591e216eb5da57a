import { CsrMatrix } from '@trustrec/core-linalg';
import { describe, expect, it } from 'vitest';
import { supportsPartialFit } from '../recommender/recommender.js';
import { recommenderConformanceSuite } from '../testing/recommender-conformance-suite.js';
import { createSyntheticInteractions } from '../testing/synthetic-interactions.js';
import {
  AlsWorkspace,
  gramMatrix,
  solveExplicitRows,
  solveImplicitRowsCg,
  solveImplicitRowsCholesky,
} from './als-solvers.js';
import { wasmApi } from '../wasm/wasm-module-builder.js';
import { alsCgSimd, alsCgSimdModuleBytes } from './als-cg-simd.js';
import { ImplicitAls } from './implicit-als.js';
import { MatrixFactorizationAls } from './matrix-factorization-als.js';

const explicitData = createSyntheticInteractions({
  numUsers: 100,
  numItems: 60,
  interactionsPerUser: 12,
  feedback: 'explicit',
  seed: 11,
});

recommenderConformanceSuite({
  name: 'MF-ALS (explicit)',
  create: (hyperParameters) => new MatrixFactorizationAls(hyperParameters),
  hyperParameters: { factors: 6, iterations: 5, regularization: 0.5 },
  invalidHyperParameters: [{ regularization: 0 }, { factors: -2 }, { iterations: 'many' }],
  data: explicitData,
  beatsPopularity: false,
  otherSeed: { seed: 1 },
});

recommenderConformanceSuite({
  name: 'Implicit ALS (CG)',
  create: (hyperParameters) => new ImplicitAls(hyperParameters),
  hyperParameters: { factors: 8, iterations: 8, regularization: 0.1, alpha: 5 },
  invalidHyperParameters: [{ solver: 'lu' }, { cgSteps: 0 }, { alpha: -1 }],
  otherSeed: { seed: 1 },
});

recommenderConformanceSuite({
  name: 'Implicit ALS (Cholesky)',
  create: (hyperParameters) => new ImplicitAls(hyperParameters),
  hyperParameters: { factors: 8, iterations: 8, regularization: 0.1, alpha: 5, solver: 'cholesky' },
  invalidHyperParameters: [{ regularization: -1 }],
});

describe('ALS solvers', () => {
  it('explicit row solve matches the hand-computed 2×2 normal equations', () => {
    // One user rating item 0 with 3 and item 1 with 1; V = [[1, 0], [1, 2]], λ = 0.5.
    const matrix = CsrMatrix.fromCoo(
      { rows: Int32Array.of(0, 0), columns: Int32Array.of(0, 1), values: Float32Array.of(3, 1) },
      { numRows: 1, numColumns: 2, duplicates: 'error' },
    );
    const fixed = Float32Array.of(1, 0, 1, 2);
    const target = new Float32Array(2);
    solveExplicitRows(target, fixed, matrix, 2, 0.5, new AlsWorkspace(2));
    // A = VᵀV + λI = [[2.5, 2], [2, 4.5]], b = [4, 2] → x = A⁻¹b = [14/7.25, −3/7.25]
    expect(target[0]).toBeCloseTo(14 / 7.25, 5);
    expect(target[1]).toBeCloseTo(-3 / 7.25, 5);
  });

  it('CG with enough steps converges to the Cholesky solution of the implicit system', () => {
    const { train } = createSyntheticInteractions({ numUsers: 30, numItems: 25, interactionsPerUser: 6, seed: 5 });
    const k = 5;
    const fixed = Float32Array.from({ length: 25 * k }, (_, index) => Math.sin(index * 1.7));
    const gram = gramMatrix(fixed, 25, k, 0.1);
    const cholesky = new Float32Array(30 * k);
    const cg = new Float32Array(30 * k);
    solveImplicitRowsCholesky(cholesky, fixed, gram, train, k, 2, new AlsWorkspace(k));
    solveImplicitRowsCg(cg, fixed, gram, train, k, 2, 20, new AlsWorkspace(k));
    for (let p = 0; p < cg.length; p++) expect(cg[p]).toBeCloseTo(cholesky[p], 3);
    // The solution satisfies the normal equations: (G + Σ α y yᵀ) x = Σ (1 + α) y for user 0.
    const x = cholesky.subarray(0, k);
    for (let a = 0; a < k; a++) {
      let lhs = 0;
      for (let b = 0; b < k; b++) lhs += gram[a * k + b] * x[b];
      let rhs = 0;
      for (let p = train.indptr[0]; p < train.indptr[1]; p++) {
        const base = train.indices[p] * k;
        let projection = 0;
        for (let b = 0; b < k; b++) projection += fixed[base + b] * x[b];
        lhs += 2 * projection * fixed[base + a];
        rhs += 3 * fixed[base + a];
      }
      expect(lhs).toBeCloseTo(rhs, 3);
    }
  });
});

describe('implicit ALS CG (WebAssembly SIMD, k a multiple of 4)', () => {
  it('the SIMD module validates and loads', () => {
    expect(wasmApi()?.validate(alsCgSimdModuleBytes())).toBe(true);
    expect(alsCgSimd()).not.toBeNull();
  });

  it('converges to the Cholesky solution with enough steps, and 3 warm-started steps agree with the scalar CG', () => {
    const { train } = createSyntheticInteractions({ numUsers: 40, numItems: 30, interactionsPerUser: 7, seed: 9 });
    for (const k of [8, 12]) {
      const fixed = Float32Array.from({ length: 30 * k }, (_, index) => Math.sin(index * 0.7) * 0.5);
      const gram = gramMatrix(fixed, 30, k, 0.1);
      const cholesky = new Float32Array(40 * k);
      solveImplicitRowsCholesky(cholesky, fixed, gram, train, k, 3, new AlsWorkspace(k));
      const cg = new Float32Array(40 * k);
      solveImplicitRowsCg(cg, fixed, gram, train, k, 3, 4 * k, new AlsWorkspace(k));
      let worst = 0;
      for (let p = 0; p < cg.length; p++) worst = Math.max(worst, Math.abs(cg[p] - cholesky[p]));
      expect(worst).toBeLessThan(2e-3);
      // Three warm-started steps (not converged): the float32 SIMD path follows a textbook float64 CG on the formed matrix.
      const start = Float32Array.from({ length: 40 * k }, (_, index) => Math.cos(index) * 0.2);
      const three = start.slice();
      solveImplicitRowsCg(three, fixed, gram, train, k, 3, 3, new AlsWorkspace(k));
      const reference = start.slice();
      referenceCg(reference, fixed, gram, train, k, 3, 3);
      for (let p = 0; p < three.length; p++) expect(three[p]).toBeCloseTo(reference[p], 4);
    }
  });

  it('α = 0 skips the per-item operator terms and still solves (YᵀY + λI) x = Yᵀp(u)', () => {
    const { train } = createSyntheticInteractions({ numUsers: 20, numItems: 16, interactionsPerUser: 5, seed: 2 });
    const k = 4;
    const fixed = Float32Array.from({ length: 16 * k }, (_, index) => Math.sin(index * 1.3));
    const gram = gramMatrix(fixed, 16, k, 0.2);
    const cg = new Float32Array(20 * k);
    solveImplicitRowsCg(cg, fixed, gram, train, k, 0, 20, new AlsWorkspace(k));
    const cholesky = new Float32Array(20 * k);
    solveImplicitRowsCholesky(cholesky, fixed, gram, train, k, 0, new AlsWorkspace(k));
    for (let p = 0; p < cg.length; p++) expect(cg[p]).toBeCloseTo(cholesky[p], 3);
  });
});

/** Plain float64 CG (textbook Hestenes–Stiefel on the formed matrix) for comparison. */
function referenceCg(
  target: Float32Array,
  fixed: Float32Array,
  gram: Float64Array,
  train: CsrMatrix,
  k: number,
  alpha: number,
  steps: number,
): void {
  for (let u = 0; u < train.numRows; u++) {
    const a = Float64Array.from(gram);
    const b = new Float64Array(k);
    for (let p = train.indptr[u]; p < train.indptr[u + 1]; p++) {
      const base = train.indices[p] * k;
      const w = alpha * train.values[p];
      for (let i = 0; i < k; i++) {
        b[i] += (1 + w) * fixed[base + i];
        for (let j = 0; j < k; j++) a[i * k + j] += w * fixed[base + i] * fixed[base + j];
      }
    }
    const x = Float64Array.from(target.subarray(u * k, (u + 1) * k));
    const times = (v: Float64Array): Float64Array =>
      Float64Array.from({ length: k }, (_, i) => v.reduce((sum, vj, j) => sum + a[i * k + j] * vj, 0));
    const ax = times(x);
    const r = Float64Array.from(b, (bi, i) => bi - ax[i]);
    const d = r.slice();
    let rs = r.reduce((sum, ri) => sum + ri * ri, 0);
    for (let step = 0; step < steps && rs > 1e-20; step++) {
      const ad = times(d);
      const step_ = rs / d.reduce((sum, di, i) => sum + di * ad[i], 0);
      for (let i = 0; i < k; i++) {
        x[i] += step_ * d[i];
        r[i] -= step_ * ad[i];
      }
      const next = r.reduce((sum, ri) => sum + ri * ri, 0);
      for (let i = 0; i < k; i++) d[i] = r[i] + (next / rs) * d[i];
      rs = next;
    }
    target.set(x, u * k);
  }
}

describe('fold-in (partial fit)', () => {
  it('explicit ALS: a new user folded in is the exact minimiser of eq. 2 with V fixed, and grows the model', async () => {
    const model = new MatrixFactorizationAls({ factors: 4, iterations: 4, regularization: 0.3 });
    await model.fit(explicitData.train);
    expect(supportsPartialFit(model)).toBe(true);
    const numUsers = model.numUsers;
    const row = explicitData.train.selectRows(Int32Array.of(7));
    model.partialFitUsers(Int32Array.of(numUsers + 1), row);
    expect(model.numUsers).toBe(numUsers + 2);
    expect(model.userFactors.length).toBe((numUsers + 2) * 4);
    // Gradient of Σ(r − uᵀv)² + λ‖u‖² at the folded-in u is zero: Σ (r − uᵀv) v = λ u.
    const u = model.userFactors.subarray((numUsers + 1) * 4, (numUsers + 2) * 4);
    const v = model.itemFactors;
    for (let c = 0; c < 4; c++) {
      let sum = 0;
      for (let p = 0; p < row.nnz; p++) {
        const base = row.indices[p] * 4;
        let prediction = 0;
        for (let d = 0; d < 4; d++) prediction += u[d] * v[base + d];
        sum += (row.values[p] - prediction) * v[base + c];
      }
      expect(sum).toBeCloseTo(0.3 * u[c], 4);
    }
    // Folding the same interactions into user 7 gives the same vector; the row in between stays zero.
    model.partialFitUsers(Int32Array.of(7), row);
    expect(Array.from(model.userFactors.subarray(28, 32))).toEqual(Array.from(u));
    expect(Array.from(model.userFactors.subarray(numUsers * 4, (numUsers + 1) * 4))).toEqual([0, 0, 0, 0]);
    expect(model.scoreUser(numUsers + 1).length).toBe(model.numItems);
  });

  it('implicit ALS: partialFitItems recomputes chosen item rows; shape errors are E_SHAPE', async () => {
    const { train } = createSyntheticInteractions({ numUsers: 40, numItems: 30, interactionsPerUser: 6, seed: 8 });
    const model = new ImplicitAls({ factors: 4, iterations: 3, solver: 'cholesky' });
    await model.fit(train);
    // After a Cholesky sweep ending with the item side, re-solving items reproduces them.
    const before = model.itemFactors.slice(0, 8);
    model.partialFitItems(Int32Array.of(0, 1), train.transpose().selectRows(Int32Array.of(0, 1)));
    for (let p = 0; p < 8; p++) expect(model.itemFactors[p]).toBeCloseTo(before[p], 5);
    expect(() => model.partialFitUsers(Int32Array.of(0, 1), train.selectRows(Int32Array.of(0)))).toThrow(
      /row t must hold/,
    );
  });

  it('explicit ALS: partialFitItems after a sweep reproduces the item rows it ended with', async () => {
    const model = new MatrixFactorizationAls({ factors: 4, iterations: 3, regularization: 0.3 });
    await model.fit(explicitData.train);
    const chosen = Int32Array.of(5, 2);
    const before = Array.from(chosen, (item) => model.itemFactors.slice(item * 4, item * 4 + 4));
    model.itemFactors.fill(0, 5 * 4, 6 * 4);
    model.partialFitItems(chosen, explicitData.train.transpose().selectRows(chosen));
    chosen.forEach((item, t) => {
      for (let c = 0; c < 4; c++) expect(model.itemFactors[item * 4 + c]).toBeCloseTo(before[t][c], 5);
    });
  });

  it('implicit ALS: a new user folded in satisfies the weighted normal equations with Y fixed', async () => {
    const { train } = createSyntheticInteractions({ numUsers: 40, numItems: 30, interactionsPerUser: 6, seed: 8 });
    const alpha = 3;
    const lambda = 0.2;
    const k = 4;
    const model = new ImplicitAls({ factors: k, iterations: 3, solver: 'cg', alpha, regularization: lambda });
    await model.fit(train);
    const row = train.selectRows(Int32Array.of(3));
    model.partialFitUsers(Int32Array.of(40), row);
    expect(model.numUsers).toBe(41);
    // Gradient of Σ_i c_ui (p_ui − xᵀy_i)² + λ‖x‖² is zero: Σ_i c_ui (p_ui − xᵀy_i) y_i = λ x, over every item.
    const x = model.userFactors.subarray(40 * k, 41 * k);
    const y = model.itemFactors;
    const confidence = new Float64Array(30).fill(1);
    const preference = new Float64Array(30);
    for (let p = 0; p < row.nnz; p++) {
      confidence[row.indices[p]] = 1 + alpha * row.values[p];
      preference[row.indices[p]] = 1;
    }
    for (let c = 0; c < k; c++) {
      let sum = 0;
      for (let i = 0; i < 30; i++) {
        let prediction = 0;
        for (let d = 0; d < k; d++) prediction += x[d] * y[i * k + d];
        sum += confidence[i] * (preference[i] - prediction) * y[i * k + c];
      }
      expect(sum).toBeCloseTo(lambda * x[c], 4);
    }
  });

  it('fold-in refuses non-finite interaction values with E_NUMERIC and leaves the factors unchanged', async () => {
    const { train } = createSyntheticInteractions({ numUsers: 20, numItems: 15, interactionsPerUser: 4, seed: 3 });
    for (const model of [
      new MatrixFactorizationAls({ factors: 3, iterations: 2 }),
      new ImplicitAls({ factors: 3, iterations: 2 }),
    ]) {
      await model.fit(train);
      const row = train.selectRows(Int32Array.of(2));
      const values = row.values.slice();
      values[0] = Number.NaN;
      const bad = new CsrMatrix(1, row.numColumns, row.indptr, row.indices, values);
      const before = model.userFactors.slice();
      expect(() => model.partialFitUsers(Int32Array.of(2), bad)).toThrow(
        expect.objectContaining({
          code: 'E_NUMERIC',
          message: expect.stringMatching(/partialFitUsers: interactions\.values\[0\] = NaN/),
        }),
      );
      expect(Array.from(model.userFactors)).toEqual(Array.from(before));
    }
  });

  it('the row solvers refuse a workspace, gram or row list of the wrong size (E_SHAPE) instead of writing nowhere', () => {
    const { train } = createSyntheticInteractions({ numUsers: 6, numItems: 5, interactionsPerUser: 2, seed: 1 });
    const k = 4;
    const users = new Float32Array(6 * k);
    const items = new Float32Array(5 * k).fill(0.5);
    const gram = gramMatrix(items, 5, k, 0.1);
    const expectShape = (action: () => unknown, pattern: RegExp) =>
      expect(action).toThrow(expect.objectContaining({ code: 'E_SHAPE', message: expect.stringMatching(pattern) }));
    expectShape(
      () => solveExplicitRows(users, items, train, k, 0.1, new AlsWorkspace(2)),
      /workspace is for k = 2, the solve for k = 4/,
    );
    expectShape(
      () => solveImplicitRowsCholesky(users, items, new Float64Array(4), train, k, 1, new AlsWorkspace(k)),
      /gram has 4 values, expected k × k = 16/,
    );
    expectShape(
      () => solveImplicitRowsCg(users, items.subarray(0, 8), gram, train, k, 1, 2, new AlsWorkspace(k)),
      /fixed has 8 floats/,
    );
    expectShape(
      () =>
        solveExplicitRows(
          users,
          items,
          train.selectRows(Int32Array.of(0)),
          k,
          0.1,
          new AlsWorkspace(k),
          Int32Array.of(6),
        ),
      /targetRows\[0\] = 6 is outside the 6 rows of target/,
    );
    expectShape(() => gramMatrix(items, 6, k, 0.1), /must hold rows × k = 6 × 4/);
  });
});
