import { CsrMatrix } from '@trustrec/core-linalg';
import { type AttributeColumn, type Dataset, createDataset } from '../core/dataset.js';

/**
 * A new dataset keeping the entries with `keep[p] = 1` whose user and item survive, renumbering users by
 * `userMap` (old → new, -1 = removed) and items by `itemMap`, and carrying ids, timestamps, attributes,
 * categories and titles consistently. `values` optionally replaces the entry values (same length as nnz).
 */
export function remapDataset(
  dataset: Dataset,
  keep: Uint8Array | undefined,
  userMap: Int32Array,
  itemMap: Int32Array,
  derivation: string,
  changes: { implicit?: boolean; values?: Float32Array; ratingScale?: Dataset['ratingScale'] | null } = {},
): Dataset {
  const source = dataset.interactions;
  let numUsers = 0;
  for (let u = 0; u < userMap.length; u++) numUsers = Math.max(numUsers, userMap[u] + 1);
  let numItems = 0;
  for (let i = 0; i < itemMap.length; i++) numItems = Math.max(numItems, itemMap[i] + 1);
  const oldUserOf = new Int32Array(numUsers);
  for (let u = 0; u < userMap.length; u++) if (userMap[u] >= 0) oldUserOf[userMap[u]] = u;
  const oldItemOf = new Int32Array(numItems);
  for (let i = 0; i < itemMap.length; i++) if (itemMap[i] >= 0) oldItemOf[itemMap[i]] = i;
  // Rows are copied in new-user order; columns stay sorted only if itemMap is monotone, so sort per row when not.
  let monotone = true;
  let previous = -1;
  for (let i = 0; i < itemMap.length; i++) {
    if (itemMap[i] < 0) continue;
    if (itemMap[i] < previous) monotone = false;
    previous = itemMap[i];
  }
  const indptr = new Int32Array(numUsers + 1);
  const keepEntry = (p: number) => (keep === undefined || keep[p] === 1) && itemMap[source.indices[p]] >= 0;
  for (let r = 0; r < numUsers; r++) {
    const u = oldUserOf[r];
    let count = 0;
    for (let p = source.indptr[u]; p < source.indptr[u + 1]; p++) if (keepEntry(p)) count++;
    indptr[r + 1] = indptr[r] + count;
  }
  const nnz = indptr[numUsers];
  const indices = new Int32Array(nnz);
  const values = new Float32Array(nnz);
  const timestamps = dataset.timestamps ? new Float64Array(nnz) : undefined;
  const newValues = changes.values ?? source.values;
  let written = 0;
  for (let r = 0; r < numUsers; r++) {
    const u = oldUserOf[r];
    const rowStart = written;
    for (let p = source.indptr[u]; p < source.indptr[u + 1]; p++) {
      if (!keepEntry(p)) continue;
      indices[written] = itemMap[source.indices[p]];
      values[written] = newValues[p];
      if (timestamps && dataset.timestamps) timestamps[written] = dataset.timestamps[p];
      written++;
    }
    if (!monotone && written - rowStart > 1) sortRow(indices, values, timestamps, rowStart, written);
  }
  const columns = dataset.userAttributes?.columns.map((column): AttributeColumn => {
    if (column.kind === 'numeric') return { ...column, values: Float64Array.from(oldUserOf, (u) => column.values[u]) };
    return { ...column, codes: Int32Array.from(oldUserOf, (u) => column.codes[u]) };
  });
  const categories = dataset.itemCategories;
  const itemCategories = categories
    ? { names: categories.names, matrix: categories.matrix.selectRows(oldItemOf) }
    : undefined;
  return createDataset({
    name: dataset.name,
    interactions: new CsrMatrix(numUsers, numItems, indptr, indices, values),
    implicit: changes.implicit ?? dataset.implicit,
    ratingScale: changes.ratingScale === null ? undefined : (changes.ratingScale ?? dataset.ratingScale),
    timestamps,
    userIds: Array.from(oldUserOf, (u) => dataset.userIds[u]),
    itemIds: Array.from(oldItemOf, (i) => dataset.itemIds[i]),
    userAttributes: columns ? { columns } : undefined,
    itemCategories,
    itemTitles: dataset.itemTitles
      ? Array.from(oldItemOf, (i) => (dataset.itemTitles as readonly string[])[i])
      : undefined,
    synthetic: dataset.synthetic,
    provenance: {
      ...dataset.provenance,
      source: dataset.provenance.source === 'synthetic' ? 'synthetic' : 'derived',
      derivations: [...(dataset.provenance.derivations ?? []), derivation],
    },
    loadReport: dataset.loadReport,
  });
}

function sortRow(
  indices: Int32Array,
  values: Float32Array,
  timestamps: Float64Array | undefined,
  start: number,
  end: number,
): void {
  const order = Array.from({ length: end - start }, (_, t) => start + t).sort((a, b) => indices[a] - indices[b]);
  const sortedIndices = order.map((p) => indices[p]);
  const sortedValues = order.map((p) => values[p]);
  const sortedTimes = timestamps ? order.map((p) => timestamps[p]) : undefined;
  for (let t = 0; t < order.length; t++) {
    indices[start + t] = sortedIndices[t];
    values[start + t] = sortedValues[t];
    if (timestamps && sortedTimes) timestamps[start + t] = sortedTimes[t];
  }
}

/** The identity map of length n. */
export function identityMap(n: number): Int32Array {
  const map = new Int32Array(n);
  for (let i = 0; i < n; i++) map[i] = i;
  return map;
}
