import { CsrMatrix, TrustRecError, createRng } from '@trustrec/core-linalg';
import { describe, expect, test } from 'vitest';
import { generateSyntheticDataset } from '../synthetic/generate-synthetic-dataset.js';
import { kFoldSplits } from './k-fold-splits.js';
import { leaveOneOutSplit } from './leave-one-out-split.js';
import { randomSplit } from './random-split.js';
import { ratioSplit } from './ratio-split.js';
import { deserializeSplit, serializeSplit } from './serialize-split.js';
import type { Split } from './split.js';
import { temporalSplit } from './temporal-split.js';
import { validationSplit } from './validation-split.js';
import { thrownError } from '@trustrec/test-utils';

const dataset = generateSyntheticDataset({ numUsers: 120, numItems: 200, factors: 4, seed: 3, implicit: false });

/** Every entry of the source lands in exactly one part, with its value. */
function expectPartition(parts: CsrMatrix[], source: CsrMatrix) {
  let total = 0;
  for (const part of parts) {
    total += part.nnz;
    expect([part.numRows, part.numColumns]).toEqual([source.numRows, source.numColumns]);
    for (let u = 0; u < part.numRows; u++) {
      for (let p = part.indptr[u]; p < part.indptr[u + 1]; p++) {
        if (p > part.indptr[u]) expect(part.indices[p]).toBeGreaterThan(part.indices[p - 1]);
        expect(source.get(u, part.indices[p])).toBe(part.values[p]);
      }
    }
  }
  expect(total).toBe(source.nnz);
  for (let a = 0; a < parts.length; a++) {
    for (let b = a + 1; b < parts.length; b++) {
      for (let u = 0; u < source.numRows; u++)
        for (const item of parts[a].row(u).indices) expect(parts[b].has(u, item)).toBe(false);
    }
  }
}

const parts = (split: Split) => [split.train, split.test, ...(split.validation ? [split.validation] : [])];

describe('leaveOneOutSplit', () => {
  test("holds out each user's latest entry (and the next latest for validation)", () => {
    const split = leaveOneOutSplit(dataset, { seed: 1, validation: true });
    expectPartition(parts(split), dataset.interactions);
    const times = dataset.timestamps as Float64Array;
    for (let u = 0; u < dataset.numUsers; u++) {
      expect(split.test.rowNnz(u)).toBe(1);
      expect(split.validation?.rowNnz(u)).toBe(1);
      const start = dataset.interactions.indptr[u];
      const sorted = Array.from(times.subarray(start, dataset.interactions.indptr[u + 1])).sort((a, b) => b - a);
      const timeOf = (item: number) => times[start + Array.from(dataset.interactions.row(u).indices).indexOf(item)];
      expect(timeOf(split.test.indices[split.test.indptr[u]])).toBe(sorted[0]);
      expect(timeOf((split.validation as CsrMatrix).indices[(split.validation as CsrMatrix).indptr[u]])).toBe(
        sorted[1],
      );
    }
  });

  test('random order without timestamps is seeded: same seed, same split; other seed, other split', () => {
    const source = { interactions: dataset.interactions, name: 'no-times' };
    const a = leaveOneOutSplit(source, { seed: 5 });
    const b = leaveOneOutSplit(source, { seed: 5 });
    const c = leaveOneOutSplit(source, { seed: 6 });
    expect(a.test.indices).toEqual(b.test.indices);
    expect(a.test.indices).not.toEqual(c.test.indices);
    expect(a.description.notes[0]).toContain('no timestamps');
  });

  test('small users follow the named policy; the seed is required', () => {
    const tiny = CsrMatrix.fromCoo(
      { rows: Int32Array.from([0, 0, 1]), columns: Int32Array.from([0, 1, 2]) },
      { numRows: 2, numColumns: 3, duplicates: 'error' },
    );
    const kept = leaveOneOutSplit({ interactions: tiny }, { seed: 1 });
    expect([kept.train.rowNnz(1), kept.test.rowNnz(1)]).toEqual([1, 0]);
    expect(kept.description.notes.join()).toContain('1 user(s) had too few');
    const dropped = leaveOneOutSplit({ interactions: tiny }, { seed: 1, smallUsers: 'drop' });
    expect(dropped.train.rowNnz(1)).toBe(0);
    expect(() => leaveOneOutSplit({ interactions: tiny }, { seed: 1, smallUsers: 'error' })).toThrowError(
      /user 1 has 1 interaction/,
    );
    expect(() => leaveOneOutSplit({ interactions: tiny }, {})).toThrowError(/seed \(or rng\) is required/);
  });

  test('candidates: positive first, 99 distinct negatives outside train and test', () => {
    const split = leaveOneOutSplit(dataset, { seed: 2, candidates: { numNegatives: 99 } });
    const candidates = split.candidates as NonNullable<Split['candidates']>;
    expect(candidates.numCandidates).toBe(100);
    expect(candidates.users.length).toBe(dataset.numUsers);
    for (let row = 0; row < candidates.users.length; row++) {
      const user = candidates.users[row];
      const list = candidates.items.subarray(row * 100, row * 100 + 100);
      expect(split.test.has(user, list[0])).toBe(true);
      expect(new Set(list).size).toBe(100);
      for (let t = 1; t < 100; t++) expect(dataset.interactions.has(user, list[t])).toBe(false);
    }
  });
});

describe('ratio, random, temporal, k-fold and validation splits', () => {
  test('per-user ratio: round(n·0.2) test entries per user, at least one in train', () => {
    const split = ratioSplit(dataset, { seed: 4, testRatio: 0.2 });
    expectPartition(parts(split), dataset.interactions);
    for (let u = 0; u < dataset.numUsers; u++) {
      const n = dataset.interactions.rowNnz(u);
      expect(split.test.rowNnz(u)).toBe(Math.min(Math.max(1, Math.round(n * 0.2)), n - 1));
    }
  });

  test('global random: exactly round(nnz·ratio) in test and validation', () => {
    const split = randomSplit(dataset, { seed: 4, testRatio: 0.1, validationRatio: 0.05 });
    expectPartition(parts(split), dataset.interactions);
    expect(split.test.nnz).toBe(Math.round(dataset.interactions.nnz * 0.1));
    expect(split.validation?.nnz).toBe(Math.round(dataset.interactions.nnz * 0.05));
  });

  test('temporal: no test entry is older than any train entry', () => {
    const split = temporalSplit(dataset, { testRatio: 0.25 });
    expectPartition(parts(split), dataset.interactions);
    const cutoff = split.description.options.cutoff as number;
    const times = dataset.timestamps as Float64Array;
    for (let u = 0; u < dataset.numUsers; u++) {
      for (let p = dataset.interactions.indptr[u]; p < dataset.interactions.indptr[u + 1]; p++) {
        expect(split.test.has(u, dataset.interactions.indices[p])).toBe(times[p] >= cutoff);
      }
    }
    expect(() => temporalSplit({ interactions: dataset.interactions }, { testRatio: 0.2 })).toThrowError(
      /no timestamps/,
    );
  });

  test('k-fold: the k test sets partition the data', () => {
    const folds = kFoldSplits(dataset, { seed: 9, k: 5 });
    expect(folds).toHaveLength(5);
    expectPartition(
      folds.map((fold) => fold.test),
      dataset.interactions,
    );
    for (const fold of folds) expect(fold.train.nnz + fold.test.nnz).toBe(dataset.interactions.nnz);
  });

  test('validation carved from train leaves test and candidates untouched', () => {
    const base = leaveOneOutSplit(dataset, { seed: 2, candidates: { numNegatives: 10 } });
    const split = validationSplit(base, { seed: 3, method: 'leave-one-out' });
    expect(split.test).toBe(base.test);
    expect(split.candidates).toBe(base.candidates);
    expectPartition([split.train, split.validation as CsrMatrix], base.train);
  });

  test('serialise → JSON → deserialise gives the same split', () => {
    const split = leaveOneOutSplit(dataset, { seed: 2, validation: true, candidates: { numNegatives: 5 } });
    const restored = deserializeSplit(JSON.parse(JSON.stringify(serializeSplit(split))));
    expect(restored.train.indices).toEqual(split.train.indices);
    expect(restored.validation?.values).toEqual(split.validation?.values);
    expect(restored.candidates?.items).toEqual(split.candidates?.items);
    expect(restored.description).toEqual(split.description);
    const error = (() => {
      try {
        deserializeSplit({ format: 'other' });
      } catch (caught) {
        return caught;
      }
    })();
    expect(TrustRecError.isInstance(error, 'E_FORMAT')).toBe(true);
  });

  test('deserialise: candidates.numCandidates that does not fit items and users is E_FORMAT naming the field', () => {
    const split = leaveOneOutSplit(dataset, { seed: 2, candidates: { numNegatives: 5 } });
    const document = JSON.parse(JSON.stringify(serializeSplit(split)));
    expect(deserializeSplit(document).candidates?.numCandidates).toBe(6);
    for (const numCandidates of [7, 5, 1, 0, 2.5, '6', undefined]) {
      const error = thrownError(() =>
        deserializeSplit({ ...document, candidates: { ...document.candidates, numCandidates } }),
      );
      expect(TrustRecError.isInstance(error, 'E_FORMAT'), String(numCandidates)).toBe(true);
      expect(error.message).toContain("deserializeSplit: field 'candidates.numCandidates'");
      expect(error.details?.field).toBe('candidates.numCandidates');
    }
    const truncated = thrownError(() =>
      deserializeSplit({ ...document, candidates: { ...document.candidates, items: document.test.indices } }),
    );
    expect(TrustRecError.isInstance(truncated, 'E_FORMAT')).toBe(true);
    expect(truncated.message).toMatch(
      /'candidates\.items' has 120 entries for 120 'candidates\.users' \(expected 120 × 6 = 720\)/,
    );
  });
});

describe('split options are checked, never ignored', () => {
  // Options objects from JSON configs or plain JavaScript: the compiler does not see them.
  const loose = <T>(options: Record<string, unknown>) => options as unknown as T;

  test('a misspelt option name is E_CONFIG naming the function and the option', () => {
    const cases: [string, () => unknown, string][] = [
      ['leaveOneOutSplit', () => leaveOneOutSplit(dataset, loose({ seed: 1, holdout: 2 })), 'holdout'],
      [
        'leaveOneOutSplit',
        () => leaveOneOutSplit(dataset, loose({ seed: 1, candidates: { negatives: 5 } })),
        'candidates.negatives',
      ],
      ['ratioSplit', () => ratioSplit(dataset, loose({ seed: 1, testratio: 0.5 })), 'testratio'],
      ['randomSplit', () => randomSplit(dataset, loose({ seed: 1, validation: 0.1 })), 'validation'],
      ['kFoldSplits', () => kFoldSplits(dataset, loose({ seed: 1, k: 3, folds: 10 })), 'folds'],
      [
        'temporalSplit',
        () => temporalSplit(dataset, loose({ testRatio: 0.2, validationRatio: 0.1 })),
        'validationRatio',
      ],
      [
        'validationSplit',
        () => validationSplit(leaveOneOutSplit(dataset, { seed: 1 }), loose({ seed: 2, validationRatio: 0.3 })),
        'validationRatio',
      ],
    ];
    for (const [where, action, option] of cases) {
      const error = thrownError(action);
      expect(TrustRecError.isInstance(error, 'E_CONFIG'), `${where} ${option}`).toBe(true);
      expect(error.message).toContain(`${where}: option '${option}' must be one of the known options`);
      expect(error.details?.option).toBe(option);
    }
    // Options present but undefined count as absent.
    expect(() => ratioSplit(dataset, { seed: 1, order: undefined })).not.toThrow();
  });

  test('a misspelt order, stratify or method is E_ARGUMENT instead of running another method', () => {
    const cases: [() => unknown, RegExp][] = [
      [
        () => leaveOneOutSplit(dataset, loose({ seed: 1, order: 'latest' })),
        /leaveOneOutSplit: order must be one of "time", "random", got "latest"/,
      ],
      [() => ratioSplit(dataset, loose({ seed: 1, order: 'Time' })), /ratioSplit: order must be one of/],
      [
        () => kFoldSplits(dataset, loose({ seed: 1, k: 3, stratify: 'users' })),
        /kFoldSplits: stratify must be one of "user", "global"/,
      ],
      [
        () => validationSplit(leaveOneOutSplit(dataset, { seed: 1 }), loose({ seed: 2, method: 'loo', ratio: 5 })),
        /validationSplit: method must be one of "leave-one-out", "ratio"/,
      ],
    ];
    for (const [action, message] of cases) {
      const error = thrownError(action);
      expect(TrustRecError.isInstance(error, 'E_ARGUMENT')).toBe(true);
      expect(error.message).toMatch(message);
    }
  });

  test('seed and rng together are E_CONFIG instead of silently ignoring the seed; either alone still works', () => {
    const base = leaveOneOutSplit(dataset, { seed: 1 });
    const both = { seed: 4, rng: createRng(4) };
    const cases: [string, () => unknown][] = [
      ['leaveOneOutSplit', () => leaveOneOutSplit(dataset, both)],
      ['ratioSplit', () => ratioSplit(dataset, both)],
      ['randomSplit', () => randomSplit(dataset, both)],
      ['kFoldSplits', () => kFoldSplits(dataset, { ...both, k: 3 })],
      ['validationSplit', () => validationSplit(base, both)],
    ];
    for (const [where, action] of cases) {
      const error = thrownError(action);
      expect(TrustRecError.isInstance(error, 'E_CONFIG'), where).toBe(true);
      expect(error.message).toMatch(
        new RegExp(`^${where}: options 'seed' and 'rng' were both given; give seed or rng, not both`),
      );
      expect(error.details?.option).toBe('rng');
    }
    // One of them (an undefined one counts as absent) gives the same split as before.
    const bySeed = ratioSplit(dataset, { seed: 4 });
    expect(ratioSplit(dataset, { rng: createRng(4) }).test.indices).toEqual(bySeed.test.indices);
    expect(ratioSplit(dataset, { seed: 4, rng: undefined }).test.indices).toEqual(bySeed.test.indices);
  });

  test("validationSplit: ratio with method 'leave-one-out' is E_CONFIG instead of being ignored", () => {
    const base = leaveOneOutSplit(dataset, { seed: 1 });
    const error = thrownError(() => validationSplit(base, { seed: 2, method: 'leave-one-out', ratio: 0.3 }));
    expect(TrustRecError.isInstance(error, 'E_CONFIG')).toBe(true);
    expect(error.message).toMatch(
      /^validationSplit: option 'ratio' \(0\.3\) has no effect with method 'leave-one-out'/,
    );
    expect(error.details?.option).toBe('ratio');
    // Either option on its own still works.
    expect(validationSplit(base, { seed: 2, method: 'leave-one-out' }).validation?.nnz).toBeGreaterThan(0);
    expect(validationSplit(base, { seed: 2, ratio: 0.3 }).validation?.nnz).toBeGreaterThan(0);
  });

  test('timestamps not aligned with the interactions are E_SHAPE, not a split on garbage times', () => {
    const times = dataset.timestamps as Float64Array;
    const short = { interactions: dataset.interactions, timestamps: times.subarray(0, times.length - 1) };
    for (const action of [
      () => temporalSplit(short, { testRatio: 0.2 }),
      () => leaveOneOutSplit(short, { seed: 1 }),
      () => ratioSplit(short, { seed: 1, order: 'time' }),
    ]) {
      const error = thrownError(action);
      expect(TrustRecError.isInstance(error, 'E_SHAPE')).toBe(true);
      expect(error.message).toMatch(/timestamps has length \d+, interactions has \d+ entries/);
    }
  });
});
