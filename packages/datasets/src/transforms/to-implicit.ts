import { argumentError, requireFinite, rejectUnknownOptions } from '@trustrec/core-linalg';
import type { Dataset } from '../core/dataset.js';
import { identityMap, remapDataset } from './remap-dataset.js';

export interface ToImplicitOptions {
  /** Keep entries with value ≥ threshold (e.g. 4 for "liked" on a 1–5 scale); default: keep every entry. */
  readonly threshold?: number;
}

/**
 * Explicit → implicit: keeps entries with rating ≥ threshold (all entries without a threshold), sets their values
 * to 1, keeps users and items (rows may become empty; follow with `kCore` to drop them) and timestamps.
 */
export function toImplicit(dataset: Dataset, options: ToImplicitOptions = {}): Dataset {
  rejectUnknownOptions('toImplicit', options, ['threshold']);
  const { threshold } = options;
  if (threshold !== undefined) requireFinite('toImplicit', 'threshold', threshold);
  if (dataset.implicit && threshold !== undefined) {
    throw argumentError(
      'toImplicit',
      `${dataset.name} is already implicit (all values 1); a threshold would be meaningless`,
      { option: 'threshold' },
    );
  }
  const { values, nnz } = dataset.interactions;
  const keep = new Uint8Array(nnz);
  for (let p = 0; p < nnz; p++) keep[p] = threshold === undefined || values[p] >= threshold ? 1 : 0;
  const ones = new Float32Array(nnz).fill(1);
  return remapDataset(
    dataset,
    keep,
    identityMap(dataset.numUsers),
    identityMap(dataset.numItems),
    `to-implicit(${threshold === undefined ? 'all' : `rating>=${threshold}`})`,
    {
      implicit: true,
      values: ones,
      ratingScale: null,
    },
  );
}
