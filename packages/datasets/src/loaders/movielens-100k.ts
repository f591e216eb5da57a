import { datasetParseError } from '../errors/dataset-parse-error.js';
import type { AttributeColumn, Dataset, ItemCategories, SourceFile } from '../core/dataset.js';
import type { InteractionCollector } from '../core/interaction-collector.js';
import type { LineHandler } from '../io/line-reader.js';
import { parseIdField, parseIntegerField, requireIdField, splitFields } from '../io/fields.js';
import { datasetFromCollected } from './assemble-dataset.js';
import { categoricalColumn, numericColumn } from './attribute-builder.js';
import { type LoaderOptions, createCollector, hasFile } from './loader-options.js';
import { parseRating, type DeclaredScale } from './rating-scale.js';
import { MOVIELENS_LICENSE, movieLensItemSide, movieLensUrl } from './movielens-common.js';
import { readInteractionFile, readSideFile } from './read-file.js';

/** MovieLens rating scale: integers 1–5. */
export const MOVIELENS_INTEGER_SCALE: DeclaredScale = { min: 1, max: 5, step: 1 };

/** The 19 genres of ML-100K in `u.genre` order (flag columns 6–24 of `u.item`). */
export const ML_100K_GENRES = [
  'unknown',
  'Action',
  'Adventure',
  'Animation',
  "Children's",
  'Comedy',
  'Crime',
  'Documentary',
  'Drama',
  'Fantasy',
  'Film-Noir',
  'Horror',
  'Musical',
  'Mystery',
  'Romance',
  'Sci-Fi',
  'Thriller',
  'War',
  'Western',
] as const;

/** Row parser of `u.data` (and `u1.base` …): `user \t item \t rating \t timestamp`. */
export function movieLens100kRatingRow(collector: InteractionCollector, file: string): LineHandler {
  return (line, lineNumber) => {
    const fields = splitFields(line, '\t', 4, file, lineNumber);
    const user = parseIdField(fields[0], file, lineNumber, 'user_id');
    const item = parseIdField(fields[1], file, lineNumber, 'item_id');
    const rating = parseRating(fields[2], MOVIELENS_INTEGER_SCALE, file, lineNumber);
    const timestamp = parseIntegerField(fields[3], file, lineNumber, 'timestamp');
    collector.addIntegerIds(user, item, rating, timestamp, lineNumber);
  };
}

export interface MovieLens100kUser {
  readonly age: number;
  readonly gender: string;
  readonly occupation: string;
  readonly zip: string;
}

/** Line parser of `u.user`: `id|age|gender|occupation|zip`, into `users`. */
export function movieLens100kUserRow(
  users: Map<string, MovieLens100kUser>,
  file: string,
  occupations?: readonly string[],
): LineHandler {
  return (line, lineNumber) => {
    const fields = splitFields(line, '|', 5, file, lineNumber);
    // The same canonical-id parse as the ratings file, so the key matches its ids.
    parseIdField(fields[0], file, lineNumber, 'user_id');
    const age = parseIntegerField(fields[1], file, lineNumber, 'age');
    if (age < 0 || age > 120)
      throw datasetParseError({ file, line: lineNumber, field: 'age' }, `age ${age} is outside 0–120`, fields[1]);
    if (fields[2] !== 'M' && fields[2] !== 'F')
      throw datasetParseError({ file, line: lineNumber, field: 'gender' }, 'expected M or F', fields[2]);
    requireIdField(fields[3], file, lineNumber, 'occupation');
    if (occupations && !occupations.includes(fields[3])) {
      throw datasetParseError(
        { file, line: lineNumber, field: 'occupation' },
        'occupation is not listed in u.occupation',
        fields[3],
      );
    }
    if (users.has(fields[0]))
      throw datasetParseError({ file, line: lineNumber, field: 'user_id' }, 'user listed twice', fields[0]);
    users.set(fields[0], { age, gender: fields[2], occupation: fields[3], zip: fields[4] });
  };
}

export interface MovieLensItem {
  readonly title: string;
  readonly genres: readonly number[];
}

/** Line parser of `u.item` (latin-1): `id|title|release|video release|url|` + 19 genre flags (0/1). */
export function movieLens100kItemRow(items: Map<string, MovieLensItem>, file: string): LineHandler {
  return (line, lineNumber) => {
    const fields = splitFields(line, '|', 5 + ML_100K_GENRES.length, file, lineNumber);
    // The same canonical-id parse as the ratings file, so the key matches its ids.
    parseIdField(fields[0], file, lineNumber, 'movie_id');
    const genres: number[] = [];
    for (let g = 0; g < ML_100K_GENRES.length; g++) {
      const flag = fields[5 + g];
      if (flag === '1') genres.push(g);
      else if (flag !== '0')
        throw datasetParseError(
          { file, line: lineNumber, field: `genre ${ML_100K_GENRES[g]}` },
          'expected a 0/1 flag',
          flag,
        );
    }
    if (items.has(fields[0]))
      throw datasetParseError({ file, line: lineNumber, field: 'movie_id' }, 'movie listed twice', fields[0]);
    items.set(fields[0], { title: fields[1], genres });
  };
}

/**
 * Loads MovieLens 100K from `directory` (`u.data`, and when present `u.user`, `u.item` latin-1, `u.occupation`).
 * Dense indices follow ascending raw ids (index = id − 1 for the original release). Explicit ratings 1–5 with
 * timestamps; users get gender (categorical), age (numeric, years) and occupation (categorical); items get 19 genres.
 * Harper & Konstan, "The MovieLens Datasets: History and Context", ACM TiiS 2015.
 */
export async function loadMovieLens100k(directory: string, options: LoaderOptions = {}): Promise<Dataset> {
  const started = performance.now();
  const name = 'ml-100k';
  const collector = createCollector(options, true, 'keep-last', 'loadMovieLens100k');
  const files: SourceFile[] = [];
  files.push(
    await readInteractionFile(
      collector,
      directory,
      'u.data',
      name,
      'utf-8',
      movieLens100kRatingRow(collector, 'u.data'),
      options,
    ),
  );
  const built = collector.finish('sorted');
  const notes: string[] = [];
  let userAttributes: { columns: AttributeColumn[] } | undefined;
  if (hasFile(directory, 'u.user')) {
    const users = new Map<string, MovieLens100kUser>();
    let occupationLevels: string[] | undefined;
    if (hasFile(directory, 'u.occupation')) {
      const levels: string[] = [];
      files.push(
        (await readSideFile(directory, 'u.occupation', name, 'latin1', (line) => levels.push(line.trim()))).source,
      );
      occupationLevels = levels;
    }
    files.push(
      (await readSideFile(directory, 'u.user', name, 'latin1', movieLens100kUserRow(users, 'u.user', occupationLevels)))
        .source,
    );
    const missing = built.userIds.filter((id) => !users.has(id)).length;
    if (missing > 0) notes.push(`u.user: ${missing} rating user(s) have no profile (attribute code -1 / NaN)`);
    userAttributes = {
      columns: [
        categoricalColumn('gender', built.userIds, (id) => users.get(id)?.gender, { levels: ['F', 'M'] }),
        numericColumn('age', built.userIds, (id) => users.get(id)?.age),
        categoricalColumn('occupation', built.userIds, (id) => users.get(id)?.occupation, { levels: occupationLevels }),
      ],
    };
  } else notes.push('u.user absent: no user attributes');
  let itemCategories: ItemCategories | undefined;
  let itemTitles: string[] | undefined;
  if (hasFile(directory, 'u.item')) {
    const items = new Map<string, MovieLensItem>();
    files.push((await readSideFile(directory, 'u.item', name, 'latin1', movieLens100kItemRow(items, 'u.item'))).source);
    ({ itemCategories, itemTitles } = movieLensItemSide(built.itemIds, items, ML_100K_GENRES, 'u.item', 'item', notes));
  } else notes.push('u.item absent: no item genres');
  return datasetFromCollected(collector, built, {
    name,
    implicit: false,
    ratingScale: { min: 1, max: 5 },
    files,
    url: movieLensUrl(name),
    license: MOVIELENS_LICENSE,
    started,
    notes,
    userAttributes,
    itemCategories,
    itemTitles,
  });
}
