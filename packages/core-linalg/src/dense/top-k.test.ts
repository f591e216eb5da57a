import { describe, expect, test } from 'vitest';
import { TrustRecError } from '../errors/trust-rec-error.js';
import { type Rng, createRng } from '../random/rng.js';
import { TopKSelector, topK } from './top-k.js';

/** Full-sort reference: candidates ordered by score descending, then index ascending; first k kept. */
function referenceTopK(
  scores: ArrayLike<number>,
  k: number,
  exclude?: Int32Array,
): { indices: number[]; scores: number[] } {
  const excluded = new Set(exclude ?? []);
  const candidates: number[] = [];
  for (let i = 0; i < scores.length; i++) if (!excluded.has(i)) candidates.push(i);
  candidates.sort((x, y) => scores[y] - scores[x] || x - y);
  const kept = candidates.slice(0, k);
  return { indices: kept, scores: kept.map((i) => Math.fround(scores[i])) };
}

/** Scores with many ties (small integers), occasional ±Infinity, or continuous values. */
function randomScores(rng: Rng, n: number, kind: number): Float32Array | Float64Array {
  const scores = kind === 2 ? new Float64Array(n) : new Float32Array(n);
  for (let i = 0; i < n; i++) {
    if (kind === 0) scores[i] = rng.nextInt(4) - 1;
    else if (kind === 1)
      scores[i] = rng.nextInt(20) === 0 ? (rng.nextInt(2) === 0 ? -Infinity : Infinity) : rng.nextInt(6);
    else scores[i] = rng.normal();
  }
  return scores;
}

function randomExclusions(rng: Rng, n: number): Int32Array | undefined {
  const mode = rng.nextInt(4);
  if (mode === 0 || n === 0) return undefined;
  if (mode === 3) {
    // Everything excluded, with duplicates and shuffled.
    const all = Int32Array.from({ length: n * 2 }, (_, i) => i % n);
    return rng.shuffle(all);
  }
  // Some, with duplicates.
  return Int32Array.from({ length: rng.nextInt(n + 1) + 1 }, () => rng.nextInt(n));
}

function expectError(code: 'E_ARGUMENT' | 'E_NUMERIC' | 'E_SHAPE', action: () => unknown): void {
  let caught: unknown;
  try {
    action();
  } catch (error) {
    caught = error;
  }
  expect(TrustRecError.isInstance(caught, code), String(caught)).toBe(true);
}

describe('TopKSelector', () => {
  test('agrees with a full-sort reference on 4,000 seeded random cases (ties, ±Infinity, exclusions, k = 0, k > n)', () => {
    const rng = createRng(20240601);
    const selector = new TopKSelector(8); // deliberately small: must grow its mask and heap
    for (let trial = 0; trial < 4000; trial++) {
      const n = trial % 10 === 0 ? rng.nextInt(300) : rng.nextInt(40);
      const k = rng.nextInt(n + 6);
      const scores = randomScores(rng, n, trial % 3);
      const exclude = randomExclusions(rng, n);
      const expected = referenceTopK(scores, k, exclude);
      const useOut = rng.nextInt(2) === 0;
      const out = useOut ? { indices: new Int32Array(k + 2).fill(-7), scores: new Float32Array(k + 2) } : undefined;
      const actual = trial % 7 === 0 ? topK(scores, k, exclude) : selector.select(scores, k, exclude, out);
      const context = `trial ${trial}: n=${n} k=${k}`;
      expect(Array.from(actual.indices), context).toEqual(expected.indices);
      expect(Array.from(actual.scores), context).toEqual(expected.scores);
      if (out && trial % 7 !== 0) {
        expect(actual.indices.buffer, context).toBe(out.indices.buffer);
        expect(actual.scores.buffer, context).toBe(out.scores.buffer);
      }
    }
  });

  test('hand-computed: ties go to the lower index, exclusions skipped, best first', () => {
    const scores = new Float32Array([0.5, 0.9, 0.5, 0.9, 0.1, 0.7]);
    const result = topK(scores, 4, new Int32Array([3, 3]));
    expect(Array.from(result.indices)).toEqual([1, 5, 0, 2]);
    expect(Array.from(result.scores)).toEqual([0.9, 0.7, 0.5, 0.5].map(Math.fround));
  });

  test('k = 0, k > candidates, everything excluded, empty scores', () => {
    const scores = new Float32Array([3, 1, 2]);
    expect(topK(scores, 0).indices.length).toBe(0);
    expect(Array.from(topK(scores, 10).indices)).toEqual([0, 2, 1]);
    expect(Array.from(topK(scores, 10, new Int32Array([1])).indices)).toEqual([0, 2]);
    const none = topK(scores, 2, new Int32Array([2, 0, 1, 0]));
    expect(none.indices.length).toBe(0);
    expect(none.scores.length).toBe(0);
    expect(topK(new Float32Array(0), 3).indices.length).toBe(0);
  });

  test('a huge k (e.g. "all items") does not allocate k slots', () => {
    const scores = new Float32Array([2, 3, 1]);
    expect(Array.from(topK(scores, 2 ** 31).indices)).toEqual([1, 0, 2]);
    expect(Array.from(new TopKSelector().select(scores, Number.MAX_SAFE_INTEGER).indices)).toEqual([1, 0, 2]);
  });

  test('out buffers are reused across calls and results are subarrays of them', () => {
    const selector = new TopKSelector(5);
    const out = { indices: new Int32Array(3), scores: new Float32Array(3) };
    const first = selector.select(new Float32Array([1, 5, 3, 4, 2]), 3, undefined, out);
    expect(Array.from(first.indices)).toEqual([1, 3, 2]);
    const second = selector.select(new Float32Array([9, 8, 7, 6, 5]), 2, new Int32Array([0]), out);
    expect(Array.from(second.indices)).toEqual([1, 2]);
    expect(Array.from(out.indices)).toEqual([1, 2, 2]);
    expect(second.indices.buffer).toBe(out.indices.buffer);
  });

  test('out buffers shorter than the result are E_SHAPE (no silently lost results)', () => {
    const selector = new TopKSelector();
    expectError('E_SHAPE', () =>
      selector.select(new Float32Array([1, 2, 3]), 3, undefined, {
        indices: new Int32Array(2),
        scores: new Float32Array(3),
      }),
    );
    expectError('E_SHAPE', () =>
      selector.select(new Float32Array([1, 2, 3]), 2, undefined, {
        indices: new Int32Array(2),
        scores: new Float32Array(1),
      }),
    );
    // Short buffers are fine when exclusions leave fewer results.
    const fits = selector.select(new Float32Array([1, 2, 3]), 3, new Int32Array([0]), {
      indices: new Int32Array(2),
      scores: new Float32Array(2),
    });
    expect(Array.from(fits.indices)).toEqual([2, 1]);
  });

  test('NaN among candidates is E_NUMERIC; an excluded NaN is ignored; the selector keeps working', () => {
    const selector = new TopKSelector(4);
    const scores = new Float32Array([1, Number.NaN, 3, 2]);
    expectError('E_NUMERIC', () => selector.select(scores, 2, new Int32Array([3])));
    // The exclusion mask was cleared: item 3 is a candidate again.
    expect(Array.from(selector.select(new Float32Array([1, 0, 3, 2]), 2).indices)).toEqual([2, 3]);
    expect(Array.from(selector.select(scores, 2, new Int32Array([1])).indices)).toEqual([2, 3]);
    expectError('E_NUMERIC', () => topK(new Float64Array([Number.NaN]), 0));
  });

  test('a bad exclusion index is E_ARGUMENT and the mask is cleared afterwards', () => {
    const selector = new TopKSelector(4);
    const scores = new Float32Array([4, 3, 2, 1]);
    expectError('E_ARGUMENT', () => selector.select(scores, 2, new Int32Array([0, 1, 4])));
    expectError('E_ARGUMENT', () => selector.select(scores, 2, new Int32Array([2, -1])));
    expect(Array.from(selector.select(scores, 4).indices)).toEqual([0, 1, 2, 3]);
    // Also when the bad index fits an older, larger mask but not this call's scores.
    selector.select(new Float32Array(10), 1);
    expectError('E_ARGUMENT', () => selector.select(scores, 2, new Int32Array([0, 7])));
    expect(Array.from(selector.select(scores, 2).indices)).toEqual([0, 1]);
  });

  test('bad k is E_ARGUMENT', () => {
    for (const k of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])
      expectError('E_ARGUMENT', () => topK(new Float32Array(3), k));
  });
});
