import { leaveOneOutSplit, loadDataset, toImplicit } from '@trustrec/datasets';
import { evaluateFullRanking } from '@trustrec/metrics';
import { describeWithData } from '@trustrec/test-utils';
import { beforeAll, expect, it } from 'vitest';
import { MostPopular } from '../baselines/most-popular.js';
import type { Recommender } from '../recommender/recommender.js';
import { NeuMf } from './neumf.js';

describeWithData(
  'MovieLens-100K: NeuMF learns (beats MostPopular on NDCG@10, full ranking, random leave-one-out)',
  ['ml-100k/u.data'],
  (dataDir) => {
    let split: ReturnType<typeof leaveOneOutSplit>;
    let popularityNdcg = 0;

    const ndcgAt10 = async (model: Recommender): Promise<number> => {
      const result = await evaluateFullRanking({
        numUsers: model.numUsers,
        numItems: model.numItems,
        score: (users, out) => void model.scoreUsers(users, out),
        test: split.test,
        exclude: split.train,
        ks: [10],
      });
      return result.mean.ndcg[10];
    };

    beforeAll(async () => {
      const dataset = toImplicit(await loadDataset('ml-100k', { dataDir, cache: false }));
      split = leaveOneOutSplit(dataset, { seed: 1, order: 'random' });
      const popularity = new MostPopular();
      await popularity.fit(split.train);
      popularityNdcg = await ndcgAt10(popularity);
    }, 60_000);

    it('NeuMF (paper architecture, 4 epochs, wasm-simd kernels)', async () => {
      const model = new NeuMf({ epochs: 4, learningRate: 0.002 });
      const report = await model.fit(split.train);
      expect(report.backend).toBe('wasm-simd');
      expect(report.history[3].loss).toBeLessThan(report.history[0].loss);
      // Measured here: NeuMF 0.146 vs MostPopular 0.060.
      expect(await ndcgAt10(model)).toBeGreaterThan(popularityNdcg * 1.5);
    }, 60_000);
  },
);
