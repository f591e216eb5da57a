import { type ErrorCode, TrustRecError, createRng } from '@trustrec/core-linalg';
import { describe, expect, it } from 'vitest';
import { ImplicitAls } from '../als/implicit-als.js';
import { MostPopular } from '../baselines/most-popular.js';
import { ItemKnn } from '../knn/item-knn.js';
import { MatrixFactorizationBpr } from '../mf/matrix-factorization-bpr.js';
import { Gmf } from '../ncf/gmf.js';
import { NeuMf } from '../ncf/neumf.js';
import type { FitOptions } from '../recommender/recommender.js';
import { createSyntheticInteractions } from '../testing/synthetic-interactions.js';
import { UniformNegativeSampler, type UniformNegativeSamplerOptions } from './batch-sampler.js';
import { type EarlyStoppingOptions, checkpoint, earlyStopping } from './callbacks.js';
import {
  type TransformContext,
  clipExampleNorm,
  clipRowNorm,
  gaussianNoise,
  weightDecay,
} from './gradient-transform.js';
import { createLearningRateSchedule } from './learning-rate-schedule.js';
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

/** Runs `action`, expecting a TrustRecError with `code` whose message matches `pattern`. */
async function expectCode(code: ErrorCode, pattern: RegExp, action: () => unknown): Promise<void> {
  let caught: unknown;
  try {
    await action();
  } catch (error) {
    caught = error;
  }
  expect(TrustRecError.isInstance(caught, code), `${String(caught)}`).toBe(true);
  expect((caught as Error).message).toMatch(pattern);
}

describe('fit options are checked before the model changes', () => {
  const { train } = createSyntheticInteractions({ numUsers: 20, numItems: 15, interactionsPerUser: 4, seed: 5 });
  const creators = [
    () => new MatrixFactorizationBpr({ factors: 4, epochs: 2 }),
    () => new MostPopular(),
    () => new ItemKnn({ neighbours: 5 }),
    () => new ImplicitAls({ factors: 4, iterations: 2 }),
    () => new Gmf({ factors: 4, epochs: 1, batchSize: 32 }),
  ];
  const bad: [unknown, RegExp][] = [
    [{ callback: [earlyStopping()] }, /\.fit: option 'callback' must be one of the known options \(onEpoch, /],
    [{ onEpochEnd: () => undefined }, /option 'onEpochEnd'/],
    [{ signal: true }, /option 'signal' must be an AbortSignal/],
    [{ onEpoch: 'log' }, /option 'onEpoch' must be a function/],
    [{ validation: { name: 'ndcg', evaluate: () => 1, every: 0 } }, /validation\.every' must be an integer ≥ 1/],
    [
      { validation: { name: 'ndcg', evaluate: () => 1, evry: 2 } },
      /option 'validation\.evry' must be one of the known/,
    ],
    [{ validation: { name: 'ndcg' } }, /validation\.evaluate' must be a function/],
    [{ callbacks: earlyStopping() }, /option 'callbacks' must be an array/],
    [
      { callbacks: [{ name: 'log', onEpoch: () => undefined }] },
      /callbacks\[0\]' must be a callback with at least one/,
    ],
    [{ callbacks: [{ name: 'log', onEpochEnd: 3 }] }, /callbacks\[0\]\.onEpochEnd' must be a function/],
  ];
  for (const create of creators) {
    it(`${create().name}: E_CONFIG for a misspelt or malformed option; a fitted model is left as it was`, async () => {
      const model = create();
      await model.fit(train);
      const before = model.save();
      for (const [options, pattern] of bad) {
        await expectCode('E_CONFIG', pattern, () => model.fit(train, options as FitOptions));
      }
      expect(Array.from(model.save())).toEqual(Array.from(before));
      // Options set to undefined count as absent.
      await model.fit(train, { signal: undefined, onEpoch: undefined, callbacks: undefined });
    });
  }

  it('runEpochs refuses a validation value that is not a finite number (E_NUMERIC), naming the metric', async () => {
    const model = new MatrixFactorizationBpr({ factors: 4, epochs: 3 });
    for (const value of [Number.NaN, Number.POSITIVE_INFINITY, '0.5']) {
      await expectCode('E_NUMERIC', /validation 'ndcg@10' returned .* after epoch 1/, () =>
        model.fit(train, { validation: { name: 'ndcg@10', evaluate: () => value as number } }),
      );
    }
  });
});

describe('training building blocks check their arguments', () => {
  it('earlyStopping and checkpoint: unknown option names, bad minDelta / restoreBest, a non-function writer', async () => {
    await expectCode('E_CONFIG', /earlyStopping: option 'restore_best' must be one of the known options/, () =>
      earlyStopping({ restore_best: false } as EarlyStoppingOptions),
    );
    await expectCode('E_ARGUMENT', /minDelta must be a finite number ≥ 0, got NaN/, () =>
      earlyStopping({ minDelta: Number.NaN }),
    );
    await expectCode('E_ARGUMENT', /minDelta must be a finite number ≥ 0, got -0.1/, () =>
      earlyStopping({ minDelta: -0.1 }),
    );
    await expectCode('E_ARGUMENT', /restoreBest must be true or false, got no/, () =>
      earlyStopping({ restoreBest: 'no' as unknown as boolean }),
    );
    await expectCode('E_ARGUMENT', /write must be a function/, () =>
      checkpoint(1, undefined as unknown as (bytes: Uint8Array, epoch: number) => void),
    );
    expect(
      earlyStopping({ patience: 2, minDelta: 0.01, restoreBest: false, patience_: undefined } as EarlyStoppingOptions)
        .name,
    ).toBe('early-stopping');
  });

  it('createLearningRateSchedule: decay, epochs and stepEvery are checked, not clamped; unknown names refused', async () => {
    await expectCode('E_ARGUMENT', /decay must be a finite number > 0, got NaN/, () =>
      createLearningRateSchedule('exponential', 0.1, { decay: Number.NaN }),
    );
    await expectCode('E_ARGUMENT', /decay must be a finite number > 0, got -0.5/, () =>
      createLearningRateSchedule('exponential', 0.1, { decay: -0.5 }),
    );
    await expectCode('E_ARGUMENT', /epochs must be an integer ≥ 0, got NaN/, () =>
      createLearningRateSchedule('linear', 0.1, { decay: 0.5, epochs: Number.NaN }),
    );
    await expectCode('E_ARGUMENT', /stepEvery must be an integer ≥ 1, got 0/, () =>
      createLearningRateSchedule('step', 0.1, { decay: 0.5, stepEvery: 0 }),
    );
    await expectCode('E_ARGUMENT', /stepEvery must be an integer ≥ 1, got 2.5/, () =>
      createLearningRateSchedule('step', 0.1, { decay: 0.5, stepEvery: 2.5 }),
    );
    await expectCode('E_CONFIG', /createLearningRateSchedule: option 'step' must be one of the known options/, () =>
      createLearningRateSchedule('step', 0.1, { decay: 0.5, step: 5 } as { decay: number }),
    );
    // Valid schedules are unchanged (hand-computed).
    expect(createLearningRateSchedule('linear', 0.1, { decay: 0.05, epochs: 0 })(1)).toBe(0.1 * (1 - (1 - 0.05)));
    expect(createLearningRateSchedule('linear', 0.1, { decay: 0.5, epochs: 3 })(1)).toBe(0.1 * (1 - 0.5 * 0.5));
    expect(createLearningRateSchedule('step', 0.1, { decay: 0.5, stepEvery: 2 })(3)).toBe(0.1 * 0.5);
  });

  it('UniformNegativeSampler: a misspelt order (E_ARGUMENT) or option name (E_CONFIG) is refused, not a silent with-replacement run', async () => {
    const { train } = createSyntheticInteractions({ numUsers: 10, numItems: 12, interactionsPerUser: 3, seed: 1 });
    await expectCode(
      'E_ARGUMENT',
      /order must be 'shuffle' or 'with-replacement', got "shufle"/,
      () => new UniformNegativeSampler(train, { order: 'shufle' as 'shuffle' }),
    );
    await expectCode(
      'E_CONFIG',
      /UniformNegativeSampler: option 'negatives' must be one of the known options \(negativesPerPositive, order\)/,
      () => new UniformNegativeSampler(train, { negatives: 3 } as UniformNegativeSamplerOptions),
    );
    expect(new UniformNegativeSampler(train, { order: 'with-replacement' }).order).toBe('with-replacement');
  });

  it('createParameterTable refuses a row length that does not divide the data', async () => {
    await expectCode('E_SHAPE', /7 floats, which is not a whole number of rows of 2/, () =>
      createParameterTable('w', new Float32Array(7), 2),
    );
    await expectCode('E_ARGUMENT', /rowLength must be an integer ≥ 1, got 0/, () =>
      createParameterTable('w', new Float32Array(4), 0),
    );
    expect(createParameterTable('w', new Float32Array(6), 3).numRows).toBe(2);
  });

  it('optimizers: Adam betas in [0, 1), finite ε; Adagrad ε and accumulator ≥ 0; step needs a finite η and scale', async () => {
    await expectCode('E_ARGUMENT', /beta1 must be a number in \[0, 1\), got 1/, () => new AdamOptimizer(1));
    await expectCode(
      'E_ARGUMENT',
      /beta2 must be a number in \[0, 1\), got NaN/,
      () => new AdamOptimizer(0.9, Number.NaN),
    );
    await expectCode(
      'E_ARGUMENT',
      /epsilon must be a finite number > 0, got 0/,
      () => new AdamOptimizer(0.9, 0.999, 0),
    );
    await expectCode('E_ARGUMENT', /epsilon must be a finite number ≥ 0, got -1/, () => new AdagradOptimizer(-1));
    await expectCode(
      'E_ARGUMENT',
      /initialAccumulator must be a finite number ≥ 0, got NaN/,
      () => new AdagradOptimizer(1e-8, Number.NaN),
    );
    const tables = [createParameterTable('w', Float32Array.of(1, 2), 1)];
    const sgd = new SgdOptimizer();
    sgd.initialize(tables);
    const batch = new SparseGradientBatch(tables);
    batch.beginExample();
    batch.values[batch.addRow(0, 0)] = 1;
    await expectCode('E_ARGUMENT', /sgd\.step: learningRate \(NaN\)/, () => sgd.step(batch, Number.NaN, 1));
    expect(Array.from(tables[0].data)).toEqual([1, 2]);
  });

  it('weightDecay: perTable values are checked, and a table name the model lacks is refused on the first batch', async () => {
    await expectCode('E_ARGUMENT', /perTable\.a must be a finite number ≥ 0, got -1/, () =>
      weightDecay(0.1, { a: -1 }),
    );
    const tables = twoTables();
    const batch = new SparseGradientBatch(tables);
    batch.beginExample();
    batch.addRow(0, 0);
    await expectCode(
      'E_ARGUMENT',
      /perTable names table 'itemFactor', which the model does not have \(its tables: a, b\)/,
      () => weightDecay(0.1, { itemFactor: 0.5 }).apply(batch, context),
    );
  });
});
