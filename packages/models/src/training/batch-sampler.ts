import { type CsrMatrix, type Rng, TrustRecError, argumentError, rejectUnknownOptions } from '@trustrec/core-linalg';
import { InteractionLookup } from './interaction-lookup.js';

/**
 * A mini-batch of training examples: positive (user, item) pairs, each with `negativesPerPositive` sampled
 * negatives (`negatives[t * negativesPerPositive + n]`). BPR uses 1 negative (a triple); NCF uses N with BCE.
 */
export interface TrainingBatch {
  size: number;
  readonly negativesPerPositive: number;
  readonly users: Int32Array;
  readonly positives: Int32Array;
  readonly negatives: Int32Array;
}

/** Yields an epoch of batches. The batch object and its arrays are reused between yields. */
export interface BatchSampler {
  readonly samplesPerEpoch: number;
  readonly negativesPerPositive: number;
  epoch(rng: Rng, batchSize: number): Iterable<TrainingBatch>;
}

export interface UniformNegativeSamplerOptions {
  /** Negatives drawn per positive (default 1). */
  readonly negativesPerPositive?: number;
  /**
   * `shuffle`: every training positive once per epoch, in a fresh random order (PyTorch DataLoader style);
   * `with-replacement`: nnz positives drawn uniformly at random (implicit's BPR). Default `shuffle`.
   */
  readonly order?: 'shuffle' | 'with-replacement';
}

/**
 * Uniform negative sampling over a binary interaction matrix (seed 001 §4.1, LearnBPR's bootstrap sampling):
 * negatives are drawn uniformly from the items the user has not interacted with (rejection against the train
 * row, binary search). Users whose rows are full (no negative exists) are rejected up front with E_ARGUMENT.
 */
export class UniformNegativeSampler implements BatchSampler {
  readonly samplesPerEpoch: number;
  readonly negativesPerPositive: number;
  readonly order: 'shuffle' | 'with-replacement';
  private readonly train: CsrMatrix;
  /** User of each stored entry (the row index expanded). */
  readonly userOfEntry: Int32Array;
  private permutation: Int32Array;
  /** Membership test used to reject non-negatives. */
  readonly lookup: InteractionLookup;

  constructor(train: CsrMatrix, options: UniformNegativeSamplerOptions = {}) {
    rejectUnknownOptions('UniformNegativeSampler', options, ['negativesPerPositive', 'order']);
    const negativesPerPositive = options.negativesPerPositive ?? 1;
    if (!Number.isInteger(negativesPerPositive) || negativesPerPositive < 1) {
      throw argumentError(
        'UniformNegativeSampler',
        `negativesPerPositive must be an integer ≥ 1, got ${negativesPerPositive}`,
      );
    }
    const order = options.order ?? 'shuffle';
    if (order !== 'shuffle' && order !== 'with-replacement') {
      throw argumentError(
        'UniformNegativeSampler',
        `order must be 'shuffle' or 'with-replacement', got ${JSON.stringify(order)}`,
      );
    }
    this.train = train;
    this.negativesPerPositive = negativesPerPositive;
    this.order = order;
    this.samplesPerEpoch = train.nnz;
    this.userOfEntry = expandRows(train);
    for (let user = 0; user < train.numRows; user++) {
      if (train.rowNnz(user) >= train.numColumns && train.numColumns > 0) {
        throw new TrustRecError({
          code: 'E_ARGUMENT',
          message: `UniformNegativeSampler: user ${user} interacted with all ${train.numColumns} items, so no negative exists; remove that user`,
        });
      }
    }
    this.permutation = new Int32Array(0);
    this.lookup = new InteractionLookup(train);
  }

  /**
   * Draws one negative for `user`, uniform over the user's non-interacted items: uniform draws
   * (`rng.nextInt(numItems)`) rejected while the user has the item.
   */
  sampleNegative(user: number, rng: Rng): number {
    const numItems = this.train.numColumns;
    const lookup = this.lookup;
    for (;;) {
      const item = rng.nextInt(numItems);
      if (!lookup.has(user, item)) return item;
    }
  }

  /**
   * The entries (positions in the train CSR) visited this epoch, in order: a fresh permutation (`shuffle`) or
   * nnz uniform draws (`with-replacement`). The returned buffer is reused by the next call.
   */
  epochOrder(rng: Rng): Int32Array {
    const total = this.samplesPerEpoch;
    if (this.permutation.length !== total) this.permutation = new Int32Array(total);
    const order = this.permutation;
    if (this.order === 'shuffle') {
      for (let p = 0; p < total; p++) order[p] = p;
      rng.shuffle(order);
    } else {
      for (let p = 0; p < total; p++) order[p] = rng.nextInt(total);
    }
    return order;
  }

  *epoch(rng: Rng, batchSize: number): Iterable<TrainingBatch> {
    if (!Number.isInteger(batchSize) || batchSize < 1)
      throw argumentError('UniformNegativeSampler.epoch', `batchSize must be an integer ≥ 1, got ${batchSize}`);
    const total = this.samplesPerEpoch;
    const n = this.negativesPerPositive;
    const batch: TrainingBatch = {
      size: 0,
      negativesPerPositive: n,
      users: new Int32Array(batchSize),
      positives: new Int32Array(batchSize),
      negatives: new Int32Array(batchSize * n),
    };
    const order = this.epochOrder(rng);
    const indices = this.train.indices;
    for (let start = 0; start < total; start += batchSize) {
      const size = Math.min(batchSize, total - start);
      for (let t = 0; t < size; t++) {
        const entry = order[start + t];
        const user = this.userOfEntry[entry];
        batch.users[t] = user;
        batch.positives[t] = indices[entry];
        for (let s = 0; s < n; s++) batch.negatives[t * n + s] = this.sampleNegative(user, rng);
      }
      batch.size = size;
      yield batch;
    }
  }
}

/** The row index of every stored entry of a CSR matrix. */
export function expandRows(matrix: CsrMatrix): Int32Array {
  const rows = new Int32Array(matrix.nnz);
  const { indptr } = matrix;
  for (let row = 0; row < matrix.numRows; row++) rows.fill(row, indptr[row], indptr[row + 1]);
  return rows;
}
