import { requireInteger, rejectUnknownOptions } from '@trustrec/core-linalg';
import type { Dataset } from '../core/dataset.js';
import { remapDataset } from './remap-dataset.js';

export interface KCoreOptions {
  /** Minimum interactions per user (default 5). */
  readonly minUserInteractions?: number;
  /** Minimum interactions per item (default 5). */
  readonly minItemInteractions?: number;
}

/**
 * k-core filtering: repeatedly removes users with fewer than `minUserInteractions` and items with fewer than
 * `minItemInteractions` remaining interactions until neither changes (a fixed point; removing items can push
 * users below the limit and vice versa). Users and items are renumbered in their original order; ids kept.
 */
export function kCore(dataset: Dataset, options: KCoreOptions = {}): Dataset {
  rejectUnknownOptions('kCore', options, ['minUserInteractions', 'minItemInteractions']);
  const minUser = options.minUserInteractions ?? 5;
  const minItem = options.minItemInteractions ?? 5;
  requireInteger('kCore', 'minUserInteractions', minUser, 0);
  requireInteger('kCore', 'minItemInteractions', minItem, 0);
  const { indptr, indices, numRows, numColumns } = dataset.interactions;
  const userAlive = new Uint8Array(numRows).fill(1);
  const itemAlive = new Uint8Array(numColumns).fill(1);
  const userDegree = new Int32Array(numRows);
  const itemDegree = new Int32Array(numColumns);
  for (let u = 0; u < numRows; u++) {
    userDegree[u] = indptr[u + 1] - indptr[u];
    for (let p = indptr[u]; p < indptr[u + 1]; p++) itemDegree[indices[p]]++;
  }
  const itemMajor = dataset.itemMajor();
  let changed = true;
  let rounds = 0;
  while (changed) {
    changed = false;
    rounds++;
    for (let u = 0; u < numRows; u++) {
      if (!userAlive[u] || userDegree[u] >= minUser) continue;
      userAlive[u] = 0;
      changed = true;
      for (let p = indptr[u]; p < indptr[u + 1]; p++) if (itemAlive[indices[p]]) itemDegree[indices[p]]--;
    }
    for (let i = 0; i < numColumns; i++) {
      if (!itemAlive[i] || itemDegree[i] >= minItem) continue;
      itemAlive[i] = 0;
      changed = true;
      for (let p = itemMajor.indptr[i]; p < itemMajor.indptr[i + 1]; p++)
        if (userAlive[itemMajor.indices[p]]) userDegree[itemMajor.indices[p]]--;
    }
  }
  const userMap = new Int32Array(numRows).fill(-1);
  let users = 0;
  for (let u = 0; u < numRows; u++) if (userAlive[u] && userDegree[u] > 0) userMap[u] = users++;
  const itemMap = new Int32Array(numColumns).fill(-1);
  let items = 0;
  for (let i = 0; i < numColumns; i++) if (itemAlive[i] && itemDegree[i] > 0) itemMap[i] = items++;
  return remapDataset(
    dataset,
    undefined,
    userMap,
    itemMap,
    `k-core(users>=${minUser}, items>=${minItem}; ${rounds} rounds)`,
  );
}
