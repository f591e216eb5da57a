import { type CsrMatrix, TrustRecError, argumentError, shapeError, rejectUnknownOptions } from '@trustrec/core-linalg';
import type { EvaluationResult } from './evaluation-result.js';
import { RankingAccumulator, normalizeCutoffs } from './ranking-accumulator.js';

/** Fills `out` (users.length × numItems, row-major) with the scores of every item for each user in `users`. */
export type FullRankingScoreFunction = (users: Int32Array, out: Float32Array) => void | Promise<void>;

export interface FullRankingOptions {
  readonly numUsers: number;
  readonly numItems: number;
  /** The scoring callback: the evaluator's only contact with a model. Called once per batch of users. */
  readonly score: FullRankingScoreFunction;
  /** Held-out positives (numUsers × numItems); a user with an empty row is skipped and counted. */
  readonly test: CsrMatrix;
  /** Items that are not candidates for a user (usually the training interactions), numUsers × numItems. */
  readonly exclude?: CsrMatrix;
  /** Cut-offs, e.g. [10, 50, 100]. */
  readonly ks: readonly number[];
  /** Users scored per callback; bounds memory to batchSize × numItems floats. Default: ≈ 4M floats, at most 1024 users. */
  readonly batchSize?: number;
  /** Evaluate only these users (distinct indices); default all users. */
  readonly users?: Int32Array;
  /** Called after each batch with the number of users done and the total to evaluate. */
  readonly onProgress?: (done: number, total: number) => void;
}

const WHERE = 'evaluateFullRanking';

const FULL_RANKING_OPTIONS: readonly string[] = Object.keys({
  numUsers: true,
  numItems: true,
  score: true,
  test: true,
  exclude: true,
  ks: true,
  batchSize: true,
  users: true,
  onProgress: true,
} satisfies Record<keyof FullRankingOptions, true>);

/**
 * Full-ranking evaluation: for each user every item is a candidate except `exclude`'s row (training items);
 * positives are `test`'s row. Per user it computes the rank of each positive among the candidates and the AUC,
 * then HR, NDCG, precision, recall, MRR and MAP at each K (definitions in ranking-metrics.ts; seed 001
 * §Evaluation for HR/NDCG/AUC, seed 003 eq. 18-19 for precision/recall).
 *
 * Ranking order is score descending, ties broken by the lower item index (the same total order as
 * core-linalg's `TopKSelector`, so the top-K list implied by the ranks is exactly `TopKSelector.select`'s).
 * AUC counts tied (positive, negative) pairs half.
 *
 * Algorithm, per user, with n items and P positives: positive scores are sorted (P log P); one pass over the
 * n item scores places every negative among the positives by a branch-free binary search, which gives both the
 * number of negatives ranked above each positive (hence its exact rank, with no top-K heap and no dependence
 * on K) and the Mann–Whitney pair counts for AUC: O(n log P), and a branch-free O(n) count when P = 1 (the
 * leave-one-out case). Tests check every metric against `TopKSelector` top-K lists fed to the pure metric
 * functions and AUC against pair counting. Scores come from `score` in batches of users into one reused
 * buffer; per-user work allocates nothing.
 *
 * Errors: an unknown option name (E_CONFIG; a misspelt `exclude` would otherwise rank training items),
 * shapes that do not match (E_SHAPE), a positive that is also excluded, bad ks / users / batchSize / callbacks
 * (E_ARGUMENT), a NaN score (E_NUMERIC, naming user and item). Scores of ±∞ are ranked like any other.
 */
export async function evaluateFullRanking(options: FullRankingOptions): Promise<EvaluationResult> {
  rejectUnknownOptions(WHERE, options, FULL_RANKING_OPTIONS);
  const { numUsers, numItems, test, exclude, score, onProgress } = options;
  if (!Number.isInteger(numUsers) || numUsers < 0)
    throw argumentError(WHERE, `numUsers must be a non-negative integer, got ${numUsers}`);
  if (!Number.isInteger(numItems) || numItems < 1)
    throw argumentError(WHERE, `numItems must be a positive integer, got ${numItems}`);
  if (typeof score !== 'function') throw argumentError(WHERE, 'score must be a function (users, out) => void');
  if (onProgress !== undefined && typeof onProgress !== 'function')
    throw argumentError(WHERE, 'onProgress must be a function (done, total) => void or left out');
  const ks = normalizeCutoffs(WHERE, options.ks);
  if (test.numRows !== numUsers || test.numColumns !== numItems) {
    throw shapeError(
      WHERE,
      `test is ${test.numRows}×${test.numColumns}, expected numUsers × numItems = ${numUsers}×${numItems}`,
    );
  }
  if (exclude && (exclude.numRows !== numUsers || exclude.numColumns !== numItems)) {
    throw shapeError(
      WHERE,
      `exclude is ${exclude.numRows}×${exclude.numColumns}, expected numUsers × numItems = ${numUsers}×${numItems}`,
    );
  }
  const batchSize = options.batchSize ?? Math.max(1, Math.min(1024, Math.floor(4_194_304 / numItems)));
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw argumentError(WHERE, `batchSize must be a positive integer, got ${batchSize}`);

  // Users to evaluate: those with at least one positive; the rest are skipped and counted.
  const requested = options.users;
  const candidates = requested ?? null;
  const total = candidates ? candidates.length : numUsers;
  const evaluated = new Int32Array(total);
  let count = 0;
  if (candidates) {
    const seen = new Uint8Array(numUsers);
    for (let t = 0; t < candidates.length; t++) {
      const user = candidates[t];
      if (!Number.isInteger(user) || user < 0 || user >= numUsers)
        throw argumentError(WHERE, `users[${t}] = ${user} is outside [0, ${numUsers})`);
      if (seen[user] === 1) throw argumentError(WHERE, `users[${t}] = ${user} is listed twice`);
      seen[user] = 1;
      if (test.indptr[user + 1] > test.indptr[user]) evaluated[count++] = user;
    }
  } else {
    for (let user = 0; user < numUsers; user++)
      if (test.indptr[user + 1] > test.indptr[user]) evaluated[count++] = user;
  }
  const users = evaluated.slice(0, count);
  const accumulator = new RankingAccumulator(ks, users);
  const kernel = new FullRankingKernel(numItems);

  const batchCapacity = Math.min(batchSize, Math.max(1, count));
  const buffer = new Float32Array(batchCapacity * numItems);
  for (let start = 0; start < count; start += batchCapacity) {
    const end = Math.min(count, start + batchCapacity);
    const batchUsers = users.subarray(start, end);
    const out = end - start === batchCapacity ? buffer : buffer.subarray(0, (end - start) * numItems);
    const pending = score(batchUsers, out);
    if (pending !== undefined && typeof (pending as Promise<void>).then === 'function') await pending;
    for (let slot = start; slot < end; slot++) {
      const user = users[slot];
      const rowOffset = (slot - start) * numItems;
      const positivesStart = test.indptr[user];
      const positivesEnd = test.indptr[user + 1];
      const excludeStart = exclude ? exclude.indptr[user] : 0;
      const excludeEnd = exclude ? exclude.indptr[user + 1] : 0;
      const auc = kernel.rankUser(
        user,
        out,
        rowOffset,
        test.indices,
        positivesStart,
        positivesEnd,
        exclude ? exclude.indices : test.indices,
        excludeStart,
        excludeEnd,
      );
      accumulator.record(slot, kernel.ranks, positivesEnd - positivesStart, auc);
    }
    onProgress?.(end, count);
  }
  return accumulator.finish('full', total - count);
}

/**
 * The per-user kernel of the full-ranking protocol with its reusable buffers: marks, sorted positive scores and
 * items, counters of negatives above each positive, and the resulting ranks.
 */
class FullRankingKernel {
  private readonly numItems: number;
  private readonly mark: Uint8Array;
  private positiveScores = new Float64Array(64);
  private search = new Float64Array(128);
  private positiveItems = new Int32Array(64);
  private above = new Int32Array(65);
  ranks = new Int32Array(64);

  constructor(numItems: number) {
    this.numItems = numItems;
    this.mark = new Uint8Array(numItems);
  }

  /** Ranks the user's positives (into `ranks`, ascending) and returns the AUC (NaN with no negative). */
  rankUser(
    user: number,
    scores: Float32Array,
    offset: number,
    positives: Int32Array,
    positivesStart: number,
    positivesEnd: number,
    excluded: Int32Array,
    excludeStart: number,
    excludeEnd: number,
  ): number {
    const numItems = this.numItems;
    const mark = this.mark;
    const p = positivesEnd - positivesStart;
    if (this.positiveScores.length < p) {
      this.positiveScores = new Float64Array(p);
      this.positiveItems = new Int32Array(p);
      this.above = new Int32Array(p + 1);
      this.ranks = new Int32Array(p);
    }
    const positiveScores = this.positiveScores;
    const positiveItems = this.positiveItems;
    const above = this.above;
    for (let t = excludeStart; t < excludeEnd; t++) mark[excluded[t]] = 1;
    try {
      for (let t = 0; t < p; t++) {
        const item = positives[positivesStart + t];
        if (mark[item] === 1) {
          throw argumentError(
            WHERE,
            `user ${user}: test item ${item} is also in exclude (training); a held-out positive must be a candidate — remove the overlap from the split`,
            { user, item },
          );
        }
        if (mark[item] === 2)
          throw argumentError(WHERE, `user ${user}: test item ${item} is stored twice in test's row`, { user, item });
        mark[item] = 2;
        const score = scores[offset + item];
        if (Number.isNaN(score)) this.throwNaN(user, item);
        positiveScores[t] = score;
        positiveItems[t] = item;
        above[t] = 0;
      }
      above[p] = 0;
      sortPositives(positiveScores, positiveItems, p);

      let negatives = 0;
      let greaterPairs = 0;
      let tiePairs = 0;
      if (p === 1) {
        // Branch-free counting (≈3× faster than branches on random scores): `keep` is 1 for a candidate, 0 for an
        // excluded item; the positive itself is counted as a tied candidate and removed afterwards. Items before
        // the positive win ties (lower index first), items after it do not.
        const positiveScore = positiveScores[0];
        const positiveItem = positiveItems[0];
        mark[positiveItem] = 0;
        let candidates = 0;
        let greater = 0;
        let equal = 0;
        let less = 0;
        for (let i = 0; i < positiveItem; i++) {
          const keep = 1 - mark[i];
          const s = scores[offset + i];
          candidates += keep;
          greater += keep & +(s > positiveScore);
          equal += keep & +(s === positiveScore);
          less += keep & +(s < positiveScore);
        }
        const tiedBefore = equal;
        for (let i = positiveItem; i < numItems; i++) {
          const keep = 1 - mark[i];
          const s = scores[offset + i];
          candidates += keep;
          greater += keep & +(s > positiveScore);
          equal += keep & +(s === positiveScore);
          less += keep & +(s < positiveScore);
        }
        mark[positiveItem] = 2;
        // A NaN compares false three times: the counts then fall short of the candidates.
        if (greater + equal + less !== candidates) this.findNaN(user, scores, offset);
        negatives = candidates - 1;
        greaterPairs = greater;
        tiePairs = equal - 1;
        above[0] = greater + tiedBefore;
      } else {
        // Branch-free binary search over the descending positive scores padded with −∞ to a power of two:
        // after the loop `low` is the number of positives scoring strictly above s.
        let size = 1;
        while (size <= p) size <<= 1;
        if (this.search.length < size) this.search = new Float64Array(size);
        const search = this.search;
        for (let t = 0; t < p; t++) search[t] = positiveScores[t];
        search.fill(Number.NEGATIVE_INFINITY, p, size);
        for (let i = 0; i < numItems; i++) {
          if (mark[i] !== 0) continue;
          const s = scores[offset + i];
          if (Number.isNaN(s)) this.throwNaN(user, i);
          negatives++;
          let low = 0;
          for (let step = size >> 1; step > 0; step >>= 1) low += step * +(search[low + step - 1] > s);
          let strictlyBelow = low;
          while (strictlyBelow < p && positiveScores[strictlyBelow] === s) strictlyBelow++;
          greaterPairs += p - strictlyBelow;
          if (strictlyBelow > low) {
            tiePairs += strictlyBelow - low;
            // Within a tie the lower item index ranks first: this negative is above tied positives with a higher index.
            let first = low;
            while (first < strictlyBelow && positiveItems[first] < i) first++;
            above[first]++;
          } else {
            above[strictlyBelow]++;
          }
        }
      }
      const ranks = this.ranks;
      let negativesAbove = 0;
      for (let t = 0; t < p; t++) {
        negativesAbove += above[t];
        ranks[t] = 1 + t + negativesAbove;
      }
      if (negatives === 0) return Number.NaN;
      return 1 - (greaterPairs + 0.5 * tiePairs) / (p * negatives);
    } finally {
      for (let t = excludeStart; t < excludeEnd; t++) mark[excluded[t]] = 0;
      for (let t = positivesStart; t < positivesEnd; t++) mark[positives[t]] = 0;
    }
  }

  /** Slow path after a count mismatch: finds the first NaN among the candidates and throws. */
  private findNaN(user: number, scores: Float32Array, offset: number): never {
    for (let i = 0; i < this.numItems; i++) {
      if (this.mark[i] !== 1 && Number.isNaN(scores[offset + i])) this.throwNaN(user, i);
    }
    throw new TrustRecError({
      code: 'E_NUMERIC',
      message: `${WHERE}: inconsistent score comparisons for user ${user}`,
    });
  }

  private throwNaN(user: number, item: number): never {
    throw new TrustRecError({
      code: 'E_NUMERIC',
      message: `${WHERE}: score of user ${user}, item ${item} is NaN; check the model for divergence`,
      details: { user, item },
    });
  }
}

/** True when (scoreA, itemA) ranks before (scoreB, itemB): higher score, then lower index. */
function ranksBefore(scoreA: number, itemA: number, scoreB: number, itemB: number): boolean {
  return scoreA > scoreB || (scoreA === scoreB && itemA < itemB);
}

/** Sorts positives into ranking order (score descending, then item ascending): insertion sort when short, heapsort otherwise. */
export function sortPositives(scores: Float64Array, items: Int32Array, length: number): void {
  if (length <= 24) {
    for (let i = 1; i < length; i++) {
      const score = scores[i];
      const item = items[i];
      let j = i - 1;
      while (j >= 0 && ranksBefore(score, item, scores[j], items[j])) {
        scores[j + 1] = scores[j];
        items[j + 1] = items[j];
        j--;
      }
      scores[j + 1] = score;
      items[j + 1] = item;
    }
    return;
  }
  // Heapsort with the root being the element that ranks last; popping it to the back leaves ranking order.
  for (let start = (length >> 1) - 1; start >= 0; start--) siftDown(scores, items, start, length);
  for (let end = length - 1; end > 0; end--) {
    swap(scores, items, 0, end);
    siftDown(scores, items, 0, end);
  }
}

function siftDown(scores: Float64Array, items: Int32Array, root: number, size: number): void {
  let parent = root;
  for (;;) {
    let child = 2 * parent + 1;
    if (child >= size) return;
    if (child + 1 < size && ranksBefore(scores[child], items[child], scores[child + 1], items[child + 1])) child++;
    if (!ranksBefore(scores[parent], items[parent], scores[child], items[child])) return;
    swap(scores, items, parent, child);
    parent = child;
  }
}

function swap(scores: Float64Array, items: Int32Array, a: number, b: number): void {
  const score = scores[a];
  scores[a] = scores[b];
  scores[b] = score;
  const item = items[a];
  items[a] = items[b];
  items[b] = item;
}
