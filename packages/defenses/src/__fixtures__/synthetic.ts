import type { CsrMatrix } from '@trustrec/core-linalg';
import { generateSyntheticDataset, leaveOneOutSplit } from '@trustrec/datasets';
import { type EvaluationResult, evaluateFullRanking } from '@trustrec/metrics';
import type { Recommender } from '@trustrec/models';

/** A small synthetic leave-one-out split (labelled synthetic; tests only). */
export function syntheticSplit(seed: number, numUsers = 300, numItems = 200): { train: CsrMatrix; test: CsrMatrix } {
  const dataset = generateSyntheticDataset({ numUsers, numItems, factors: 8, seed, interactionsPerUser: 20 });
  const split = leaveOneOutSplit(dataset, { seed });
  return { train: split.train, test: split.test };
}

/** Full-ranking NDCG/HR at 10 with the training items excluded. */
export function evaluator(train: CsrMatrix, test: CsrMatrix): (model: Recommender) => Promise<EvaluationResult> {
  return (model) =>
    evaluateFullRanking({
      numUsers: train.numRows,
      numItems: train.numColumns,
      score: (users, out) => {
        model.scoreUsers(users, out);
      },
      test,
      exclude: train,
      ks: [10],
    });
}
