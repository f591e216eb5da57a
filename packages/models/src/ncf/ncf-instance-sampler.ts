import { type CsrMatrix, type Rng, TrustRecError, argumentError } from '@trustrec/core-linalg';

/** One epoch of pointwise NCF training instances, shuffled: (users[t], items[t]) with label labels[t] ∈ {0, 1}. */
export interface NcfInstances {
  readonly users: Int32Array;
  readonly items: Int32Array;
  readonly labels: Float32Array;
  readonly count: number;
}

/**
 * The NCF training set of one epoch (He et al. 2017, §3.1.1 and §4.1): every observed (u, i) as a positive
 * plus `negatives` items drawn uniformly from the items u has not interacted with, re-drawn every epoch, then
 * all instances shuffled together (the reference code's `get_train_instances` + shuffled mini-batches).
 * Negatives are drawn with replacement across a user's instances (as in the reference code) and by rejection
 * against the user's sorted train row (binary search). Buffers are allocated once and refilled each epoch.
 */
export class NcfInstanceSampler {
  readonly negatives: number;
  readonly count: number;
  private readonly train: CsrMatrix;
  private readonly users: Int32Array;
  private readonly items: Int32Array;
  private readonly labels: Float32Array;

  constructor(train: CsrMatrix, negatives: number) {
    if (!Number.isInteger(negatives) || negatives < 0) {
      throw argumentError('NcfInstanceSampler', `negatives must be an integer ≥ 0, got ${negatives}`, {
        option: 'negatives',
        value: negatives,
      });
    }
    for (let user = 0; user < train.numRows; user++) {
      if (negatives > 0 && train.rowNnz(user) >= train.numColumns) {
        throw new TrustRecError({
          code: 'E_ARGUMENT',
          message: `NcfInstanceSampler: user ${user} interacted with all ${train.numColumns} items, so no negative exists; remove that user or set negatives: 0`,
        });
      }
    }
    this.train = train;
    this.negatives = negatives;
    this.count = train.nnz * (1 + negatives);
    this.users = new Int32Array(this.count);
    this.items = new Int32Array(this.count);
    this.labels = new Float32Array(this.count);
  }

  /** Draws this epoch's negatives and shuffle from `rng` (fork it per epoch for reproducibility). */
  epoch(rng: Rng): NcfInstances {
    const { indptr, indices, numRows, numColumns } = this.train;
    const { users, items, labels, negatives } = this;
    let t = 0;
    for (let user = 0; user < numRows; user++) {
      const start = indptr[user];
      const end = indptr[user + 1];
      for (let p = start; p < end; p++) {
        users[t] = user;
        items[t] = indices[p];
        labels[t] = 1;
        t++;
        for (let n = 0; n < negatives; n++) {
          let item = rng.nextInt(numColumns);
          while (containsSorted(indices, start, end, item)) item = rng.nextInt(numColumns);
          users[t] = user;
          items[t] = item;
          labels[t] = 0;
          t++;
        }
      }
    }
    for (let i = t - 1; i > 0; i--) {
      const j = rng.nextInt(i + 1);
      const u = users[i];
      users[i] = users[j];
      users[j] = u;
      const it = items[i];
      items[i] = items[j];
      items[j] = it;
      const l = labels[i];
      labels[i] = labels[j];
      labels[j] = l;
    }
    return { users, items, labels, count: t };
  }
}

function containsSorted(indices: Int32Array, start: number, end: number, value: number): boolean {
  let low = start;
  let high = end - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const found = indices[middle];
    if (found === value) return true;
    if (found < value) low = middle + 1;
    else high = middle - 1;
  }
  return false;
}
