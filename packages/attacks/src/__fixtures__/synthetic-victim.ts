import type { CsrMatrix } from '@trustrec/core-linalg';
import { generateSyntheticDataset, leaveOneOutSplit } from '@trustrec/datasets';
import { type EvaluationResult, evaluateFullRanking } from '@trustrec/metrics';
import { type FactorModel, type Recommender, defaultModelRegistry } from '@trustrec/models';

/** A small synthetic leave-one-out split (labelled synthetic; tests only). */
export function syntheticSplit(seed = 7, numUsers = 300, numItems = 200): { train: CsrMatrix; test: CsrMatrix } {
  const dataset = generateSyntheticDataset({ numUsers, numItems, factors: 8, seed, interactionsPerUser: 20 });
  const split = leaveOneOutSplit(dataset, { seed });
  return { train: split.train, test: split.test };
}

/**
 * MF-BPR trained on {@link syntheticSplit} (≈0.2 s): ŷ_ui = p_uᵀq_i without item bias, the MF of seed 001
 * §3.1 / APR. (With an item bias on this popularity-skewed data the bias carries much of the ranking and FGSM
 * on the factors hurts NDCG@10 about as much as random noise, though it still hurts AUC more.)
 */
export async function trainedVictim(seed = 7): Promise<{ model: FactorModel; train: CsrMatrix; test: CsrMatrix }> {
  const { train, test } = syntheticSplit(seed);
  const model = defaultModelRegistry().create('bpr', {
    factors: 16,
    epochs: 40,
    learningRate: 0.05,
    regularization: 0.005,
    seed,
    itemBias: false,
  }) as FactorModel;
  await model.fit(train);
  return { model, train, test };
}

/** Full-ranking evaluation at K = 10, 20 with the training items excluded. */
export function fullRankingEvaluator(
  train: CsrMatrix,
  test: CsrMatrix,
): (model: Recommender) => Promise<EvaluationResult> {
  return (model) =>
    evaluateFullRanking({
      numUsers: train.numRows,
      numItems: train.numColumns,
      score: (users, out) => {
        model.scoreUsers(users, out);
      },
      test,
      exclude: train,
      ks: [10, 20],
    });
}

/** Bit-for-bit equality of two float arrays. */
export function sameBits(a: Float32Array, b: Float32Array): boolean {
  if (a.length !== b.length) return false;
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const y = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let p = 0; p < x.length; p++) if (x[p] !== y[p]) return false;
  return true;
}
