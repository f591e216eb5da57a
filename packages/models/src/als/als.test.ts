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
});
