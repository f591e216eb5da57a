import { TrustRecError, createRng } from '@trustrec/core-linalg';
import { describe, expect, it } from 'vitest';
import { MatrixFactorizationBpr } from '../mf/matrix-factorization-bpr.js';
import { NeuMf } from '../ncf/neumf.js';
import { createSyntheticInteractions } from '../testing/synthetic-interactions.js';
import { UniformNegativeSampler } from './batch-sampler.js';
import { checkpoint, earlyStopping } from './callbacks.js';
import {
  type TransformContext,
  clipExampleNorm,
  clipRowNorm,
  gaussianNoise,
  weightDecay,
} from './gradient-transform.js';
import { AdagradOptimizer, AdamOptimizer, SgdOptimizer } from './optimizer.js';
import { createParameterTable } from './parameter-table.js';
import { SparseGradientBatch } from './sparse-gradient-batch.js';

const context = { epoch: 0, step: 0, learningRate: 0.1, rng: createRng(1) } as unknown as TransformContext;

function twoTables() {
  const a = createParameterTable('a', Float32Array.of(1, 2, 3, 4, 5, 6), 2);
  const b = createParameterTable('b', Float32Array.of(10, 20), 1);
  return [a, b];
}

describe('sparse optimizers', () => {
  it('SGD sums duplicate rows, scales by `scale`, and leaves untouched rows alone', () => {
    const tables = twoTables();
    const batch = new SparseGradientBatch(tables, 2);
    batch.beginExample();
    let offset = batch.addRow(0, 1);
    batch.values[offset] = 1;
    batch.values[offset + 1] = -1;
    batch.beginExample();
    offset = batch.addRow(0, 1);
    batch.values[offset] = 3;
    offset = batch.addRow(1, 0);
    batch.values[offset] = 4;
    const sgd = new SgdOptimizer();
    sgd.initialize(tables);
    sgd.step(batch, 0.1, 0.5);
    expect(Array.from(tables[0].data)).toEqual([
      1,
      2,
      Math.fround(3 - 0.1 * 0.5 * 4),
      Math.fround(4 + 0.1 * 0.5),
      5,
      6,
    ]);
    expect(Array.from(tables[1].data)).toEqual([Math.fround(10 - 0.2), 20]);
    expect(batch.count).toBe(3);
    expect(Array.from(batch.exampleOf.subarray(0, 3))).toEqual([0, 1, 1]);
  });

  it('lazy Adam matches Kingma & Ba alg. 1 for two steps on a touched row', () => {
    const tables = [createParameterTable('w', Float32Array.of(0.5, 0.5), 1)];
    const adam = new AdamOptimizer(0.9, 0.999, 1e-8);
    adam.initialize(tables);
    const batch = new SparseGradientBatch(tables);
    let m = 0;
    let v = 0;
    let w = 0.5;
    for (const [t, g] of [
      [1, 0.2],
      [2, -0.1],
    ] as const) {
      batch.reset();
      batch.beginExample();
      batch.values[batch.addRow(0, 0)] = g;
      adam.step(batch, 0.01, 1);
      m = 0.9 * m + 0.1 * g;
      v = 0.999 * v + 0.001 * g * g;
      w -= (0.01 * (m / (1 - 0.9 ** t))) / (Math.sqrt(v / (1 - 0.999 ** t)) + 1e-8);
      expect(tables[0].data[0]).toBeCloseTo(w, 6);
    }
    expect(tables[0].data[1]).toBe(0.5);
  });

  it('Adagrad divides by the root of accumulated squared gradients', () => {
    const tables = [createParameterTable('w', Float32Array.of(1), 1)];
    const adagrad = new AdagradOptimizer(0);
    adagrad.initialize(tables);
    const batch = new SparseGradientBatch(tables);
    batch.beginExample();
    batch.values[batch.addRow(0, 0)] = 2;
    adagrad.step(batch, 0.5, 1);
    expect(tables[0].data[0]).toBeCloseTo(1 - 0.5, 6);
    batch.reset();
    batch.beginExample();
    batch.values[batch.addRow(0, 0)] = 2;
    adagrad.step(batch, 0.5, 1);
    expect(tables[0].data[0]).toBeCloseTo(0.5 - (0.5 * 2) / Math.sqrt(8), 6);
  });
});

describe('gradient transforms', () => {
  it('weight decay adds λθ per entry; per-example clipping scales whole examples; row clipping caps rows', () => {
    const tables = twoTables();
    const batch = new SparseGradientBatch(tables);
    batch.beginExample();
    const first = batch.addRow(0, 0);
    batch.values[first] = 3;
    batch.values[first + 1] = 0;
    const second = batch.addRow(1, 1);
    batch.values[second] = 4;
    batch.beginExample();
    const third = batch.addRow(0, 2);
    batch.values[third] = 0.3;
    batch.values[third + 1] = 0.4;
    weightDecay(0, { a: 0.1 }).apply(batch, context);
    expect(batch.values[first]).toBeCloseTo(3.1, 6);
    expect(batch.values[first + 1]).toBeCloseTo(0.2, 6);
    expect(batch.values[second]).toBe(4);
    batch.values[first] = 3;
    batch.values[first + 1] = 0;
    clipExampleNorm(1).apply(batch, context);
    // Example 0 = (3, 0, 4) has norm 5 → scaled by 1/5; example 1 = (0.8, 1.0) after decay → scaled to norm 1.
    expect(batch.values[first]).toBeCloseTo(0.6, 6);
    expect(batch.values[second]).toBeCloseTo(0.8, 6);
    expect(batch.values[third]).toBeCloseTo(0.8 / Math.hypot(0.8, 1), 5);
    expect(batch.values[third + 1]).toBeCloseTo(1 / Math.hypot(0.8, 1), 5);
    clipRowNorm(0.1).apply(batch, context);
    expect(Math.hypot(batch.values[third], batch.values[third + 1])).toBeCloseTo(0.1, 6);
    const before = batch.values.slice(0, batch.valuesUsed);
    gaussianNoise(0).apply(batch, context);
    expect(Array.from(batch.values.subarray(0, batch.valuesUsed))).toEqual(Array.from(before));
  });
});

describe('sampler and callbacks', () => {
  it('negatives are never train items and every positive appears once per shuffled epoch', () => {
    const { train } = createSyntheticInteractions({ numUsers: 30, numItems: 25, interactionsPerUser: 10, seed: 2 });
    const sampler = new UniformNegativeSampler(train, { negativesPerPositive: 3 });
    const seen = new Int32Array(train.nnz);
    let total = 0;
    for (const batch of sampler.epoch(createRng(3), 64)) {
      for (let t = 0; t < batch.size; t++) {
        expect(train.has(batch.users[t], batch.positives[t])).toBe(true);
        for (let s = 0; s < 3; s++) expect(train.has(batch.users[t], batch.negatives[t * 3 + s])).toBe(false);
        let p = train.indptr[batch.users[t]];
        while (train.indices[p] !== batch.positives[t]) p++;
        seen[p]++;
      }
      total += batch.size;
    }
    expect(total).toBe(train.nnz);
    expect(seen.every((count) => count === 1)).toBe(true);
  });

  it('early stopping stops after `patience` epochs without improvement and restores the best model', async () => {
    const { train } = createSyntheticInteractions({ numUsers: 30, numItems: 20, interactionsPerUser: 5, seed: 2 });
    const model = new MatrixFactorizationBpr({ factors: 4, epochs: 20 });
    const values = [0.1, 0.3, 0.2, 0.25, 0.29, 0.5];
    let snapshot: Float32Array | undefined;
    let bestScores: Float32Array | undefined;
    let bestBias: Float32Array | undefined;
    let liveItems: Float32Array | undefined;
    const stopper = earlyStopping({ patience: 3 });
    const saved: number[] = [];
    let calls = 0;
    const report = await model.fit(train, {
      validation: {
        name: 'fake',
        evaluate: () => {
          if (calls === 1) {
            snapshot = model.itemFactors.slice();
            liveItems = model.itemFactors;
            bestScores = model.scoreUser(3).slice();
            bestBias = model.itemBias?.slice();
          }
          return values[calls++] ?? 0;
        },
      },
      callbacks: [stopper, checkpoint(2, (_bytes, epoch) => saved.push(epoch))],
    });
    expect(report.epochs).toBe(5);
    expect(report.stopReason).toBe('callback');
    expect(report.bestValidation).toEqual({ epoch: 2, value: 0.3 });
    expect(stopper.bestEpoch).toBe(2);
    expect(saved).toEqual([2, 4]);
    expect(Array.from(model.itemFactors)).toEqual(Array.from(snapshot ?? []));
    // The whole model comes back, item biases included (they moved on in epochs 3–5), into the live arrays.
    expect(bestBias).toBeDefined();
    expect(Array.from(model.itemBias ?? [])).toEqual(Array.from(bestBias ?? []));
    expect(Array.from(model.scoreUser(3))).toEqual(Array.from(bestScores ?? []));
    expect(model.itemFactors).toBe(liveItems);
  });

  it('early stopping restores the best epoch of a network model too (NeuMF: every weight, into the live network)', async () => {
    const { train } = createSyntheticInteractions({ numUsers: 40, numItems: 30, interactionsPerUser: 6, seed: 4 });
    const model = new NeuMf({ factors: 4, layers: [16, 8, 4], epochs: 10, batchSize: 32, learningRate: 0.01 });
    const values = [0.2, 0.6, 0.4, 0.5, 0.3];
    let bestScores: Float32Array | undefined;
    let calls = 0;
    const stopper = earlyStopping({ patience: 3 });
    const report = await model.fit(train, {
      validation: {
        name: 'fake',
        evaluate: () => {
          if (calls === 1) bestScores = model.scoreUser(5).slice();
          return values[calls++] ?? 0;
        },
      },
      callbacks: [stopper],
    });
    expect(report.epochs).toBe(5);
    expect(stopper.bestEpoch).toBe(2);
    expect(bestScores).toBeDefined();
    expect(Array.from(model.scoreUser(5))).toEqual(Array.from(bestScores ?? []));
  });

  it('restore refuses a save of another shape with E_FORMAT, naming restore, and leaves the model as it was', async () => {
    const { train } = createSyntheticInteractions({ numUsers: 30, numItems: 20, interactionsPerUser: 5, seed: 2 });
    const model = new MatrixFactorizationBpr({ factors: 4, epochs: 3 });
    await model.fit(train);
    const other = new MatrixFactorizationBpr({ factors: 8, epochs: 3 });
    await other.fit(train);
    const before = model.save();
    let caught: unknown;
    try {
      model.restore(other.save());
    } catch (error) {
      caught = error;
    }
    expect(TrustRecError.isInstance(caught, 'E_FORMAT')).toBe(true);
    expect((caught as Error).message).toMatch(/^bpr\.restore: array .userFactors. .*other hyper-parameters/);
    expect(Array.from(model.save())).toEqual(Array.from(before));
  });
});
