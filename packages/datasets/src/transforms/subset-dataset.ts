import { argumentError, rejectUnknownOptions } from '@trustrec/core-linalg';
import type { Dataset } from '../core/dataset.js';
import { identityMap, remapDataset } from './remap-dataset.js';

export interface SubsetOptions {
  /** Dense user indices to keep, in the order they get in the subset (default: all users). */
  readonly users?: Int32Array | readonly number[];
  /** Dense item indices to keep, in their new order (default: all items). */
  readonly items?: Int32Array | readonly number[];
}

function selectionMap(
  where: string,
  name: string,
  selection: Int32Array | readonly number[] | undefined,
  size: number,
): Int32Array {
  if (selection === undefined) return identityMap(size);
  const map = new Int32Array(size).fill(-1);
  for (let t = 0; t < selection.length; t++) {
    const index = selection[t];
    if (!Number.isInteger(index) || index < 0 || index >= size)
      throw argumentError(where, `${name}[${t}] = ${index} is outside [0, ${size})`, { option: name });
    if (map[index] >= 0) throw argumentError(where, `${name}[${t}] = ${index} is listed twice`, { option: name });
    map[index] = t;
  }
  return map;
}

/**
 * A dataset restricted to the given users and/or items (in the given order), with id maps, attributes,
 * categories, titles and timestamps kept consistent. Interactions with removed items are dropped.
 */
export function subsetDataset(dataset: Dataset, options: SubsetOptions): Dataset {
  rejectUnknownOptions('subsetDataset', options, ['users', 'items']);
  const userMap = selectionMap('subsetDataset', 'users', options.users, dataset.numUsers);
  const itemMap = selectionMap('subsetDataset', 'items', options.items, dataset.numItems);
  return remapDataset(
    dataset,
    undefined,
    userMap,
    itemMap,
    `subset(users=${options.users?.length ?? 'all'}, items=${options.items?.length ?? 'all'})`,
  );
}
