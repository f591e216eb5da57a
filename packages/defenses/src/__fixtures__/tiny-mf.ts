import { CsrMatrix } from '@trustrec/core-linalg';
import { type FactorModel, type GradientModel, type TrainingBatch, defaultModelRegistry } from '@trustrec/models';

/** A 2-user × 3-item MF-BPR (K = 2, no bias) with hand-set factors, for hand-checkable APR cases. */
export async function tinyMf(): Promise<FactorModel & GradientModel> {
  const train = CsrMatrix.fromCoo(
    { rows: Int32Array.from([0, 1]), columns: Int32Array.from([0, 2]) },
    { numRows: 2, numColumns: 3, duplicates: 'error' },
  );
  const model = defaultModelRegistry().create('bpr', {
    factors: 2,
    epochs: 0,
    itemBias: false,
    seed: 1,
  }) as FactorModel & GradientModel;
  await model.fit(train);
  model.userFactors = Float32Array.from([0.5, -1, 1.5, 0.25]);
  model.itemFactors = Float32Array.from([1, 0.5, -0.5, 1, 0.25, -0.75]);
  return model;
}

/** The two triples (0, 0, 1) and (1, 2, 0). */
export function tinyBatch(): TrainingBatch {
  return {
    size: 2,
    negativesPerPositive: 1,
    users: Int32Array.from([0, 1]),
    positives: Int32Array.from([0, 2]),
    negatives: Int32Array.from([1, 0]),
  };
}

/** Σ −ln σ(p_uᵀ(q_i − q_j)) over the tiny batch, in float64, at the given factors. */
export function tinyBprLoss(users: ArrayLike<number>, items: ArrayLike<number>): number {
  const batch = tinyBatch();
  let loss = 0;
  for (let t = 0; t < batch.size; t++) {
    const u = batch.users[t];
    const i = batch.positives[t];
    const j = batch.negatives[t];
    let x = 0;
    for (let c = 0; c < 2; c++) x += users[u * 2 + c] * (items[i * 2 + c] - items[j * 2 + c]);
    loss += Math.log1p(Math.exp(-x));
  }
  return loss;
}
