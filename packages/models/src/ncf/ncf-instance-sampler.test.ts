import { CsrMatrix, TrustRecError, createRng } from '@trustrec/core-linalg';
import { describe, expect, it } from 'vitest';
import { createSyntheticInteractions } from '../testing/synthetic-interactions.js';
import { NcfInstanceSampler } from './ncf-instance-sampler.js';

describe('NcfInstanceSampler', () => {
  const { train } = createSyntheticInteractions({ numUsers: 30, numItems: 25, interactionsPerUser: 8, seed: 2 });

  it('yields every positive once and N uniform non-interacted negatives per positive, shuffled', () => {
    const sampler = new NcfInstanceSampler(train, 4);
    const { users, items, labels, count } = sampler.epoch(createRng(1));
    expect(count).toBe(train.nnz * 5);
    let positives = 0;
    const seen = new Set<number>();
    const perUserNegatives = new Int32Array(train.numRows);
    const itemCounts = new Int32Array(train.numColumns);
    for (let t = 0; t < count; t++) {
      if (labels[t] === 1) {
        positives++;
        expect(train.has(users[t], items[t])).toBe(true);
        seen.add(users[t] * train.numColumns + items[t]);
      } else {
        expect(labels[t]).toBe(0);
        expect(train.has(users[t], items[t])).toBe(false);
        perUserNegatives[users[t]]++;
        itemCounts[items[t]]++;
      }
    }
    expect(positives).toBe(train.nnz);
    expect(seen.size).toBe(train.nnz);
    for (let u = 0; u < train.numRows; u++) expect(perUserNegatives[u]).toBe(4 * train.rowNnz(u));
    // shuffled: the first instances are not simply user 0's
    expect(Array.from(users.subarray(0, 20)).some((u) => u !== users[0])).toBe(true);
    // every item is drawn as a negative somewhere (uniform over non-interacted items)
    expect(itemCounts.every((c) => c > 0)).toBe(true);
  });

  it('is reproducible from the seed and differs across seeds', () => {
    const sampler = new NcfInstanceSampler(train, 2);
    const a = Array.from(sampler.epoch(createRng(5)).items);
    const b = Array.from(sampler.epoch(createRng(5)).items);
    const c = Array.from(sampler.epoch(createRng(6)).items);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it('rejects a user with no possible negative, and bad counts', () => {
    const full = CsrMatrix.fromCoo(
      { rows: Int32Array.of(0, 0), columns: Int32Array.of(0, 1) },
      { numRows: 1, numColumns: 2, duplicates: 'error' },
    );
    expect(() => new NcfInstanceSampler(full, 1)).toThrow(/interacted with all 2 items/);
    expect(new NcfInstanceSampler(full, 0).epoch(createRng(1)).count).toBe(2);
    try {
      new NcfInstanceSampler(train, -1);
      throw new Error('expected E_ARGUMENT');
    } catch (error) {
      expect(TrustRecError.isInstance(error, 'E_ARGUMENT')).toBe(true);
    }
  });
});
