import {
  AliasTable,
  type CsrMatrix,
  type Rng,
  argumentError,
  requireFinite,
  shapeError,
  rejectUnknownOptions,
} from '@trustrec/core-linalg';
import { requireUserRow } from './uniform-negative-sampler.js';

export interface PopularityNegativeSamplerOptions {
  /** Weight = (count + smoothing)^exponent (default exponent 0.75 as in word2vec's negative sampling, Mikolov et al. 2013). */
  readonly exponent?: number;
  /** Added to each item count so unseen items can be drawn (default 1). */
  readonly smoothing?: number;
}

/**
 * Popularity-based negatives: item i is drawn with probability ∝ (count_i + smoothing)^exponent among the items the
 * user has not interacted with. Alias-table draws (O(1)) with rejection against the user's CSR row; when
 * rejection keeps failing, an exact draw over the user's remaining weight.
 */
export class PopularityNegativeSampler {
  readonly numItems: number;
  readonly weights: Float64Array;
  private readonly table: AliasTable;
  private readonly matrix: CsrMatrix;

  constructor(interactions: CsrMatrix, options: PopularityNegativeSamplerOptions = {}) {
    rejectUnknownOptions('PopularityNegativeSampler', options, ['exponent', 'smoothing']);
    const exponent = options.exponent ?? 0.75;
    const smoothing = options.smoothing ?? 1;
    requireFinite('PopularityNegativeSampler', 'exponent', exponent, 'non-negative');
    requireFinite('PopularityNegativeSampler', 'smoothing', smoothing, 'non-negative');
    this.matrix = interactions;
    this.numItems = interactions.numColumns;
    const counts = new Float64Array(this.numItems);
    for (let p = 0; p < interactions.nnz; p++) counts[interactions.indices[p]]++;
    this.weights = counts.map((count) => (count + smoothing) ** exponent);
    this.table = new AliasTable(this.weights);
  }

  /** One negative item for `user` (a dense user index; anything else is E_ARGUMENT), drawn by popularity among non-interacted items. */
  sample(user: number, rng: Rng): number {
    requireUserRow('PopularityNegativeSampler.sample', this.matrix, user);
    const { indptr, indices } = this.matrix;
    const start = indptr[user];
    const end = indptr[user + 1];
    for (let attempt = 0; attempt < 64; attempt++) {
      const item = this.table.sample(rng);
      let low = start;
      let high = end - 1;
      let found = false;
      while (low <= high) {
        const middle = (low + high) >>> 1;
        if (indices[middle] === item) {
          found = true;
          break;
        }
        if (indices[middle] < item) low = middle + 1;
        else high = middle - 1;
      }
      if (!found) return item;
    }
    let total = 0;
    let position = start;
    for (let item = 0; item < this.numItems; item++) {
      if (position < end && indices[position] === item) position++;
      else total += this.weights[item];
    }
    if (total <= 0)
      throw argumentError(
        'PopularityNegativeSampler.sample',
        `user ${user} has no non-interacted item with positive weight`,
        { user },
      );
    let target = rng.nextFloat() * total;
    position = start;
    let last = -1;
    for (let item = 0; item < this.numItems; item++) {
      if (position < end && indices[position] === item) {
        position++;
        continue;
      }
      if (this.weights[item] <= 0) continue;
      last = item;
      target -= this.weights[item];
      if (target < 0) return item;
    }
    return last;
  }

  /** Fills `out` with one negative per entry of `users`; an `out` shorter than `users` is E_SHAPE. */
  sampleBatch(users: Int32Array, rng: Rng, out: Int32Array = new Int32Array(users.length)): Int32Array {
    if (out.length < users.length)
      throw shapeError('PopularityNegativeSampler.sampleBatch', `out has length ${out.length}, need ${users.length}`, {
        option: 'out',
      });
    for (let t = 0; t < users.length; t++) out[t] = this.sample(users[t], rng);
    return out;
  }
}
