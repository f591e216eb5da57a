import { type Rng, argumentError, shapeError } from '@trustrec/core-linalg';
import type { SmallUserPolicy, SplitSource } from './split.js';

export const TRAIN = 0;
export const TEST = 1;
export const VALIDATION = 2;
export const DROPPED = 255;

/**
 * Per-user hold-out shared by leave-one-out and ratio splits. For each user, `counts(n)` says how many entries
 * go to test and validation (or null when the user has too few); entries are taken latest-first by timestamp
 * (ties in seeded random order) when `byTime`, else in seeded random order. Returns the per-entry part codes.
 */
export function perUserHoldout(
  where: string,
  source: SplitSource,
  rng: Rng,
  byTime: boolean,
  smallUsers: SmallUserPolicy,
  counts: (n: number) => { test: number; validation: number } | null,
  notes: string[],
): Uint8Array {
  const { interactions, timestamps } = source;
  if (byTime && !timestamps)
    throw argumentError(where, 'ordering by time needs timestamps, but the source has none', { option: 'order' });
  if (byTime && timestamps && timestamps.length !== interactions.nnz)
    throw shapeError(
      where,
      `timestamps has length ${timestamps.length}, interactions has ${interactions.nnz} entries; timestamps must be aligned with interactions.indices`,
      { option: 'timestamps' },
    );
  const { indptr, numRows } = interactions;
  const parts = new Uint8Array(interactions.nnz);
  let smallCount = 0;
  const order: number[] = [];
  const tieBreak = new Float64Array(Math.max(1, maxRowLength(indptr, numRows)));
  for (let u = 0; u < numRows; u++) {
    const start = indptr[u];
    const n = indptr[u + 1] - start;
    if (n === 0) continue;
    const wanted = counts(n);
    if (wanted === null) {
      smallCount++;
      if (smallUsers === 'error') {
        throw argumentError(
          where,
          `user ${u} has ${n} interaction(s), too few to hold any out; use smallUsers "train-only" or "drop", or filter with kCore first`,
          { option: 'smallUsers', user: u },
        );
      }
      if (smallUsers === 'drop') parts.fill(DROPPED, start, start + n);
      continue;
    }
    const take = wanted.test + wanted.validation;
    order.length = n;
    for (let t = 0; t < n; t++) order[t] = t;
    if (byTime && timestamps) {
      for (let t = 0; t < n; t++) tieBreak[t] = rng.nextFloat();
      order.sort((a, b) => timestamps[start + b] - timestamps[start + a] || tieBreak[a] - tieBreak[b]);
    } else {
      // Partial Fisher–Yates: the first `take` positions become a uniform random subset in random order.
      for (let t = 0; t < take; t++) {
        const j = t + rng.nextInt(n - t);
        const held = order[t];
        order[t] = order[j];
        order[j] = held;
      }
    }
    for (let t = 0; t < wanted.test; t++) parts[start + order[t]] = TEST;
    for (let t = wanted.test; t < take; t++) parts[start + order[t]] = VALIDATION;
  }
  if (smallCount > 0) {
    notes.push(
      `${smallCount} user(s) had too few interactions to hold out: ${smallUsers === 'drop' ? 'dropped from all parts' : 'kept in train only'}`,
    );
  }
  return parts;
}

function maxRowLength(indptr: Int32Array, numRows: number): number {
  let longest = 0;
  for (let u = 0; u < numRows; u++) longest = Math.max(longest, indptr[u + 1] - indptr[u]);
  return longest;
}
