import { CsrMatrix, TrustRecError } from '@trustrec/core-linalg';
import { describe, expect, test } from 'vitest';
import { type Dataset, createDataset, memoryLoadReport } from '../core/dataset.js';
import { generateSyntheticDataset } from '../synthetic/generate-synthetic-dataset.js';
import { appendFakeUsers } from './append-fake-users.js';
import { kCore } from './k-core.js';
import { subsetDataset } from './subset-dataset.js';
import { toImplicit } from './to-implicit.js';
import { thrownError } from '@trustrec/test-utils';

function tiny(): Dataset {
  // users a, b, c; items x, y, z; c only rated z; z rated by c only after a/b are considered.
  const interactions = CsrMatrix.fromCoo(
    {
      rows: Int32Array.from([0, 0, 1, 1, 2]),
      columns: Int32Array.from([0, 1, 0, 1, 2]),
      values: Float32Array.from([5, 2, 4, 3, 1]),
    },
    { numRows: 3, numColumns: 3, duplicates: 'error' },
  );
  return createDataset({
    name: 'tiny',
    interactions,
    implicit: false,
    ratingScale: { min: 1, max: 5 },
    timestamps: Float64Array.from([1, 2, 3, 4, 5]),
    userIds: ['a', 'b', 'c'],
    itemIds: ['x', 'y', 'z'],
    userAttributes: {
      columns: [{ kind: 'categorical', name: 'gender', codes: Int32Array.from([0, 1, 1]), levels: ['F', 'M'] }],
    },
    itemCategories: {
      names: ['g0', 'g1'],
      matrix: CsrMatrix.fromCoo(
        { rows: Int32Array.from([0, 2]), columns: Int32Array.from([1, 0]) },
        { numRows: 3, numColumns: 2, duplicates: 'error' },
      ),
    },
    provenance: { source: 'memory', files: [] },
    loadReport: memoryLoadReport(5),
  });
}

describe('transforms', () => {
  test('toImplicit keeps ratings ≥ threshold as 1s with their timestamps', () => {
    const implicit = toImplicit(tiny(), { threshold: 3 });
    expect(implicit.implicit).toBe(true);
    expect(implicit.ratingScale).toBeUndefined();
    expect(Array.from(implicit.interactions.indices)).toEqual([0, 0, 1]);
    expect(Array.from(implicit.interactions.values)).toEqual([1, 1, 1]);
    expect(Array.from(implicit.timestamps as Float64Array)).toEqual([1, 3, 4]);
    expect(implicit.provenance.derivations).toEqual(['to-implicit(rating>=3)']);
  });

  test('k-core reaches the fixed point and keeps ids, attributes, categories aligned', () => {
    const core = kCore(tiny(), { minUserInteractions: 2, minItemInteractions: 2 });
    expect(core.userIds).toEqual(['a', 'b']);
    expect(core.itemIds).toEqual(['x', 'y']);
    expect(core.interactions.nnz).toBe(4);
    const gender = core.userAttributes?.columns[0];
    expect(gender?.kind !== 'numeric' && Array.from(gender?.codes ?? [])).toEqual([0, 1]);
    expect(Array.from(core.itemCategories?.matrix.indices ?? [])).toEqual([1]);
    const large = kCore(generateSyntheticDataset({ numUsers: 200, numItems: 300, factors: 4, seed: 2 }), {
      minUserInteractions: 10,
      minItemInteractions: 10,
    });
    for (let u = 0; u < large.numUsers; u++) expect(large.interactions.rowNnz(u)).toBeGreaterThanOrEqual(10);
    const itemMajor = large.itemMajor();
    for (let i = 0; i < large.numItems; i++) expect(itemMajor.rowNnz(i)).toBeGreaterThanOrEqual(10);
  });

  test('subsetDataset reorders users and items consistently', () => {
    const subset = subsetDataset(tiny(), { users: [1, 0], items: [1, 0] });
    expect(subset.userIds).toEqual(['b', 'a']);
    expect(subset.itemIds).toEqual(['y', 'x']);
    expect(subset.interactions.get(0, 0)).toBe(3); // b rated y 3
    expect(subset.interactions.get(1, 1)).toBe(5); // a rated x 5
    expect(subset.userIndex('a')).toBe(1);
    expect(() => subsetDataset(tiny(), { users: [0, 0] })).toThrowError(/listed twice/);
  });

  test('appendFakeUsers returns a new dataset and leaves the input untouched', () => {
    const base = tiny();
    const fake = CsrMatrix.fromCoo(
      { rows: Int32Array.from([0, 0]), columns: Int32Array.from([0, 2]), values: Float32Array.from([5, 5]) },
      { numRows: 1, numColumns: 3, duplicates: 'error' },
    );
    const poisoned = appendFakeUsers(base, { interactions: fake });
    expect(poisoned.numUsers).toBe(4);
    expect(base.numUsers).toBe(3);
    expect(poisoned.userIds[3]).toBe('fake-0');
    expect(poisoned.interactions.get(3, 2)).toBe(5);
    expect(Array.from(poisoned.timestamps as Float64Array).slice(5)).toEqual([5, 5]);
    const gender = poisoned.userAttributes?.columns[0];
    expect(gender?.kind !== 'numeric' && gender?.codes[3]).toBe(-1);
    const bad = CsrMatrix.fromCoo(
      { rows: Int32Array.from([0]), columns: Int32Array.from([0]), values: Float32Array.from([9]) },
      { numRows: 1, numColumns: 3, duplicates: 'error' },
    );
    expect(() => appendFakeUsers(base, { interactions: bad })).toThrowError(/not valid for tiny/);
    expect(() => appendFakeUsers(base, { interactions: fake, ids: ['a'] })).toThrowError(/already exists/);
  });
});

describe('transform options are checked, never ignored', () => {
  const loose = <T>(options: Record<string, unknown>) => options as unknown as T;

  test('a misspelt option name is E_CONFIG naming the function and the option', () => {
    const fake = new CsrMatrix(1, 3, Int32Array.from([0, 0]), new Int32Array(0), new Float32Array(0));
    const cases: [string, () => unknown, string][] = [
      ['toImplicit', () => toImplicit(tiny(), loose({ minRating: 4 })), 'minRating'],
      ['kCore', () => kCore(tiny(), loose({ minUser: 1 })), 'minUser'],
      ['subsetDataset', () => subsetDataset(tiny(), loose({ userIds: [0] })), 'userIds'],
      ['appendFakeUsers', () => appendFakeUsers(tiny(), loose({ interactions: fake, id: ['f'] })), 'id'],
    ];
    for (const [where, action, option] of cases) {
      const error = thrownError(action);
      expect(TrustRecError.isInstance(error, 'E_CONFIG'), where).toBe(true);
      expect(error.message).toContain(`${where}: option '${option}' must be one of the known options`);
    }
  });

  test('appendFakeUsers: a non-finite timestamp, times for a dataset without times, both forms, repeated ids', () => {
    const fake = CsrMatrix.fromCoo(
      { rows: Int32Array.from([0, 1]), columns: Int32Array.from([0, 2]), values: Float32Array.from([5, 5]) },
      { numRows: 2, numColumns: 3, duplicates: 'error' },
    );
    const base = tiny();
    for (const timestamp of [Number.NaN, Number.POSITIVE_INFINITY]) {
      const error = thrownError(() => appendFakeUsers(base, { interactions: fake, timestamp }));
      expect(TrustRecError.isInstance(error, 'E_ARGUMENT')).toBe(true);
      expect(error.message).toContain('appendFakeUsers: timestamp must be a finite number');
    }
    const both = thrownError(() =>
      appendFakeUsers(base, { interactions: fake, timestamp: 9, timestamps: Float64Array.from([1, 2]) }),
    );
    expect(both.message).toMatch(/not both/);
    const untimed = createDataset({ ...base, timestamps: undefined });
    const dropped = thrownError(() => appendFakeUsers(untimed, { interactions: fake, timestamp: 9 }));
    expect(TrustRecError.isInstance(dropped, 'E_ARGUMENT')).toBe(true);
    expect(dropped.message).toContain('tiny has no timestamps');
    const repeated = thrownError(() => appendFakeUsers(base, { interactions: fake, ids: ['f', 'f'] }));
    expect(TrustRecError.isInstance(repeated, 'E_ARGUMENT')).toBe(true);
    expect(repeated.message).toContain('fake user id "f" is listed twice');
    // Valid forms still work as before.
    expect(Array.from(appendFakeUsers(base, { interactions: fake, timestamp: 9 }).timestamps ?? []).slice(5)).toEqual([
      9, 9,
    ]);
    expect(appendFakeUsers(untimed, { interactions: fake }).timestamps).toBeUndefined();
  });
});
