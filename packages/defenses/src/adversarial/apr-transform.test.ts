import { createRng } from '@trustrec/core-linalg';
import {
  type GradientModel,
  type ParameterTable,
  SparseGradientBatch,
  type TrainingBatch,
  type TransformContext,
  MatrixFactorizationBpr,
  createParameterTable,
} from '@trustrec/models';
import { describe, expect, it } from 'vitest';
import { syntheticSplit } from '../__fixtures__/synthetic.js';
import { tinyBatch, tinyBprLoss, tinyMf } from '../__fixtures__/tiny-mf.js';
import { aprTransform } from './apr-transform.js';
import { resolveParameterTables } from './parameter-tables.js';

function context(model: GradientModel, examples: TrainingBatch): TransformContext {
  return { epoch: 0, step: 0, learningRate: 0.1, rng: createRng(1), model, examples };
}

/** Sums a batch's entries per (table, row) into dense per-table arrays. */
function summed(batch: SparseGradientBatch): Float64Array[] {
  const out = batch.tables.map((table) => new Float64Array(table.data.length));
  for (let e = 0; e < batch.count; e++) {
    const length = batch.tables[batch.tableOf[e]].rowLength;
    for (let c = 0; c < length; c++)
      out[batch.tableOf[e]][batch.rowOf[e] * length + c] += batch.values[batch.offsetOf[e] + c];
  }
  return out;
}

/** ε·g/‖g‖ per row of a (rows × 2) gradient. */
function normalised(gradient: number[], epsilon: number): number[] {
  const out: number[] = [];
  for (let r = 0; r < gradient.length / 2; r++) {
    const norm = Math.hypot(gradient[2 * r], gradient[2 * r + 1]);
    out.push((epsilon * gradient[2 * r]) / norm, (epsilon * gradient[2 * r + 1]) / norm);
  }
  return out;
}

/** Central finite-difference gradient of f at x (float64). */
function numericGradient(f: (x: number[]) => number, x: number[]): number[] {
  return x.map((_, p) => {
    const plus = x.slice();
    const minus = x.slice();
    plus[p] += 1e-6;
    minus[p] -= 1e-6;
    return (f(plus) - f(minus)) / 2e-6;
  });
}

describe('aprTransform on a hand-checkable MF (seed 001 eq. 11–12)', () => {
  it('adds λ·∇L_BPR(Θ + Δ_adv) with Δ_adv = ε·g/‖g‖ per row, reports the adversarial loss, and restores Θ', async () => {
    const model = await tinyMf();
    const tables = resolveParameterTables('test', model);
    const users = Array.from(model.userFactors);
    const items = Array.from(model.itemFactors);
    const epsilon = 0.5;
    const lambda = 0.7;

    // By hand: g = ∇L_BPR(Θ) summed over the batch (numerical, independent of the model's code), Δ per row.
    const gUsers = numericGradient((x) => tinyBprLoss(x, items), users);
    const gItems = numericGradient((x) => tinyBprLoss(users, x), items);
    const deltaUsers = normalised(gUsers, epsilon);
    const deltaItems = normalised(gItems, epsilon);
    const perturbedUsers = users.map((v, p) => v + deltaUsers[p]);
    const perturbedItems = items.map((v, p) => v + deltaItems[p]);
    const expectedAdversarialLoss = tinyBprLoss(perturbedUsers, perturbedItems);
    // ∇_Θ [L(Θ) + λ L(Θ + Δ)] with Δ held constant
    const advUsers = numericGradient(
      (x) =>
        tinyBprLoss(
          x.map((v, p) => v + deltaUsers[p]),
          perturbedItems,
        ),
      users,
    );
    const advItems = numericGradient(
      (x) =>
        tinyBprLoss(
          perturbedUsers,
          x.map((v, p) => v + deltaItems[p]),
        ),
      items,
    );

    const batch = new SparseGradientBatch(tables);
    const examples = tinyBatch();
    const clean = model.computeGradients(examples, batch);
    const apr = aprTransform({ epsilon, lambda });
    apr.apply(
      batch,
      context({ parameterTables: () => tables, computeGradients: (e, o) => model.computeGradients(e, o) }, examples),
    );

    expect(clean).toBeCloseTo(tinyBprLoss(users, items), 6);
    expect(apr.stats.loss).toBeCloseTo(clean, 10);
    expect(apr.stats.adversarialLoss).toBeCloseTo(expectedAdversarialLoss, 5);
    expect(apr.stats.adversarialLoss).toBeGreaterThan(clean);
    expect(apr.stats).toMatchObject({ steps: 1, examples: 2 });
    const [sumUsers, sumItems] = summed(batch);
    for (let p = 0; p < users.length; p++) expect(sumUsers[p]).toBeCloseTo(gUsers[p] + lambda * advUsers[p], 4);
    for (let p = 0; p < items.length; p++) expect(sumItems[p]).toBeCloseTo(gItems[p] + lambda * advItems[p], 4);
    // Θ restored exactly; the adversarial entries belong to the batch's examples
    expect(Array.from(model.userFactors)).toEqual(users.map((v) => Math.fround(v)));
    expect(Array.from(model.itemFactors)).toEqual(items.map((v) => Math.fround(v)));
    expect(batch.numExamples).toBe(2);
    expect(Math.max(...Array.from(batch.exampleOf.subarray(0, batch.count)))).toBe(1);
    // the objective the optimizer now minimises: L(Θ) + λ·L(Θ + Δ_adv)
    expect(apr.stats.loss + lambda * apr.stats.adversarialLoss).toBeCloseTo(
      tinyBprLoss(users, items) + lambda * expectedAdversarialLoss,
      5,
    );
  });

  it('is a no-op with λ = 0 and adds the plain gradient again with ε = 0', async () => {
    const model = await tinyMf();
    const tables = resolveParameterTables('test', model);
    const examples = tinyBatch();
    const plain = new SparseGradientBatch(tables);
    model.computeGradients(examples, plain);
    const withZeroLambda = new SparseGradientBatch(tables);
    model.computeGradients(examples, withZeroLambda);
    aprTransform({ lambda: 0 }).apply(withZeroLambda, context(model, examples));
    expect(withZeroLambda.count).toBe(plain.count);
    const withZeroEpsilon = new SparseGradientBatch(tables);
    model.computeGradients(examples, withZeroEpsilon);
    aprTransform({ epsilon: 0, lambda: 2 }).apply(
      withZeroEpsilon,
      context({ parameterTables: () => tables, computeGradients: (e, o) => model.computeGradients(e, o) }, examples),
    );
    const a = summed(plain);
    const b = summed(withZeroEpsilon);
    for (let t = 0; t < a.length; t++)
      for (let p = 0; p < a[t].length; p++) expect(b[t][p]).toBeCloseTo(3 * a[t][p], 5);
  });

  it('perturbs only embedding tables of any GradientModel (a GMF-like model with a dense weight table)', () => {
    // ŷ_ui = Σ_c h_c p_uc q_ic; BPR loss; tables userEmbedding, itemEmbedding and the dense 'h' (1 row).
    const k = 3;
    const rng = createRng(4);
    const p = Float32Array.from({ length: 4 * k }, () => rng.normal(0, 0.5));
    const q = Float32Array.from({ length: 5 * k }, () => rng.normal(0, 0.5));
    const h = Float32Array.from({ length: k }, () => 1 + rng.normal(0, 0.2));
    const tables: ParameterTable[] = [
      createParameterTable('userEmbedding', p, k),
      createParameterTable('itemEmbedding', q, k),
      createParameterTable('h', h, k),
    ];
    const gmf: GradientModel = {
      parameterTables: () => tables,
      computeGradients(examples, out) {
        let loss = 0;
        for (let t = 0; t < examples.size; t++) {
          const [u, i, j] = [examples.users[t], examples.positives[t], examples.negatives[t]];
          out.beginExample();
          const ou = out.addRow(0, u);
          const oi = out.addRow(1, i);
          const oj = out.addRow(1, j);
          const oh = out.addRow(2, 0);
          let x = 0;
          for (let c = 0; c < k; c++) x += h[c] * p[u * k + c] * (q[i * k + c] - q[j * k + c]);
          const z = 1 / (1 + Math.exp(x));
          loss += Math.log1p(Math.exp(-x));
          const g = out.values;
          for (let c = 0; c < k; c++) {
            g[ou + c] = -z * h[c] * (q[i * k + c] - q[j * k + c]);
            g[oi + c] = -z * h[c] * p[u * k + c];
            g[oj + c] = z * h[c] * p[u * k + c];
            g[oh + c] = -z * p[u * k + c] * (q[i * k + c] - q[j * k + c]);
          }
        }
        return loss;
      },
    };
    const examples: TrainingBatch = {
      size: 3,
      negativesPerPositive: 1,
      users: Int32Array.from([0, 1, 3]),
      positives: Int32Array.from([0, 2, 4]),
      negatives: Int32Array.from([1, 3, 0]),
    };
    const before = [p.slice(), q.slice(), h.slice()];
    const batch = new SparseGradientBatch(tables);
    gmf.computeGradients(examples, batch);
    const entriesBefore = batch.count;
    const apr = aprTransform({ epsilon: 0.3 });
    apr.apply(batch, context(gmf, examples));
    expect(batch.count).toBe(2 * entriesBefore);
    expect(apr.stats.adversarialLoss).toBeGreaterThan(apr.stats.loss);
    expect([p, q, h].every((table, t) => table.every((v, index) => Object.is(v, before[t][index])))).toBe(true);
    // naming only the item table perturbs less: the adversarial loss is lower than with both tables
    const itemsOnly = aprTransform({ epsilon: 0.3, tables: ['itemEmbedding'] });
    const second = new SparseGradientBatch(tables);
    gmf.computeGradients(examples, second);
    itemsOnly.apply(second, context(gmf, examples));
    expect(itemsOnly.stats.adversarialLoss).toBeLessThan(apr.stats.adversarialLoss);
    expect(itemsOnly.stats.adversarialLoss).toBeGreaterThan(itemsOnly.stats.loss);
  });

  it('rejects bad options (E_ARGUMENT) and tables the model does not have (E_CONFIG)', async () => {
    expect(() => aprTransform({ epsilon: -1 })).toThrow(expect.objectContaining({ code: 'E_ARGUMENT' }));
    expect(() => aprTransform({ lambda: Number.POSITIVE_INFINITY })).toThrow(
      expect.objectContaining({ code: 'E_ARGUMENT' }),
    );
    expect(() => aprTransform({ adversary: 'pgd' as never })).toThrow(expect.objectContaining({ code: 'E_ARGUMENT' }));
    expect(() => aprTransform({ tables: [] })).toThrow(expect.objectContaining({ code: 'E_ARGUMENT' }));
    const model = await tinyMf();
    const tables = resolveParameterTables('test', model);
    const batch = new SparseGradientBatch(tables);
    const examples = tinyBatch();
    model.computeGradients(examples, batch);
    const adapter = {
      parameterTables: () => tables,
      computeGradients: (e: TrainingBatch, o: SparseGradientBatch) => model.computeGradients(e, o),
    };
    expect(() => aprTransform({ tables: ['userEmbedding'] }).apply(batch, context(adapter, examples))).toThrow(
      expect.objectContaining({ code: 'E_CONFIG' }),
    );
  });

  it('rejects a misspelt option name with E_CONFIG naming aprTransform, the name and the known names', () => {
    expect(() => aprTransform({ epsilon: 0.5, table: ['userFactors'] } as never)).toThrow(
      expect.objectContaining({
        code: 'E_CONFIG',
        message:
          "aprTransform: option 'table' must be one of the known options (epsilon, lambda, tables, adversary), got an array of 1",
      }),
    );
    // every known name, undefined included, is accepted
    const transform = aprTransform({ epsilon: 0.2, lambda: 0.5, tables: undefined, adversary: 'random' });
    expect([transform.epsilon, transform.lambda, transform.adversary]).toEqual([0.2, 0.5, 'random']);
  });

  it('plugs into MatrixFactorizationBpr’s own fit as a transform extension', async () => {
    const { train } = syntheticSplit(2, 60, 40);
    const apr = aprTransform({ epsilon: 0.5 });
    const model = new MatrixFactorizationBpr(
      { factors: 8, epochs: 2, batchSize: 64, itemBias: false, seed: 1 },
      { transforms: [apr] },
    );
    await model.fit(train);
    expect(apr.stats.steps).toBe(2 * Math.ceil(train.nnz / 64));
    expect(apr.stats.examples).toBe(2 * train.nnz);
    expect(apr.stats.adversarialLoss).toBeGreaterThan(apr.stats.loss);
    const plain = new MatrixFactorizationBpr(
      { factors: 8, epochs: 2, batchSize: 64, itemBias: false, seed: 1 },
      { transforms: [aprTransform({ lambda: 0 })] },
    );
    await plain.fit(train);
    expect(Array.from(plain.userFactors)).not.toEqual(Array.from(model.userFactors));
  });

  it('with adversary "random" perturbs in random directions, which raise the loss less than the gradient direction', async () => {
    const { train } = syntheticSplit(2, 60, 40);
    const model = new MatrixFactorizationBpr({ factors: 8, epochs: 10, itemBias: false, seed: 1 });
    await model.fit(train);
    const tables = resolveParameterTables('test', model);
    const adapter = {
      parameterTables: () => tables,
      computeGradients: (e: TrainingBatch, o: SparseGradientBatch) => model.computeGradients(e, o),
    };
    const examples: TrainingBatch = {
      size: 60,
      negativesPerPositive: 1,
      users: new Int32Array(60),
      positives: new Int32Array(60),
      negatives: new Int32Array(60),
    };
    for (let t = 0; t < 60; t++) {
      examples.users[t] = t;
      examples.positives[t] = train.indices[train.indptr[t]];
      let j = (t * 7) % 40;
      while (train.has(t, j)) j = (j + 1) % 40;
      examples.negatives[t] = j;
    }
    const run = (adversary: 'gradient' | 'random', seed: number) => {
      const apr = aprTransform({ epsilon: 0.5, adversary });
      const batch = new SparseGradientBatch(tables);
      model.computeGradients(examples, batch);
      apr.apply(batch, { ...context(adapter, examples), rng: createRng(seed) });
      return apr.stats;
    };
    const gradient = run('gradient', 1);
    for (const seed of [1, 2, 3]) {
      const random = run('random', seed);
      expect(random.loss).toBeCloseTo(gradient.loss, 10);
      expect(random.adversarialLoss).toBeLessThan(gradient.adversarialLoss);
    }
    expect(run('random', 1).adversarialLoss).toBe(run('random', 1).adversarialLoss);
    expect(run('random', 1).adversarialLoss).not.toBe(run('random', 2).adversarialLoss);
    expect(aprTransform({ adversary: 'random' }).describe().displayName).toMatch(/random/);
  });

  it('describes itself with its paper and parameters', () => {
    expect(aprTransform().describe()).toMatchObject({
      name: 'apr',
      seed: '001',
      parameters: { epsilon: 0.5, lambda: 1, adversary: 'gradient' },
    });
  });
});
