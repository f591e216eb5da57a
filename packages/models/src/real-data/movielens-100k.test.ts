import { loadDataset, ratioSplit } from '@trustrec/datasets';
import { describeWithData } from '@trustrec/test-utils';
import { beforeAll, expect, it } from 'vitest';
import { ImplicitAls } from '../als/implicit-als.js';
import { MatrixFactorizationAls } from '../als/matrix-factorization-als.js';
import { ItemKnn } from '../knn/item-knn.js';
import { MatrixFactorizationBpr } from '../mf/matrix-factorization-bpr.js';
import { MatrixFactorizationLogistic } from '../mf/matrix-factorization-logistic.js';
import { type MovieLens100kBench, loadMovieLens100kBench } from './__fixtures__/movielens-100k-split.js';

describeWithData(
  'MovieLens-100K: models learn (beat MostPopular on NDCG@10, full ranking, random leave-one-out)',
  ['ml-100k/u.data'],
  (dataDir) => {
    let bench: MovieLens100kBench;

    beforeAll(async () => {
      bench = await loadMovieLens100kBench(dataDir);
      expect(bench.popularityNdcg).toBeGreaterThan(0.01);
    }, 60_000);

    it('MF-BPR', async () => {
      const model = new MatrixFactorizationBpr({ factors: 32, epochs: 20, learningRate: 0.05, regularization: 0.01 });
      await model.fit(bench.split.train);
      expect(await bench.ndcgAt10(model)).toBeGreaterThan(bench.popularityNdcg * 1.15);
    }, 60_000);

    it('MF (logistic, sampled negatives; Rendle et al. 2020)', async () => {
      // 8 epochs × 9 examples per positive at K = 32: about 7 M SGD steps, well under a second of kernel time.
      const model = new MatrixFactorizationLogistic({
        factors: 32,
        epochs: 8,
        learningRate: 0.02,
        regularization: 0.005,
        negatives: 8,
      });
      const report = await model.fit(bench.split.train);
      expect(report.history[7].loss).toBeLessThan(report.history[0].loss);
      expect(await bench.ndcgAt10(model)).toBeGreaterThan(bench.popularityNdcg * 1.15);
    }, 60_000);

    it('implicit ALS (CG)', async () => {
      const model = new ImplicitAls({ factors: 32, iterations: 8, regularization: 0.1, alpha: 2 });
      await model.fit(bench.split.train);
      expect(await bench.ndcgAt10(model)).toBeGreaterThan(bench.popularityNdcg * 1.15);
    }, 60_000);

    it('ItemKNN', async () => {
      const model = new ItemKnn({ neighbours: 50 });
      await model.fit(bench.split.train);
      expect(await bench.ndcgAt10(model)).toBeGreaterThan(bench.popularityNdcg);
    }, 60_000);

    it('explicit MF-ALS predicts held-out ratings better than the global mean (RMSE, 80/20 split)', async () => {
      const ratings = await loadDataset('ml-100k', { dataDir, cache: false });
      const ratingSplit = ratioSplit(ratings, { seed: 1, testRatio: 0.2 });
      const model = new MatrixFactorizationAls({ factors: 8, iterations: 8, regularization: 5 });
      await model.fit(ratingSplit.train);
      const { train, test } = ratingSplit;
      let mean = 0;
      for (let p = 0; p < train.nnz; p++) mean += train.values[p];
      mean /= train.nnz;
      const pairsUsers = new Int32Array(test.nnz);
      for (let u = 0; u < test.numRows; u++) pairsUsers.fill(u, test.indptr[u], test.indptr[u + 1]);
      const predictions = model.scorePairs(pairsUsers, test.indices);
      let modelError = 0;
      let meanError = 0;
      for (let p = 0; p < test.nnz; p++) {
        modelError += (test.values[p] - predictions[p]) ** 2;
        meanError += (test.values[p] - mean) ** 2;
      }
      const modelRmse = Math.sqrt(modelError / test.nnz);
      const meanRmse = Math.sqrt(meanError / test.nnz);
      expect(modelRmse).toBeLessThan(meanRmse * 0.95);
    }, 60_000);
  },
);
