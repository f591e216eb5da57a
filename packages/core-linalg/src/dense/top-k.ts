import { TrustRecError, argumentError, shapeError } from '../errors/trust-rec-error.js';

/** Indices and scores of the best items, best first. */
export interface TopKResult {
  readonly indices: Int32Array;
  readonly scores: Float32Array;
}

/**
 * Top-K selection with an exclusion set, by a bounded min-heap (O(n log k)), not a full sort. Ties are broken
 * by the lower index, so results are deterministic. Buffers are reused across calls: create one selector per
 * worker and call {@link TopKSelector.select} per user.
 */
export class TopKSelector {
  private heapIndices: Int32Array;
  private heapScores: Float64Array;
  private mask: Uint8Array;

  constructor(numItems = 0) {
    this.heapIndices = new Int32Array(16);
    this.heapScores = new Float64Array(16);
    this.mask = new Uint8Array(numItems);
  }

  /**
   * Returns the k highest-scoring indices of `scores`, skipping `exclude` (indices, any order, duplicates
   * allowed). When fewer than k candidates remain, returns all of them. NaN scores are an error.
   * `out` buffers (length ≥ k) are filled and returned as subarrays when given.
   */
  select(
    scores: Float32Array | Float64Array,
    k: number,
    exclude?: Int32Array,
    out?: { indices: Int32Array; scores: Float32Array },
  ): TopKResult {
    if (!Number.isInteger(k) || k < 0) throw argumentError('topK', `k must be a non-negative integer, got ${k}`);
    const n = scores.length;
    if (this.mask.length < n) this.mask = new Uint8Array(n);
    // At most n candidates are kept, so a huge k (e.g. "all items") never allocates more than n slots.
    const capacity = Math.min(k, n);
    if (this.heapIndices.length < capacity) {
      this.heapIndices = new Int32Array(capacity);
      this.heapScores = new Float64Array(capacity);
    }
    const mask = this.mask;
    if (exclude) {
      for (let t = 0; t < exclude.length; t++) {
        const item = exclude[t];
        if (item < 0 || item >= n) {
          this.clearMask(exclude, t);
          throw argumentError('topK', `exclude[${t}] = ${item} is outside [0, ${n})`);
        }
        mask[item] = 1;
      }
    }
    const heapIndices = this.heapIndices;
    const heapScores = this.heapScores;
    let size = 0;
    try {
      for (let i = 0; i < n; i++) {
        if (mask[i] === 1) continue;
        const score = scores[i];
        if (Number.isNaN(score)) {
          throw new TrustRecError({
            code: 'E_NUMERIC',
            message: `topK: scores[${i}] is NaN; check the model for divergence`,
          });
        }
        if (size < capacity) {
          // Sift up: the heap root is the worst kept element (lowest score, then highest index).
          let child = size++;
          while (child > 0) {
            const parent = (child - 1) >> 1;
            if (!isWorse(score, i, heapScores[parent], heapIndices[parent])) break;
            heapScores[child] = heapScores[parent];
            heapIndices[child] = heapIndices[parent];
            child = parent;
          }
          heapScores[child] = score;
          heapIndices[child] = i;
        } else if (capacity > 0 && isWorse(heapScores[0], heapIndices[0], score, i)) {
          siftDown(heapScores, heapIndices, size, score, i);
        }
      }
    } finally {
      if (exclude) this.clearMask(exclude, exclude.length);
    }
    if (out && (out.indices.length < size || out.scores.length < size)) {
      throw shapeError(
        'topK',
        `out buffers hold ${out.indices.length} indices and ${out.scores.length} scores but ${size} results were selected; give buffers of length ≥ k`,
      );
    }
    const resultIndices = out ? out.indices.subarray(0, size) : new Int32Array(size);
    const resultScores = out ? out.scores.subarray(0, size) : new Float32Array(size);
    // Pop the worst element to the back until the heap is empty: yields best-first order.
    for (let remaining = size; remaining > 0; remaining--) {
      resultIndices[remaining - 1] = heapIndices[0];
      resultScores[remaining - 1] = heapScores[0];
      const lastScore = heapScores[remaining - 1];
      const lastIndex = heapIndices[remaining - 1];
      siftDown(heapScores, heapIndices, remaining - 1, lastScore, lastIndex);
    }
    return { indices: resultIndices, scores: resultScores };
  }

  private clearMask(exclude: Int32Array, upTo: number): void {
    const n = this.mask.length;
    for (let t = 0; t < upTo; t++) {
      const item = exclude[t];
      if (item >= 0 && item < n) this.mask[item] = 0;
    }
  }
}

/** True when (scoreA, indexA) ranks below (scoreB, indexB). */
function isWorse(scoreA: number, indexA: number, scoreB: number, indexB: number): boolean {
  return scoreA < scoreB || (scoreA === scoreB && indexA > indexB);
}

/** Places (score, index) at the root of a heap of `size` elements and sifts it down. */
function siftDown(heapScores: Float64Array, heapIndices: Int32Array, size: number, score: number, index: number): void {
  let parent = 0;
  for (;;) {
    let child = 2 * parent + 1;
    if (child >= size) break;
    const right = child + 1;
    if (right < size && isWorse(heapScores[right], heapIndices[right], heapScores[child], heapIndices[child]))
      child = right;
    if (!isWorse(heapScores[child], heapIndices[child], score, index)) break;
    heapScores[parent] = heapScores[child];
    heapIndices[parent] = heapIndices[child];
    parent = child;
  }
  if (size > 0) {
    heapScores[parent] = score;
    heapIndices[parent] = index;
  }
}

/** One-shot top-K (allocates a selector; reuse a {@link TopKSelector} in loops). */
export function topK(scores: Float32Array | Float64Array, k: number, exclude?: Int32Array): TopKResult {
  return new TopKSelector(scores.length).select(scores, k, exclude);
}
