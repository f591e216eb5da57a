import { CsrMatrix, createRng } from '@trustrec/core-linalg';
import { leaveOneOutSplit } from '@trustrec/datasets';
import { describe, expect, it } from 'vitest';
import { validationHoldout } from './validation-holdout.js';

/** 40 users × 150 items; user u has (u mod 12) + 1 distinct random items, so some users have one or two. */
function smallSplit() {
  const rng = createRng(5);
  const rows: number[] = [];
  const columns: number[] = [];
  for (let u = 0; u < 40; u++) {
    const items = new Set<number>();
    while (items.size < (u % 12) + 1) items.add(rng.nextInt(150));
    for (const item of items) {
      rows.push(u);
      columns.push(item);
    }
  }
  const interactions = CsrMatrix.fromCoo(
    { rows: Int32Array.from(rows), columns: Int32Array.from(columns) },
    { numRows: 40, numColumns: 150, duplicates: 'error' },
  );
  return leaveOneOutSplit({ interactions }, { seed: 3, order: 'random', candidates: { numNegatives: 99 } });
}

const row = (matrix: CsrMatrix, u: number): number[] =>
  Array.from(matrix.indices.subarray(matrix.indptr[u], matrix.indptr[u + 1]));

describe('validationHoldout (trustrec train --validate)', () => {
  it('holds one training interaction per user out of train and samples 99 negatives unseen in train and test', () => {
    const split = smallSplit();
    const { split: carved, description } = validationHoldout(split, 'sampled', 7);
    expect(description).toMatch(/seed 7/);
    expect(carved.train.nnz + carved.test.nnz).toBe(split.train.nnz);
    expect(carved.candidates).toBeDefined();
    const candidates = carved.candidates as NonNullable<typeof carved.candidates>;
    expect(candidates.numCandidates).toBe(100);
    let candidateRow = 0;
    for (let u = 0; u < 40; u++) {
      const before = row(split.train, u);
      const heldOut = row(carved.test, u);
      // Users with one training interaction keep it; everyone else gives exactly one.
      expect(heldOut.length).toBe(before.length >= 2 ? 1 : 0);
      if (heldOut.length === 0) continue;
      const [item] = heldOut;
      expect(before).toContain(item);
      expect(row(carved.train, u)).not.toContain(item);
      expect(candidates.users[candidateRow]).toBe(u);
      const items = Array.from(candidates.items.subarray(candidateRow * 100, (candidateRow + 1) * 100));
      expect(items[0]).toBe(item);
      const negatives = items.slice(1);
      expect(new Set(negatives).size).toBe(99);
      const seen = new Set([...before, ...row(split.test, u)]);
      for (const negative of negatives) expect(seen.has(negative)).toBe(false);
      candidateRow++;
    }
    expect(candidateRow).toBe(carved.test.nnz);
  });

  it('is fixed by its seed, and full ranking needs no candidates', () => {
    const split = smallSplit();
    const first = validationHoldout(split, 'sampled', 7).split;
    const again = validationHoldout(split, 'sampled', 7).split;
    const other = validationHoldout(split, 'sampled', 8).split;
    expect(Array.from(again.test.indices)).toEqual(Array.from(first.test.indices));
    expect(Array.from(again.candidates?.items ?? [])).toEqual(Array.from(first.candidates?.items ?? []));
    expect(Array.from(other.test.indices)).not.toEqual(Array.from(first.test.indices));
    const full = validationHoldout(split, 'full', 7).split;
    expect(full.candidates).toBeUndefined();
    expect(Array.from(full.test.indices)).toEqual(Array.from(first.test.indices));
  });
});
