import { CsrMatrix, TrustRecError, createRng } from '@trustrec/core-linalg';
import { describe, expect, test } from 'vitest';
import { PopularityNegativeSampler } from './popularity-negative-sampler.js';
import { sampleTestCandidates } from './sample-test-candidates.js';
import { UniformNegativeSampler } from './uniform-negative-sampler.js';
import { thrownError } from '@trustrec/test-utils';

// User 0 has items {1, 3}; user 1 has every item but 4 (dense row → complement path); user 2 has all items.
const matrix = CsrMatrix.fromCoo(
  {
    rows: Int32Array.from([0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 2]),
    columns: Int32Array.from([1, 3, 0, 1, 2, 3, 0, 1, 2, 3, 4]),
  },
  { numRows: 3, numColumns: 5, duplicates: 'error' },
);

describe('UniformNegativeSampler', () => {
  test('never returns a positive and is uniform over the rest (chi-square, 3 cells)', () => {
    const sampler = new UniformNegativeSampler(matrix);
    const rng = createRng(1);
    const counts = new Int32Array(5);
    const draws = 30_000;
    for (let t = 0; t < draws; t++) counts[sampler.sample(0, rng)]++;
    expect([counts[1], counts[3]]).toEqual([0, 0]);
    const expected = draws / 3;
    const chiSquare = [0, 2, 4].reduce((sum, item) => sum + (counts[item] - expected) ** 2 / expected, 0);
    expect(chiSquare).toBeLessThan(13.8); // p = 0.001 for 2 degrees of freedom
    expect(sampler.sample(1, rng)).toBe(4);
  });

  test('a user with every item is E_ARGUMENT; distinct draws are distinct negatives', () => {
    const sampler = new UniformNegativeSampler(matrix);
    expect(() => sampler.sample(2, createRng(1))).toThrowError(/interacted with all 5 items/);
    const distinct = sampler.sampleDistinct(0, 3, createRng(2));
    expect(Array.from(distinct).sort()).toEqual([0, 2, 4]);
    expect(() => sampler.sampleDistinct(0, 4, createRng(2))).toThrowError(/at most 3/);
  });

  test('sampleDistinct: exclude entries that are positives or repeats are counted once; out-of-range ones are E_ARGUMENT', () => {
    const sampler = new UniformNegativeSampler(matrix);
    // User 0's negatives are {0, 2, 4}; excluding positives (1, 3) and repeats removes nothing more.
    const all = sampler.sampleDistinct(0, 3, createRng(2), Int32Array.from([1, 3, 1, 3]));
    expect(Array.from(all).sort()).toEqual([0, 2, 4]);
    const two = sampler.sampleDistinct(0, 2, createRng(2), Int32Array.from([0, 0, 1]));
    expect(Array.from(two).sort()).toEqual([2, 4]);
    expect(() => sampler.sampleDistinct(0, 3, createRng(2), Int32Array.from([0, 0]))).toThrowError(
      /user 0 has at most 2 non-interacted items outside exclude, asked for 3/,
    );
    // Same draws as without exclude when exclude removes nothing (the stream is unchanged).
    expect(sampler.sampleDistinct(0, 2, createRng(9), Int32Array.from([1]))).toEqual(
      sampler.sampleDistinct(0, 2, createRng(9)),
    );
    for (const item of [5, -1]) {
      const error = thrownError(() => sampler.sampleDistinct(0, 1, createRng(2), Int32Array.from([item])));
      expect(TrustRecError.isInstance(error, 'E_ARGUMENT'), String(item)).toBe(true);
      expect(error.message).toContain(
        `UniformNegativeSampler.sampleDistinct: exclude must hold item indices, integers in [0, 5), got ${item}`,
      );
      expect(error.details?.option).toBe('exclude');
    }
  });

  test('same seed, same stream', () => {
    const sampler = new UniformNegativeSampler(matrix);
    const users = Int32Array.from([0, 0, 1, 0]);
    expect(sampler.sampleBatch(users, createRng(7))).toEqual(sampler.sampleBatch(users, createRng(7)));
  });
});

describe('PopularityNegativeSampler', () => {
  test('draws ∝ (count + smoothing)^exponent among non-interacted items', () => {
    // Item counts over the three users: [2, 3, 2, 3, 1]. For user 0 the candidates are 0, 2, 4 with weights 3, 3, 2 (exponent 1, smoothing 1).
    const sampler = new PopularityNegativeSampler(matrix, { exponent: 1, smoothing: 1 });
    expect(Array.from(sampler.weights)).toEqual([3, 4, 3, 4, 2]);
    const rng = createRng(5);
    const counts = new Int32Array(5);
    const draws = 40_000;
    for (let t = 0; t < draws; t++) counts[sampler.sample(0, rng)]++;
    expect([counts[1], counts[3]]).toEqual([0, 0]);
    expect(counts[0] / draws).toBeCloseTo(3 / 8, 1);
    expect(counts[4] / draws).toBeCloseTo(2 / 8, 1);
    expect(sampler.sample(1, rng)).toBe(4);
  });
});

describe('sampleTestCandidates', () => {
  test('one row per test entry, positive first, negatives outside train and test', () => {
    const train = CsrMatrix.fromCoo(
      { rows: Int32Array.from([0, 1]), columns: Int32Array.from([0, 1]) },
      { numRows: 2, numColumns: 6, duplicates: 'error' },
    );
    const test = CsrMatrix.fromCoo(
      { rows: Int32Array.from([0, 0, 1]), columns: Int32Array.from([2, 3, 5]) },
      { numRows: 2, numColumns: 6, duplicates: 'error' },
    );
    const candidates = sampleTestCandidates(train, test, { numNegatives: 3, seed: 4 });
    expect(Array.from(candidates.users)).toEqual([0, 0, 1]);
    expect(candidates.numCandidates).toBe(4);
    const rows = [0, 1, 2].map((row) => Array.from(candidates.items.subarray(row * 4, row * 4 + 4)));
    expect(rows.map((row) => row[0])).toEqual([2, 3, 5]);
    expect(rows[0].slice(1).sort()).toEqual([1, 4, 5]);
    expect(rows[1].slice(1).sort()).toEqual([1, 4, 5]);
    for (const item of rows[2].slice(1)) expect([0, 2, 3, 4]).toContain(item);
    expect(new Set(rows[2].slice(1)).size).toBe(3);
    expect(() => sampleTestCandidates(train, test, { numNegatives: 4, seed: 4 })).toThrowError(
      /has only 3 items outside train and test/,
    );
  });

  test('seed and rng together are E_CONFIG instead of silently ignoring the seed', () => {
    const test = CsrMatrix.fromCoo(
      { rows: Int32Array.from([0, 1]), columns: Int32Array.from([0, 4]) },
      { numRows: 3, numColumns: 5, duplicates: 'error' },
    );
    const train = CsrMatrix.fromCoo(
      { rows: Int32Array.from([0]), columns: Int32Array.from([1]) },
      { numRows: 3, numColumns: 5, duplicates: 'error' },
    );
    const error = thrownError(() => sampleTestCandidates(train, test, { numNegatives: 2, seed: 1, rng: createRng(1) }));
    expect(TrustRecError.isInstance(error, 'E_CONFIG')).toBe(true);
    expect(error.message).toMatch(
      /^sampleTestCandidates: options 'seed' and 'rng' were both given; give seed or rng, not both/,
    );
    // Either alone gives the same candidates as before.
    const bySeed = sampleTestCandidates(train, test, { numNegatives: 2, seed: 1 });
    expect(sampleTestCandidates(train, test, { numNegatives: 2, rng: createRng(1) }).items).toEqual(bySeed.items);
  });
});

describe('sampler arguments are checked, never read out of range', () => {
  test('a user outside [0, numRows) or not an integer is E_ARGUMENT naming the method', () => {
    const uniform = new UniformNegativeSampler(matrix);
    const popularity = new PopularityNegativeSampler(matrix);
    for (const user of [-1, 3, 0.5, Number.NaN]) {
      for (const [where, action] of [
        ['UniformNegativeSampler.sample', () => uniform.sample(user, createRng(1))],
        ['UniformNegativeSampler.sampleDistinct', () => uniform.sampleDistinct(user, 1, createRng(1))],
        ['PopularityNegativeSampler.sample', () => popularity.sample(user, createRng(1))],
        ['UniformNegativeSampler.sample', () => uniform.sampleBatch(Int32Array.from([0, 7]), createRng(1))],
      ] as const) {
        const error = thrownError(action);
        expect(TrustRecError.isInstance(error, 'E_ARGUMENT'), `${where} ${user}`).toBe(true);
        expect(error.message).toContain(`${where}: user must be a dense user index, an integer in [0, 3)`);
      }
    }
  });

  test('PopularityNegativeSampler: misspelt options are E_CONFIG; a short out is E_SHAPE', () => {
    const error = thrownError(
      () => new PopularityNegativeSampler(matrix, { power: 1 } as unknown as { exponent: number }),
    );
    expect(TrustRecError.isInstance(error, 'E_CONFIG')).toBe(true);
    expect(error.message).toContain("PopularityNegativeSampler: option 'power' must be one of the known options");
    const sampler = new PopularityNegativeSampler(matrix);
    const short = thrownError(() => sampler.sampleBatch(Int32Array.from([0, 0, 0]), createRng(1), new Int32Array(2)));
    expect(TrustRecError.isInstance(short, 'E_SHAPE')).toBe(true);
    expect(short.message).toContain('out has length 2, need 3');
  });

  test('sampleTestCandidates: a misspelt option is E_CONFIG', () => {
    const error = thrownError(() =>
      sampleTestCandidates(matrix, matrix, { negatives: 3, seed: 1 } as unknown as { numNegatives: number }),
    );
    expect(TrustRecError.isInstance(error, 'E_CONFIG')).toBe(true);
    expect(error.message).toContain("sampleTestCandidates: option 'negatives' must be one of the known options");
  });
});
