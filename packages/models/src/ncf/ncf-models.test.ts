import { TrustRecError } from '@trustrec/core-linalg';
import { describe, expect, it } from 'vitest';
import type { Recommender } from '../recommender/recommender.js';
import { decodeModel } from '../serialization/model-format.js';
import { recommenderConformanceSuite } from '../testing/recommender-conformance-suite.js';
import { createSyntheticInteractions, heldOutRanking } from '../testing/synthetic-interactions.js';
import { Gmf, gmfModelEntry } from './gmf.js';
import { Mlp, mlpModelEntry } from './mlp.js';
import { NeuMf, neumfModelEntry } from './neumf.js';

// Small, fast settings for the synthetic data (120 users × 80 items); the defaults are the paper's.
const SMALL = { epochs: 12, learningRate: 0.01, batchSize: 64 };
const entries = { gmf: gmfModelEntry, mlp: mlpModelEntry, neumf: neumfModelEntry };
const load = (bytes: Uint8Array): Recommender => {
  const decoded = decodeModel(bytes);
  return entries[decoded.header.model as keyof typeof entries].load(decoded);
};
const invalidCommon = [
  { learningRate: -1 },
  { learningRate: 0 },
  { negatives: -1 },
  { batchSize: 0 },
  { epochs: 1.5 },
  { optimizer: 'rmsprop' },
  { kernels: 'gpu' },
];

recommenderConformanceSuite({
  name: 'GMF',
  create: (hyperParameters) => new Gmf(hyperParameters),
  hyperParameters: { ...SMALL, factors: 8 },
  invalidHyperParameters: [...invalidCommon, { factors: 0 }, { layers: [8, 4] }],
  load,
  otherSeed: { seed: 7 },
});

recommenderConformanceSuite({
  name: 'MLP (NCF)',
  create: (hyperParameters) => new Mlp(hyperParameters),
  hyperParameters: { ...SMALL, layers: [16, 8, 4] },
  invalidHyperParameters: [...invalidCommon, { layers: [15, 8] }, { layers: [16] }, { layers: [] }, { factors: 8 }],
  load,
  otherSeed: { seed: 7 },
});

recommenderConformanceSuite({
  name: 'NeuMF',
  create: (hyperParameters) => new NeuMf(hyperParameters),
  hyperParameters: { ...SMALL, factors: 8, layers: [16, 8, 4] },
  invalidHyperParameters: [
    ...invalidCommon,
    { alpha: 1.5 },
    { pretrainEpochs: -1 },
    { layers: [9, 4] },
    { factors: 0 },
  ],
  load,
  otherSeed: { seed: 7 },
});

describe('NCF models', () => {
  const data = createSyntheticInteractions({ numUsers: 120, numItems: 80, interactionsPerUser: 15, seed: 11 });

  it('NeuMF derives its tower from factors unless layers are given (the reference code: [8F, 4F, 2F, F])', async () => {
    expect(new NeuMf().hyperParameters.layers).toEqual([64, 32, 16, 8]);
    expect(new NeuMf({ factors: 64 }).hyperParameters.layers).toEqual([512, 256, 128, 64]);
    expect(new NeuMf({ factors: 3 }).hyperParameters.layers).toEqual([24, 12, 6, 3]);
    expect(new NeuMf({ factors: 64, layers: [256, 128, 64] }).hyperParameters.layers).toEqual([256, 128, 64]);
    expect(Object.isFrozen(new NeuMf({ factors: 64 }).hyperParameters)).toBe(true);
    expect(new Mlp().hyperParameters.layers).toEqual([64, 32, 16, 8]);
    const model = new NeuMf({ ...SMALL, epochs: 1, factors: 2 });
    await model.fit(data.train);
    expect(model.network.architecture.layers).toEqual([16, 8, 4, 2]);
    expect((load(model.save()) as NeuMf).hyperParameters.layers).toEqual([16, 8, 4, 2]);
  });

  it('the training loss decreases epoch over epoch (NeuMF, Adam)', async () => {
    const model = new NeuMf({ ...SMALL, factors: 8, layers: [16, 8, 4] });
    const report = await model.fit(data.train);
    const losses = report.history.map((record) => record.loss);
    expect(losses[0]).toBeLessThan(Math.log(2) + 0.05); // starts near chance (σ(0) on every instance)
    expect(losses[losses.length - 1]).toBeLessThan(losses[0] * 0.85);
    expect(report.samples).toBe(data.train.nnz * 5 * SMALL.epochs);
    expect(report.backend).toBe('wasm-simd');
  });

  it('learns the planted structure far better than chance (HR@10 on held-out items)', async () => {
    const model = new NeuMf({ ...SMALL, factors: 8, layers: [16, 8, 4] });
    await model.fit(data.train);
    const ours = heldOutRanking((u, out) => model.scoreUser(u, out), data.train, data.testItems);
    const chance = 10 / (80 - 14); // a random ranking of the 66 unseen items
    expect(ours.hr).toBeGreaterThan(2 * chance);
    const untrained = new NeuMf({ ...SMALL, epochs: 0, factors: 8, layers: [16, 8, 4] });
    await untrained.fit(data.train);
    const baseline = heldOutRanking((u, out) => untrained.scoreUser(u, out), data.train, data.testItems);
    expect(ours.ndcg).toBeGreaterThan(baseline.ndcg + 0.1);
  });

  it('typed-array and wasm-simd kernels give the same model up to float32 rounding', async () => {
    const hyperParameters = { ...SMALL, epochs: 2, factors: 8, layers: [16, 8, 4] };
    const simd = new NeuMf({ ...hyperParameters, kernels: 'wasm-simd' });
    const typed = new NeuMf({ ...hyperParameters, kernels: 'typed-array' });
    await simd.fit(data.train);
    await typed.fit(data.train);
    expect(simd.describe().backend).toBe('wasm-simd');
    expect(typed.describe().backend).toBe('typed-array');
    const a = simd.scoreUser(3);
    const b = typed.scoreUser(3);
    for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThan(1e-3);
  });

  it('pre-training (eq. 13): NeuMF starts from GMF and MLP with h = [α·h_GMF; (1−α)·h_MLP]', async () => {
    const gmf = new Gmf({ ...SMALL, epochs: 3, factors: 8 });
    const mlp = new Mlp({ ...SMALL, epochs: 3, layers: [16, 8, 4] });
    await gmf.fit(data.train);
    await mlp.fit(data.train);
    const neumf = new NeuMf({ ...SMALL, epochs: 0, factors: 8, layers: [16, 8, 4], alpha: 0.25 }).usePretrained(
      gmf,
      mlp,
    );
    await neumf.fit(data.train);
    const parameters = neumf.network.parameters;
    expect(Array.from(parameters.gmfUser)).toEqual(Array.from(gmf.network.parameters.gmfUser));
    expect(Array.from(parameters.mlpItem)).toEqual(Array.from(mlp.network.parameters.mlpItem));
    expect(Array.from(parameters.weights1)).toEqual(Array.from(mlp.network.parameters.weights1));
    const h = parameters.outputWeights;
    expect(h[0]).toBe(Math.fround(0.25 * gmf.network.parameters.outputWeights[0]));
    expect(h[8]).toBe(Math.fround(0.75 * mlp.network.parameters.outputWeights[0]));
    // With α = 0.5 the NeuMF logit is the mean of the GMF and MLP logits (before any fine-tuning).
    const half = new NeuMf({ ...SMALL, epochs: 0, factors: 8, layers: [16, 8, 4], alpha: 0.5 }).usePretrained(gmf, mlp);
    await half.fit(data.train);
    const fused = half.scoreUser(5);
    const g = gmf.scoreUser(5);
    const m = mlp.scoreUser(5);
    for (let i = 0; i < fused.length; i++) expect(fused[i]).toBeCloseTo((g[i] + m[i]) / 2, 4);
  });

  it('pretrainEpochs trains GMF and MLP inside fit, fine-tunes with SGD, and is deterministic', async () => {
    const hyperParameters = {
      ...SMALL,
      epochs: 2,
      learningRate: 0.05,
      factors: 8,
      layers: [16, 8, 4],
      pretrainEpochs: 6,
    };
    const a = new NeuMf(hyperParameters);
    const b = new NeuMf(hyperParameters);
    const stages: string[] = [];
    const epochs: string[] = [];
    const report = await a.fit(data.train, {
      onPretrainEpoch: (event) => stages.push(`${event.model.name} ${event.epoch}/${event.totalEpochs}`),
      onEpoch: (event) => {
        epochs.push(`${event.model.name} ${event.epoch}`);
      },
    });
    await b.fit(data.train);
    expect(stages).toEqual([
      ...[1, 2, 3, 4, 5, 6].map((epoch) => `gmf ${epoch}/6`),
      ...[1, 2, 3, 4, 5, 6].map((epoch) => `mlp ${epoch}/6`),
    ]);
    expect(epochs).toEqual(['neumf 1', 'neumf 2']); // pre-training epochs never reach onEpoch
    expect(report.pretrainSeconds).toBeGreaterThan(0);
    expect(report.seconds).toBeGreaterThan(report.pretrainSeconds as number);
    expect(report.seconds).toBeGreaterThanOrEqual(
      (report.pretrainSeconds as number) + report.history.reduce((sum, epoch) => sum + epoch.seconds, 0),
    );
    expect(a.network.optimizer.optimizer).toBe('sgd');
    expect(Array.from(a.scoreUser(9))).toEqual(Array.from(b.scoreUser(9)));
    const quality = heldOutRanking((u, out) => a.scoreUser(u, out), data.train, data.testItems);
    expect(quality.hr).toBeGreaterThan(2 * (10 / 66));
  });

  it('rejects mismatched pre-trained models with E_CONFIG', async () => {
    const gmf = new Gmf({ ...SMALL, epochs: 1, factors: 4 });
    const mlp = new Mlp({ ...SMALL, epochs: 1, layers: [16, 8, 4] });
    await gmf.fit(data.train);
    await mlp.fit(data.train);
    const neumf = new NeuMf({ ...SMALL, epochs: 1, factors: 8, layers: [16, 8, 4] }).usePretrained(gmf, mlp);
    await expect(neumf.fit(data.train)).rejects.toSatisfy((error: unknown) =>
      TrustRecError.isInstance(error, 'E_CONFIG'),
    );
    expect(() => new NeuMf().usePretrained(new Gmf(), new Mlp())).toThrow(/fit the GMF/);
  });

  it("explicit kernels: 'wasm-simd' with widths that are not multiples of 4 is E_CONFIG", async () => {
    const model = new Mlp({ ...SMALL, epochs: 1, layers: [6, 3], kernels: 'wasm-simd' });
    await expect(model.fit(data.train)).rejects.toSatisfy((error: unknown) =>
      TrustRecError.isInstance(error, 'E_CONFIG'),
    );
    const auto = new Mlp({ ...SMALL, epochs: 1, layers: [6, 3] });
    await auto.fit(data.train);
    expect(auto.describe().backend).toBe('typed-array');
  });

  it('the same seed gives bit-identical parameters in every array (and another seed does not)', async () => {
    const hyperParameters = { ...SMALL, epochs: 2, factors: 8, layers: [16, 8, 4] };
    const [a, b, c] = [
      new NeuMf(hyperParameters),
      new NeuMf(hyperParameters),
      new NeuMf({ ...hyperParameters, seed: 1 }),
    ];
    for (const model of [a, b, c]) await model.fit(data.train);
    for (const name of a.network.parameterNames) {
      expect(Array.from(b.network.parameters[name]), name).toEqual(Array.from(a.network.parameters[name]));
    }
    expect(Array.from(c.network.parameters.mlpUser)).not.toEqual(Array.from(a.network.parameters.mlpUser));
  });

  it('the network is guarded by E_NOT_FITTED before fit', () => {
    for (const model of [new Gmf(), new Mlp(), new NeuMf()]) {
      expect(() => model.network).toThrow(expect.objectContaining({ code: 'E_NOT_FITTED' }));
    }
  });

  it('describes itself with the paper reference and registry names', () => {
    expect(new NeuMf().describe()).toMatchObject({ name: 'neumf', displayName: 'NeuMF', fitted: false });
    expect(new NeuMf().describe().reference.citation).toMatch(/Neural Collaborative Filtering/);
    expect([gmfModelEntry.name, mlpModelEntry.name, neumfModelEntry.name]).toEqual(['gmf', 'mlp', 'neumf']);
    expect(neumfModelEntry.defaults).toMatchObject({
      factors: 8,
      layers: [64, 32, 16, 8],
      negatives: 4,
      batchSize: 256,
      learningRate: 0.001,
    });
  });
});
