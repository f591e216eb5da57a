import { type CsrMatrix, type Rng, argumentError, requireInteger } from '@trustrec/core-linalg';

/** Rejection rounds before a user's draws switch to the exact complement list. */
const MAX_REJECTIONS = 64;

/** `E_ARGUMENT` unless `user` is a row of `matrix` (an integer in [0, numRows)); O(1), once per draw. */
export function requireUserRow(where: string, matrix: CsrMatrix, user: number): void {
  if (!(Number.isInteger(user) && user >= 0 && user < matrix.numRows)) {
    throw argumentError(
      where,
      `user must be a dense user index, an integer in [0, ${matrix.numRows}), got ${user}; map raw ids with dataset.userIndex`,
      { option: 'user', value: user },
    );
  }
}

function rowContains(indices: Int32Array, start: number, end: number, item: number): boolean {
  let low = start;
  let high = end - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const value = indices[middle];
    if (value === item) return true;
    if (value < item) low = middle + 1;
    else high = middle - 1;
  }
  return false;
}

/**
 * Uniform negatives: items the user has not interacted with, each with equal probability. Rejection sampling
 * against the user's sorted CSR row (binary search) costs O(log n_u) per try and ~1/(1 − density_u) tries, no
 * allocation; a user with a very dense row falls back to drawing from the explicit complement (built once and
 * kept). Reusable across epochs; pass the Rng of your stream.
 */
export class UniformNegativeSampler {
  readonly numItems: number;
  private readonly matrix: CsrMatrix;
  private readonly complements = new Map<number, Int32Array>();

  constructor(interactions: CsrMatrix) {
    this.matrix = interactions;
    this.numItems = interactions.numColumns;
  }

  /**
   * One negative item for `user`. Throws E_ARGUMENT when `user` is not a row of the matrix or has interacted
   * with every item.
   */
  sample(user: number, rng: Rng): number {
    requireUserRow('UniformNegativeSampler.sample', this.matrix, user);
    const { indptr, indices } = this.matrix;
    const start = indptr[user];
    const end = indptr[user + 1];
    const count = end - start;
    if (count * 2 < this.numItems) {
      for (let attempt = 0; attempt < MAX_REJECTIONS; attempt++) {
        const item = rng.nextInt(this.numItems);
        if (!rowContains(indices, start, end, item)) return item;
      }
    }
    const complement = this.complementOf(user);
    return complement[rng.nextInt(complement.length)];
  }

  /** Fills `out` with one negative per entry of `users` (batch form for training loops). */
  sampleBatch(users: Int32Array, rng: Rng, out: Int32Array = new Int32Array(users.length)): Int32Array {
    if (out.length < users.length)
      throw argumentError('UniformNegativeSampler.sampleBatch', `out has length ${out.length}, need ${users.length}`);
    for (let t = 0; t < users.length; t++) out[t] = this.sample(users[t], rng);
    return out;
  }

  /**
   * `count` distinct negatives for `user`, none of them in `exclude` (item indices in [0, numItems), else
   * E_ARGUMENT; repeats and items the user has interacted with are allowed and counted once). `count` must not
   * exceed the user's non-interacted items outside `exclude`.
   */
  sampleDistinct(user: number, count: number, rng: Rng, exclude?: Int32Array): Int32Array {
    const where = 'UniformNegativeSampler.sampleDistinct';
    requireInteger(where, 'count', count, 0);
    requireUserRow(where, this.matrix, user);
    const out = new Int32Array(count);
    const chosen = new Set<number>();
    const { indptr, indices } = this.matrix;
    const start = indptr[user];
    const end = indptr[user + 1];
    const excluded = exclude ? new Set(exclude) : undefined;
    // Distinct excluded items that are not already positives: each removes exactly one candidate.
    let excludedNegatives = 0;
    if (excluded) {
      for (const item of excluded) {
        if (!(Number.isInteger(item) && item >= 0 && item < this.numItems)) {
          throw argumentError(
            where,
            `exclude must hold item indices, integers in [0, ${this.numItems}), got ${item}; map raw ids with dataset.itemIndex`,
            { option: 'exclude', value: item },
          );
        }
        if (!rowContains(indices, start, end, item)) excludedNegatives++;
      }
    }
    const available = this.numItems - (end - start) - excludedNegatives;
    if (count > available) {
      throw argumentError(
        where,
        `user ${user} has at most ${available} non-interacted items outside exclude, asked for ${count}; lower count`,
        { option: 'count' },
      );
    }
    let filled = 0;
    let tries = 0;
    while (filled < count && tries < 64 * count + 1000) {
      tries++;
      const item = rng.nextInt(this.numItems);
      if (chosen.has(item) || excluded?.has(item) || rowContains(indices, start, end, item)) continue;
      chosen.add(item);
      out[filled++] = item;
    }
    if (filled < count) {
      const pool = Array.from(this.complementOf(user)).filter((item) => !chosen.has(item) && !excluded?.has(item));
      for (; filled < count; filled++) {
        const j = rng.nextInt(pool.length);
        out[filled] = pool[j];
        pool[j] = pool[pool.length - 1];
        pool.pop();
      }
    }
    return out;
  }

  private complementOf(user: number): Int32Array {
    const cached = this.complements.get(user);
    if (cached) return cached;
    const { indptr, indices } = this.matrix;
    const start = indptr[user];
    const end = indptr[user + 1];
    const size = this.numItems - (end - start);
    if (size <= 0)
      throw argumentError(
        'UniformNegativeSampler.sample',
        `user ${user} has interacted with all ${this.numItems} items: no negative exists`,
        { user },
      );
    const complement = new Int32Array(size);
    let position = start;
    let filled = 0;
    for (let item = 0; item < this.numItems; item++) {
      if (position < end && indices[position] === item) position++;
      else complement[filled++] = item;
    }
    this.complements.set(user, complement);
    return complement;
  }
}
