import { TrustRecError, createRng } from '@trustrec/core-linalg';
import { describe, expect, it } from 'vitest';
import { MatrixFactorizationLogistic } from '../mf/matrix-factorization-logistic.js';
import { decodeModel } from '../serialization/model-format.js';
import { createSyntheticInteractions } from '../testing/synthetic-interactions.js';
import { Gmf } from './gmf.js';
import { gmfParametersFromLogisticMf } from './gmf-from-logistic-mf.js';
import { Mlp } from './mlp.js';
import { NeuMf } from './neumf.js';

describe('GMF from a logistic MF (NeuMF pre-training by the logistic-MF kernel)', () => {
  const data = createSyntheticInteractions({ numUsers: 90, numItems: 60, interactionsPerUser: 12, seed: 5 });
  const numUsers = data.train.numRows;
  const numItems = data.train.numColumns;
  const allPairs = (): [Int32Array, Int32Array] => {
    const users = new Int32Array(numUsers * numItems);
    const items = new Int32Array(numUsers * numItems);
    for (let u = 0; u < numUsers; u++) {
      for (let i = 0; i < numItems; i++) {
        users[u * numItems + i] = u;
        items[u * numItems + i] = i;
      }
    }
    return [users, items];
  };
  const fittedMf = async (): Promise<MatrixFactorizationLogistic> => {
    const mf = new MatrixFactorizationLogistic({ factors: 6, epochs: 6, learningRate: 0.05, negatives: 3, seed: 3 });
    await mf.fit(data.train);
    return mf;
  };

  it('lays out p′ = [p; b_u; 1], q′ = [q; 1; b_i], h = 1, b′ = b (hand-checked on one user and item)', async () => {
    const mf = await fittedMf();
    const { factors, arrays } = gmfParametersFromLogisticMf(mf);
    expect(factors).toBe(8);
    const u = 7;
    const i = 11;
    expect(Array.from(arrays.gmfUser.subarray(u * 8, u * 8 + 8))).toEqual([
      ...mf.userFactors.subarray(u * 6, u * 6 + 6),
      mf.userBias[u],
      1,
    ]);
    expect(Array.from(arrays.gmfItem.subarray(i * 8, i * 8 + 8))).toEqual([
      ...mf.itemFactors.subarray(i * 6, i * 6 + 6),
      1,
      (mf.itemBias as Float32Array)[i],
    ]);
    expect(Array.from(arrays.outputWeights)).toEqual([1, 1, 1, 1, 1, 1, 1, 1]);
    expect(arrays.outputBias[0]).toBe(Math.fround(mf.globalBias));
    // Copies: writing the GMF arrays leaves the MF alone.
    const before = mf.userFactors[0];
    arrays.gmfUser[0] = before + 1;
    expect(mf.userFactors[0]).toBe(before);
  });

  it("Gmf.fromLogisticMf scores every pair with the MF's logit b + b_u + b_i + ⟨p_u, q_i⟩", async () => {
    const mf = await fittedMf();
    const gmf = Gmf.fromLogisticMf(mf);
    expect(gmf.isFitted).toBe(true);
    expect(gmf.factors).toBe(8);
    expect(gmf.hyperParameters.epochs).toBe(0);
    expect(gmf.hyperParameters.seed).toBe(3);
    const [users, items] = allPairs();
    const expected = mf.logits(users, items);
    const actual = gmf.scorePairs(users, items);
    let largest = 0;
    for (let t = 0; t < expected.length; t++) largest = Math.max(largest, Math.abs(expected[t]));
    expect(largest).toBeGreaterThan(1); // a trained model, not near-zero scores
    for (let t = 0; t < expected.length; t++) expect(Math.abs(actual[t] - expected[t])).toBeLessThan(1e-5);
    // The same top-5 for every user (rankings are what pre-training hands on).
    const everyUser = Int32Array.from({ length: numUsers }, (_, u) => u);
    const fromGmf = gmf.recommend(everyUser, 5, { exclude: data.train });
    const fromMf = mf.recommend(everyUser, 5, { exclude: data.train });
    for (let u = 0; u < numUsers; u++) expect(Array.from(fromGmf[u].indices)).toEqual(Array.from(fromMf[u].indices));
    // It saves and loads like any GMF.
    const restored = Gmf.load(decodeModel(gmf.save()));
    expect(Array.from(restored.scoreUser(4))).toEqual(Array.from(gmf.scoreUser(4)));
  });

  it('NeuMF with α = 1 starts as the MF; with α = 0.5 at the mean of the MF and MLP logits', async () => {
    const mf = await fittedMf();
    const gmf = Gmf.fromLogisticMf(mf, { learningRate: 0.01 });
    expect(gmf.hyperParameters.learningRate).toBe(0.01);
    const mlp = new Mlp({ epochs: 3, learningRate: 0.01, batchSize: 64, layers: [16, 8, 4] });
    await mlp.fit(data.train);
    const neumfOf = async (alpha: number): Promise<NeuMf> => {
      const model = new NeuMf({ epochs: 0, factors: 8, layers: [16, 8, 4], alpha }).usePretrained(gmf, mlp);
      await model.fit(data.train);
      return model;
    };
    const [users, items] = allPairs();
    const mfLogits = mf.logits(users, items);
    const mlpLogits = mlp.scorePairs(users, items);
    const pure = (await neumfOf(1)).scorePairs(users, items);
    const half = (await neumfOf(0.5)).scorePairs(users, items);
    for (let t = 0; t < mfLogits.length; t++) {
      expect(Math.abs(pure[t] - mfLogits[t])).toBeLessThan(1e-5);
      expect(Math.abs(half[t] - (mfLogits[t] + mlpLogits[t]) / 2)).toBeLessThan(1e-5);
    }
  });

  it("gmfPretraining 'logistic-mf': NeuMF's fit pre-trains the GMF part as the MF with factors − 2", async () => {
    const seed = 11;
    const model = new NeuMf({
      epochs: 0,
      factors: 8,
      layers: [16, 8, 4],
      pretrainEpochs: 2,
      batchSize: 64,
      gmfPretraining: 'logistic-mf',
      alpha: 1,
      seed,
    });
    const stages: string[] = [];
    const report = await model.fit(data.train, {
      onPretrainEpoch: (event) => stages.push(`${event.model.name} ${event.epoch}/${event.totalEpochs}`),
    });
    // The MF that fit trains: factors − 2, the mf defaults, the seed NeuMF derives for its GMF stage.
    const mf = new MatrixFactorizationLogistic({
      factors: 6,
      seed: createRng(seed).fork('pretrain').fork('gmf').nextUint32(),
    });
    await mf.fit(data.train);
    const [users, items] = allPairs();
    const mfLogits = mf.logits(users, items);
    const neumfLogits = model.scorePairs(users, items);
    for (let t = 0; t < mfLogits.length; t++) expect(Math.abs(neumfLogits[t] - mfLogits[t])).toBeLessThan(1e-5);
    const mfEpochs = mf.hyperParameters.epochs;
    expect(stages).toEqual([
      ...Array.from({ length: mfEpochs }, (_, e) => `mf ${e + 1}/${mfEpochs}`),
      'mlp 1/2',
      'mlp 2/2',
    ]);
    expect(report.pretrainSeconds).toBeGreaterThan(0);
  });

  it("gmfPretraining 'logistic-mf' needs factors ≥ 3 and pretrainEpochs ≥ 1 (E_CONFIG)", () => {
    const configErrorOf = (hyperParameters: Record<string, unknown>): unknown => {
      try {
        new NeuMf(hyperParameters);
      } catch (error) {
        return error;
      }
      return undefined;
    };
    const tooSmall = configErrorOf({ factors: 2, pretrainEpochs: 1, gmfPretraining: 'logistic-mf' });
    expect(TrustRecError.isInstance(tooSmall, 'E_CONFIG')).toBe(true);
    expect((tooSmall as Error).message).toMatch(/'factors' must be ≥ 3 with gmfPretraining 'logistic-mf'.*got 2/);
    const noMlp = configErrorOf({ factors: 8, pretrainEpochs: 0, gmfPretraining: 'logistic-mf' });
    expect(TrustRecError.isInstance(noMlp, 'E_CONFIG')).toBe(true);
    expect((noMlp as Error).message).toMatch(/'pretrainEpochs' must be ≥ 1/);
    expect(TrustRecError.isInstance(configErrorOf({ gmfPretraining: 'svd' }), 'E_CONFIG')).toBe(true);
    expect(new NeuMf({ factors: 3, pretrainEpochs: 1, gmfPretraining: 'logistic-mf' }).factors).toBe(3);
  });

  it('rejects an unfitted MF (E_NOT_FITTED) and a factors option other than K + 2 (E_CONFIG)', async () => {
    expect(() => Gmf.fromLogisticMf(new MatrixFactorizationLogistic())).toThrow(/not fitted/);
    const mf = await fittedMf();
    let caught: unknown;
    try {
      Gmf.fromLogisticMf(mf, { factors: 6 });
    } catch (error) {
      caught = error;
    }
    expect(TrustRecError.isInstance(caught, 'E_CONFIG')).toBe(true);
    expect((caught as Error).message).toMatch(/factors.*8 \(the MF's factors \+ 2\)/);
    expect(Gmf.fromLogisticMf(mf, { factors: 8 }).factors).toBe(8);
    expect(() => Gmf.fromLogisticMf(mf, { batchSize: 0 })).toThrow(/batchSize/);
  });
});
