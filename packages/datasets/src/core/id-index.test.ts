import { describe, expect, test } from 'vitest';
import { IdIndex } from './id-index.js';

describe('IdIndex', () => {
  test('integer ids: direct table for small ids, Map beyond 2^24 and for negatives, first-appearance order', () => {
    const index = new IdIndex();
    const ids = [5, 3_000_000, 5, 2 ** 30, -4, 70_000, 3_000_000];
    expect(ids.map((id) => index.internInteger(id))).toEqual([0, 1, 0, 2, 3, 4, 1]);
    expect(index.ids).toEqual(['5', '3000000', String(2 ** 30), '-4', '70000']);
    expect(['5', '3000000', String(2 ** 30), '-4', '70000', '6', '05'].map((id) => index.get(id))).toEqual([
      0, 1, 2, 3, 4, -1, -1,
    ]);
  });

  test('sortedPermutation renumbers numerically (10 after 9), else by string', () => {
    const index = new IdIndex();
    for (const id of ['10', '9', '100']) index.intern(id);
    const { ids, oldToNew } = index.sortedPermutation();
    expect(ids).toEqual(['9', '10', '100']);
    expect(Array.from(oldToNew)).toEqual([1, 0, 2]);
  });
});
