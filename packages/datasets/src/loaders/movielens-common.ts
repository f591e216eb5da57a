import type { ItemCategories } from '../core/dataset.js';
import { buildItemCategories } from './attribute-builder.js';
import type { MovieLensItem } from './movielens-100k.js';

/** GroupLens' terms for every MovieLens release (Harper & Konstan, "The MovieLens Datasets", ACM TiiS 2015). */
export const MOVIELENS_LICENSE =
  'GroupLens research-use terms: cite Harper & Konstan (2015); no redistribution without permission';

/** Download address of the MovieLens release `name` (`ml-100k`, `ml-1m`, `ml-20m`, …) on files.grouplens.org. */
export function movieLensUrl(name: string): string {
  return `https://files.grouplens.org/datasets/movielens/${name}.zip`;
}

/**
 * Genres and titles of the rated movies, from a parsed movie list (`u.item`, `movies.dat`) whose genres index
 * `genres`; pushes a note for rated movies the list lacks (no genres, empty title) and for listed movies nobody
 * rated (not part of the dataset). `noun` names the entries in those notes.
 */
export function movieLensItemSide(
  itemIds: readonly string[],
  items: ReadonlyMap<string, MovieLensItem>,
  genres: readonly string[],
  file: string,
  noun: 'item' | 'movie',
  notes: string[],
): { itemCategories: ItemCategories; itemTitles: string[] } {
  const missing = itemIds.filter((id) => !items.has(id)).length;
  if (missing > 0) notes.push(`${file}: ${missing} rated ${noun}(s) are not listed (no genres)`);
  const unrated = items.size - (itemIds.length - missing);
  if (unrated > 0) notes.push(`${file}: ${unrated} listed ${noun}(s) have no ratings and are not part of the dataset`);
  return {
    itemCategories: buildItemCategories(itemIds, genres, (id) => items.get(id)?.genres),
    itemTitles: itemIds.map((id) => items.get(id)?.title ?? ''),
  };
}
