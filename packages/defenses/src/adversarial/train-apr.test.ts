import { fgsmPerturbation } from '@trustrec/attacks';
import { TrustRecError } from '@trustrec/core-linalg';
import { type FactorModel, defaultModelRegistry } from '@trustrec/models';
import { describe, expect, it } from 'vitest';
import { evaluator, syntheticSplit } from '../__fixtures__/synthetic.js';
import { type AprEpochEvent, trainApr } from './train-apr.js';

/** Small-data settings: K = 16, no item bias (seed 001's MF), 40 pre-training + 20 adversarial epochs. */
const SETTINGS = { factors: 16, pretrainEpochs: 40, adversarialEpochs: 20, itemBias: false, reg: 0.005 } as const;

async function fgsmNdcgDrop(model: FactorModel, seed: number, epsilon: number) {
  const { train, test } = syntheticSplit(seed);
  const evaluate = evaluator(train, test);
  const clean = (await evaluate(model)).mean.ndcg[10];
  const attacked = (await evaluate(fgsmPerturbation(model, train, { epsilon, target: 'both', seed: 1 }).model)).mean
    .ndcg[10];
  return { clean, drop: (clean - attacked) / clean };
}

describe('trainApr', () => {
  it('pre-trains MF-BPR, then runs adversarial epochs whose adversarial loss exceeds the clean loss', async () => {
    const { train } = syntheticSplit(3);
    const events: AprEpochEvent[] = [];
    const { model, report } = await trainApr(train, {
      ...SETTINGS,
      pretrainEpochs: 5,
      adversarialEpochs: 3,
      seed: 3,
      onEpoch: (event) => void events.push(event),
    });
    expect(events.map((event) => `${event.phase}:${event.epoch}`)).toEqual([
      'pretrain:1',
      'pretrain:2',
      'pretrain:3',
      'pretrain:4',
      'pretrain:5',
      'adversarial:1',
      'adversarial:2',
      'adversarial:3',
    ]);
    expect(report.pretrain?.epochs).toBe(5);
    expect(report.adversarial.epochs).toBe(3);
    expect(report.adversarialLoss).toHaveLength(3);
    for (let epoch = 0; epoch < 3; epoch++)
      expect(report.adversarialLoss[epoch]).toBeGreaterThan(report.adversarial.history[epoch].loss);
    expect(report.adversarial.samples).toBe(3 * train.nnz);
    expect(model.factors).toBe(16);
    expect(model.itemBias).toBeUndefined();
    expect(report.description).toMatchObject({
      name: 'apr',
      parameters: { epsilon: 0.5, lambda: 1, optimizer: 'adagrad', batchSize: 512 },
    });
  });

  it('is deterministic for a seed and continues from a pretrained MF-BPR without mutating it', async () => {
    const { train } = syntheticSplit(4);
    const pretrained = defaultModelRegistry().create('bpr', {
      factors: 8,
      epochs: 5,
      itemBias: false,
      seed: 4,
    }) as FactorModel;
    await pretrained.fit(train);
    const before = pretrained.userFactors.slice();
    const a = await trainApr(train, { adversarialEpochs: 2, seed: 4, pretrained });
    const b = await trainApr(train, { adversarialEpochs: 2, seed: 4, pretrained });
    expect(Array.from(pretrained.userFactors)).toEqual(Array.from(before));
    expect(a.report.pretrain).toBeUndefined();
    expect(Array.from(a.model.itemFactors)).toEqual(Array.from(b.model.itemFactors));
    expect(Array.from(a.model.userFactors)).not.toEqual(Array.from(before));
    // Options that only shape the pre-training have no effect with `pretrained`: refused, not ignored.
    for (const [name, value] of [
      ['factors', 16],
      ['pretrainEpochs', 3],
      ['itemBias', true],
    ] as const) {
      await expect(trainApr(train, { adversarialEpochs: 2, seed: 4, pretrained, [name]: value })).rejects.toMatchObject(
        {
          code: 'E_CONFIG',
          message: `trainApr: option '${name}' has no effect with 'pretrained' (the pretrained model's own value is used); remove it, or drop 'pretrained' to pre-train here`,
          details: { option: name, value },
        },
      );
    }
  });

  it('makes MF more robust to FGSM than the same training without the adversarial term (seed 001 §5.3)', async () => {
    // Control: identical pre-training and adversarial-phase trainer with λ = 0 (plain BPR continued).
    // Measured on seeds 1–10 of this split: FGSM(ε = 1) removes 38–54 % of BPR's NDCG@10 but 12–28 % of APR's
    // (APR/BPR ratio ≤ 0.56), and APR's clean NDCG@10 is within −0.2 %…+6 % of BPR's.
    const seed = 7;
    const { train } = syntheticSplit(seed);
    const bpr = await trainApr(train, { ...SETTINGS, lambda: 0, seed });
    const apr = await trainApr(train, { ...SETTINGS, lambda: 1, epsilon: 0.5, seed });
    const bprResult = await fgsmNdcgDrop(bpr.model, seed, 1);
    const aprResult = await fgsmNdcgDrop(apr.model, seed, 1);
    expect(bprResult.drop).toBeGreaterThan(0.2);
    expect(aprResult.drop).toBeLessThan(0.75 * bprResult.drop);
    expect(aprResult.clean).toBeGreaterThan(0.97 * bprResult.clean);
  });

  it('rejects bad hyper-parameters with E_CONFIG', async () => {
    const { train } = syntheticSplit(3, 20, 30);
    const bad = [
      { epsilon: -1 },
      { lambda: Number.NaN },
      { factors: 0 },
      { adversarialEpochs: 1.5 },
      { optimizer: 'rmsprop' },
      { learningRate: 0 },
      { seed: -1 },
      { reduction: 'max' },
    ];
    for (const options of bad) {
      const error = await trainApr(train, {
        seed: 1,
        pretrainEpochs: 0,
        adversarialEpochs: 0,
        ...options,
      } as never).catch((caught: unknown) => caught);
      expect(TrustRecError.isInstance(error, 'E_CONFIG'), JSON.stringify(options)).toBe(true);
    }
  });

  it('rejects a misspelt option name with E_CONFIG naming trainApr, the name and the known names, before any training', async () => {
    const { train } = syntheticSplit(3, 20, 30);
    const events: AprEpochEvent[] = [];
    const onEpoch = (event: AprEpochEvent) => void events.push(event);
    for (const [name, value, shown] of [
      ['epsilonn', 0.2, '0.2'],
      ['pretrainedModel', { seed: 1 }, 'an object'],
      ['onepoch', onEpoch, 'a function'],
    ] as const) {
      const error = await trainApr(train, { seed: 1, pretrainEpochs: 2, onEpoch, [name]: value } as never).catch(
        (caught: unknown) => caught,
      );
      expect(TrustRecError.isInstance(error, 'E_CONFIG'), name).toBe(true);
      expect((error as TrustRecError).message).toBe(
        `trainApr: option '${name}' must be one of the known options (factors, pretrainEpochs, adversarialEpochs, epsilon, lambda, learningRate, reg, batchSize, optimizer, reduction, adversary, itemBias, seed, pretrained, registry, onEpoch, signal), got ${shown}`,
      );
      expect((error as TrustRecError).details).toMatchObject({ option: name });
    }
    expect(events).toEqual([]);
  });

  it('accepts every known option name, and any name set to undefined (an absent option, as a caller spreading options has)', async () => {
    const { train } = syntheticSplit(3, 20, 30);
    const { report } = await trainApr(train, {
      seed: 1,
      factors: 4,
      pretrainEpochs: 1,
      adversarialEpochs: 1,
      epsilon: 0.2,
      lambda: 1,
      learningRate: 0.05,
      reg: 0.01,
      batchSize: 64,
      optimizer: 'sgd',
      reduction: 'mean',
      adversary: 'gradient',
      itemBias: false,
      pretrained: undefined,
      registry: defaultModelRegistry(),
      onEpoch: undefined,
      signal: new AbortController().signal,
      unusedOption: undefined,
    } as never);
    expect(report.description.parameters).toMatchObject({ epsilon: 0.2, factors: 4, reg: 0.01, optimizer: 'sgd' });
  });
});
