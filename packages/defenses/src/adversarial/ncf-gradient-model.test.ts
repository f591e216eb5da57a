import { createRng } from '@trustrec/core-linalg';
import {
  type NcfRecommender,
  SparseGradientBatch,
  type TrainingBatch,
  UniformNegativeSampler,
  defaultModelRegistry,
} from '@trustrec/models';
import { describe, expect, it } from 'vitest';
import { syntheticSplit } from '../__fixtures__/synthetic.js';
import { aprTransform } from './apr-transform.js';
import { createDefenseOptimizer, runGradientPhase } from './gradient-training.js';
import { ncfGradientModel } from './ncf-gradient-model.js';

async function trainedNcf(kind: 'gmf' | 'neumf', seed: number) {
  const { train } = syntheticSplit(seed, 200, 150);
  const hyperParameters = kind === 'gmf' ? { factors: 8 } : { factors: 8, layers: [16, 8], pretrainEpochs: 0 };
  const model = defaultModelRegistry().create(kind, {
    ...hyperParameters,
    epochs: 3,
    batchSize: 256,
    negatives: 4,
    kernels: 'typed-array',
    seed,
  }) as NcfRecommender<never>;
  await model.fit(train);
  return { model, train };
}

function batchOf(train: ReturnType<typeof syntheticSplit>['train'], size: number, seed: number): TrainingBatch {
  const sampler = new UniformNegativeSampler(train, { negativesPerPositive: 4 });
  for (const batch of sampler.epoch(createRng(seed), size)) {
    return {
      ...batch,
      users: batch.users.slice(),
      positives: batch.positives.slice(),
      negatives: batch.negatives.slice(),
    };
  }
  throw new Error('empty training matrix');
}

describe('ncfGradientModel (APR on NCF embeddings, seed 001 §3.3)', () => {
  it('writes the gradient of the summed BCE loss (finite differences on embeddings and dense weights)', async () => {
    const { model, train } = await trainedNcf('neumf', 2);
    const view = ncfGradientModel(model.network);
    expect(view.embeddingTables).toEqual([
      'gmfUserEmbedding',
      'gmfItemEmbedding',
      'mlpUserEmbedding',
      'mlpItemEmbedding',
    ]);
    const tables = view.parameterTables();
    const examples = batchOf(train, 8, 3);
    const out = new SparseGradientBatch(tables);
    const loss = view.computeGradients(examples, out);
    expect(out.numExamples).toBe(1);
    const lossAt = (): number => view.computeGradients(examples, new SparseGradientBatch(tables));
    expect(lossAt()).toBeCloseTo(loss, 10);
    for (const name of ['gmfItemEmbedding', 'mlpUserEmbedding', 'weights0', 'outputWeights']) {
      const t = tables.findIndex((table) => table.name === name);
      const entry = Array.from({ length: out.count }, (_, e) => e).find((e) => out.tableOf[e] === t) as number;
      const table = tables[t];
      const base = out.rowOf[entry] * table.rowLength;
      for (const c of [0, 1]) {
        const original = table.data[base + c];
        table.data[base + c] = original + 1e-2;
        const up = lossAt();
        const stepUp = table.data[base + c] - original;
        table.data[base + c] = original - 1e-2;
        const down = lossAt();
        const stepDown = original - table.data[base + c];
        table.data[base + c] = original;
        const numeric = (up - down) / (stepUp + stepDown);
        expect(Math.abs(out.values[out.offsetOf[entry] + c] - numeric), `${name}[${c}]`).toBeLessThan(
          2e-3 * (1 + Math.abs(numeric)),
        );
      }
    }
    model.network.syncTransposedWeights();
  });

  it('trains GMF with the APR term through the generic loop: lower loss increase under the adversarial perturbation than without it', async () => {
    const epsilon = 0.5;
    const increase: Record<string, number> = {};
    for (const lambda of [0, 1]) {
      const { model, train } = await trainedNcf('gmf', 5);
      const view = ncfGradientModel(model.network);
      const apr = aprTransform({ epsilon, lambda });
      const report = await runGradientPhase({
        recommender: model,
        gradientModel: view,
        tables: view.parameterTables(),
        sampler: new UniformNegativeSampler(train, { negativesPerPositive: 4 }),
        transforms: [apr],
        optimizer: createDefenseOptimizer('adam'),
        epochs: 4,
        batchSize: 50,
        learningRate: 0.01,
        reduction: 'mean',
        rng: createRng(5),
      });
      expect(report.epochs).toBe(4);
      if (lambda === 1) expect(apr.stats.adversarialLoss).toBeGreaterThan(apr.stats.loss);
      // measure: BCE on a fixed batch at Θ and at Θ + Δ_adv (ε-FGSM on the embeddings)
      const probe = aprTransform({ epsilon, lambda: 1 });
      const examples = batchOf(train, 50, 9);
      const batch = new SparseGradientBatch(view.parameterTables());
      view.computeGradients(examples, batch);
      probe.apply(batch, { epoch: 0, step: 0, learningRate: 0, rng: createRng(1), model: view, examples });
      increase[lambda] = (probe.stats.adversarialLoss - probe.stats.loss) / probe.stats.loss;
      expect(Array.from(model.scoreUser(0)).every(Number.isFinite)).toBe(true);
    }
    // measured on seeds 1–6: relative BCE increase 0.64–0.88 without APR, 0.28–0.37 with it (ratio ≤ 0.48)
    expect(increase[1]).toBeLessThan(0.7 * increase[0]);
  });
});

describe('runGradientPhase options', () => {
  it('rejects a misspelt option name with E_CONFIG naming runGradientPhase and the known names, training nothing', async () => {
    const { model, train } = await trainedNcf('gmf', 6);
    const view = ncfGradientModel(model.network);
    const before = Array.from(model.scoreUser(0));
    const options = {
      recommender: model,
      gradientModel: view,
      tables: view.parameterTables(),
      sampler: new UniformNegativeSampler(train, { negativesPerPositive: 4 }),
      transforms: [],
      optimizer: createDefenseOptimizer('adam'),
      epochs: 2,
      batchSize: 50,
      learningRate: 0.01,
      reduction: 'mean' as const,
      rng: createRng(6),
    };
    await expect(runGradientPhase({ ...options, learningrate: 0.1 } as never)).rejects.toMatchObject({
      code: 'E_CONFIG',
      message:
        "runGradientPhase: option 'learningrate' must be one of the known options (recommender, gradientModel, tables, sampler, transforms, optimizer, epochs, batchSize, learningRate, reduction, rng, fit), got 0.1",
      details: { option: 'learningrate', value: 0.1 },
    });
    expect(Array.from(model.scoreUser(0))).toEqual(before);
    await expect(runGradientPhase(null as never)).rejects.toMatchObject({ code: 'E_CONFIG' });
    // the known names, `fit` included, train
    const report = await runGradientPhase({ ...options, fit: { onEpoch: () => undefined } });
    expect(report.epochs).toBe(2);
    expect(Array.from(model.scoreUser(0))).not.toEqual(before);
  });
});
