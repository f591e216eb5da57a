import { type Split, leaveOneOutSplit, loadDataset, toImplicit } from '@trustrec/datasets';
import { evaluateFullRanking } from '@trustrec/metrics';
import { MostPopular } from '../../baselines/most-popular.js';
import type { Recommender } from '../../recommender/recommender.js';

/** MovieLens-100K as implicit data, a seeded random leave-one-out split, and full-ranking NDCG@10 on it. */
export interface MovieLens100kBench {
  readonly split: Split;
  /** Full-ranking NDCG@10 of a fitted model (training items excluded). */
  ndcgAt10(model: Recommender): Promise<number>;
  /** NDCG@10 of MostPopular on the same split: the bar every model must clear. */
  readonly popularityNdcg: number;
}

/** Loads the shared "do the models learn?" setup of the real-data tests. */
export async function loadMovieLens100kBench(dataDir: string): Promise<MovieLens100kBench> {
  const dataset = toImplicit(await loadDataset('ml-100k', { dataDir, cache: false }));
  const split = leaveOneOutSplit(dataset, { seed: 1, order: 'random' });
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
  const popularity = new MostPopular();
  await popularity.fit(split.train);
  return { split, ndcgAt10, popularityNdcg: await ndcgAt10(popularity) };
}
