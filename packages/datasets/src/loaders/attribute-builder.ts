import { CsrMatrix } from '@trustrec/core-linalg';
import type { AttributeColumn, ItemCategories } from '../core/dataset.js';

/**
 * Aligns per-raw-id categorical values with a dense id list. `levels` fixes the level order (else sorted
 * distinct values); ids without a value get code -1.
 */
export function categoricalColumn(
  name: string,
  ids: readonly string[],
  valueFor: (id: string) => string | undefined,
  options: { levels?: readonly string[]; ordinal?: boolean; labels?: readonly string[] } = {},
): AttributeColumn {
  const values = ids.map(valueFor);
  const levels = options.levels
    ? [...options.levels]
    : [...new Set(values.filter((value): value is string => value !== undefined))].sort();
  const levelIndex = new Map(levels.map((level, index) => [level, index]));
  const codes = new Int32Array(ids.length);
  values.forEach((value, index) => {
    codes[index] = value === undefined ? -1 : (levelIndex.get(value) ?? -1);
  });
  return options.ordinal
    ? { kind: 'ordinal', name, codes, levels, labels: options.labels }
    : { kind: 'categorical', name, codes, levels };
}

/** Aligns per-raw-id numbers with a dense id list (NaN when missing). */
export function numericColumn(
  name: string,
  ids: readonly string[],
  valueFor: (id: string) => number | undefined,
): AttributeColumn {
  const values = new Float64Array(ids.length);
  ids.forEach((id, index) => {
    values[index] = valueFor(id) ?? Number.NaN;
  });
  return { kind: 'numeric', name, values };
}

/** Builds an items × categories 0/1 CSR from per-raw-id category index lists. */
export function buildItemCategories(
  itemIds: readonly string[],
  names: readonly string[],
  categoriesOf: (id: string) => readonly number[] | undefined,
): ItemCategories {
  const indptr = new Int32Array(itemIds.length + 1);
  const lists = itemIds.map((id) => [...new Set(categoriesOf(id) ?? [])].sort((a, b) => a - b));
  lists.forEach((list, index) => {
    indptr[index + 1] = indptr[index] + list.length;
  });
  const indices = new Int32Array(indptr[itemIds.length]);
  lists.forEach((list, index) => {
    indices.set(list, indptr[index]);
  });
  const values = new Float32Array(indices.length).fill(1);
  return { names, matrix: new CsrMatrix(itemIds.length, names.length, indptr, indices, values) };
}
