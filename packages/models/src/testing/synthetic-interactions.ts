import { CsrMatrix, createRng } from '@trustrec/core-linalg';

export interface SyntheticInteractionsOptions {
  readonly numUsers: number;
  readonly numItems: number;
  /** Interactions per user (each user gets exactly this many distinct items). */
  readonly interactionsPerUser: number;
  /** Dimension of the hidden taste vectors (default 4). */
  readonly latentDimension?: number;
  /** Softmax temperature of the choice model: lower = more personalised (default 0.5). */
  readonly temperature?: number;
  /** Weight of a Zipf-like popularity term (default 1). */
  readonly popularityWeight?: number;
  /** Values: all ones (implicit) or 1..5 ratings derived from the latent affinity (explicit). */
  readonly feedback?: 'implicit' | 'explicit';
  readonly seed: number;
}

export interface SyntheticInteractions {
  /** All interactions (numUsers × numItems). Labelled synthetic: never report it as real data. */
  readonly interactions: CsrMatrix;
  /** Leave-one-out split: one random interaction per user held out. */
  readonly train: CsrMatrix;
  /** The held-out item per user. */
  readonly testItems: Int32Array;
}

/**
 * A seeded synthetic interaction generator for tests: users and items get Gaussian taste vectors; each user
 * picks `interactionsPerUser` distinct items by Gumbel-top-k sampling from softmax((⟨x_u, y_i⟩ + w·pop_i) / T),
 * so the data has personal structure a CF model can learn and a popularity skew a baseline can exploit.
 */
export function createSyntheticInteractions(options: SyntheticInteractionsOptions): SyntheticInteractions {
  const { numUsers, numItems, interactionsPerUser, seed } = options;
  const dimension = options.latentDimension ?? 4;
  const temperature = options.temperature ?? 0.5;
  const popularityWeight = options.popularityWeight ?? 1;
  const rng = createRng(seed);
  const taste = rng.fork('taste');
  const userVectors = Float64Array.from({ length: numUsers * dimension }, () => taste.normal(0, 1));
  const itemVectors = Float64Array.from({ length: numItems * dimension }, () => taste.normal(0, 1));
  const popularity = Float64Array.from({ length: numItems }, (_, item) => -Math.log(item + 1));
  const choice = rng.fork('choice');
  const rows = new Int32Array(numUsers * interactionsPerUser);
  const columns = new Int32Array(numUsers * interactionsPerUser);
  const values = new Float32Array(numUsers * interactionsPerUser);
  const keys = new Float64Array(numItems);
  const affinity = new Float64Array(numItems);
  const order = new Int32Array(numItems);
  for (let u = 0; u < numUsers; u++) {
    for (let i = 0; i < numItems; i++) {
      let dot = 0;
      for (let d = 0; d < dimension; d++) dot += userVectors[u * dimension + d] * itemVectors[i * dimension + d];
      affinity[i] = dot;
      let uniform = choice.nextFloat();
      while (uniform === 0) uniform = choice.nextFloat();
      keys[i] = (dot + popularityWeight * popularity[i]) / temperature - Math.log(-Math.log(uniform));
      order[i] = i;
    }
    order.sort((a, b) => keys[b] - keys[a] || a - b);
    for (let t = 0; t < interactionsPerUser; t++) {
      const position = u * interactionsPerUser + t;
      const item = order[t];
      rows[position] = u;
      columns[position] = item;
      values[position] = options.feedback === 'explicit' ? Math.min(5, Math.max(1, Math.round(3 + affinity[item]))) : 1;
    }
  }
  const interactions = CsrMatrix.fromCoo(
    { rows, columns, values },
    { numRows: numUsers, numColumns: numItems, duplicates: 'error' },
  );
  const holdout = rng.fork('holdout');
  const testItems = new Int32Array(numUsers);
  const trainRows: number[] = [];
  const trainColumns: number[] = [];
  const trainValues: number[] = [];
  for (let u = 0; u < numUsers; u++) {
    const start = interactions.indptr[u];
    const end = interactions.indptr[u + 1];
    const held = start + holdout.nextInt(end - start);
    testItems[u] = interactions.indices[held];
    for (let p = start; p < end; p++) {
      if (p === held) continue;
      trainRows.push(u);
      trainColumns.push(interactions.indices[p]);
      trainValues.push(interactions.values[p]);
    }
  }
  const train = CsrMatrix.fromCoo(
    {
      rows: Int32Array.from(trainRows),
      columns: Int32Array.from(trainColumns),
      values: Float32Array.from(trainValues),
    },
    { numRows: numUsers, numColumns: numItems, duplicates: 'error' },
  );
  return { interactions, train, testItems };
}

/**
 * Full-ranking HR@k and NDCG@k of one held-out item per user, excluding each user's train items (a small
 * evaluator for tests; real evaluation goes through @trustrec/metrics).
 */
export function heldOutRanking(
  score: (user: number, out: Float32Array) => Float32Array,
  train: CsrMatrix,
  testItems: Int32Array,
  k = 10,
): { hr: number; ndcg: number } {
  const scores = new Float32Array(train.numColumns);
  let hits = 0;
  let ndcg = 0;
  for (let u = 0; u < testItems.length; u++) {
    score(u, scores);
    const target = scores[testItems[u]];
    let rank = 0;
    for (let i = 0; i < scores.length; i++) {
      if (i === testItems[u] || train.has(u, i)) continue;
      if (scores[i] > target || (scores[i] === target && i < testItems[u])) rank++;
    }
    if (rank < k) {
      hits++;
      ndcg += 1 / Math.log2(rank + 2);
    }
  }
  return { hr: hits / testItems.length, ndcg: ndcg / testItems.length };
}
