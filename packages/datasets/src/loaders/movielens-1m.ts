import type { AttributeColumn, Dataset, ItemCategories, SourceFile } from '../core/dataset.js';
import type { InteractionCollector } from '../core/interaction-collector.js';
import { datasetParseError } from '../errors/dataset-parse-error.js';
import { idIntegerInRange, integerInRange, parseIdField, parseIntegerField, splitFields } from '../io/fields.js';
import type { LineHandler } from '../io/line-reader.js';
import { datasetFromCollected } from './assemble-dataset.js';
import { categoricalColumn } from './attribute-builder.js';
import { type LoaderOptions, createCollector, hasFile } from './loader-options.js';
import { MOVIELENS_INTEGER_SCALE, type MovieLensItem } from './movielens-100k.js';
import { MOVIELENS_LICENSE, movieLensItemSide, movieLensUrl } from './movielens-common.js';
import { parseRating } from './rating-scale.js';
import { readInteractionFile, readSideFile } from './read-file.js';

/** The 18 genres of ML-1M `movies.dat`, in the README's order. */
export const ML_1M_GENRES = [
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

/** ML-1M age bucket codes (ordinal) and their README labels. */
export const ML_1M_AGE_BUCKETS = ['1', '18', '25', '35', '45', '50', '56'] as const;
export const ML_1M_AGE_LABELS = ['Under 18', '18-24', '25-34', '35-44', '45-49', '50-55', '56+'] as const;

/** ML-1M occupation names by code 0–20 (README). */
export const ML_1M_OCCUPATIONS = [
  'other',
  'academic/educator',
  'artist',
  'clerical/admin',
  'college/grad student',
  'customer service',
  'doctor/health care',
  'executive/managerial',
  'farmer',
  'homemaker',
  'K-12 student',
  'lawyer',
  'programmer',
  'retired',
  'sales/marketing',
  'scientist',
  'self-employed',
  'technician/engineer',
  'tradesman/craftsman',
  'unemployed',
  'writer',
] as const;

/** Row parser of `ratings.dat`: `UserID::MovieID::Rating::Timestamp` (ratings 1–5). */
export function movieLens1mRatingRow(collector: InteractionCollector, file: string): LineHandler {
  return (line, lineNumber) => {
    // Hot path: positions of the three separators, numbers parsed in place; anything odd goes to the precise path.
    const first = line.indexOf('::');
    const second = first < 0 ? -1 : line.indexOf('::', first + 2);
    const third = second < 0 ? -1 : line.indexOf('::', second + 2);
    if (third > 0 && line.indexOf('::', third + 2) < 0) {
      const user = idIntegerInRange(line, 0, first);
      const item = idIntegerInRange(line, first + 2, second);
      const rating = integerInRange(line, second + 2, third);
      const timestamp = integerInRange(line, third + 2, line.length);
      if (!Number.isNaN(user) && !Number.isNaN(item) && !Number.isNaN(timestamp) && rating >= 1 && rating <= 5) {
        collector.addIntegerIds(user, item, rating, timestamp, lineNumber);
        return;
      }
    }
    const fields = splitFields(line, '::', 4, file, lineNumber);
    const user = parseIdField(fields[0], file, lineNumber, 'UserID');
    const item = parseIdField(fields[1], file, lineNumber, 'MovieID');
    const rating = parseRating(fields[2], MOVIELENS_INTEGER_SCALE, file, lineNumber, 'Rating');
    const timestamp = parseIntegerField(fields[3], file, lineNumber, 'Timestamp');
    collector.addIntegerIds(user, item, rating, timestamp, lineNumber);
  };
}

/** Row parser of `ratings_implicit.dat`: `UserID::MovieID` (value 1, no timestamp). */
export function movieLens1mImplicitRow(collector: InteractionCollector, file: string): LineHandler {
  return (line, lineNumber) => {
    const separator = line.indexOf('::');
    if (separator > 0 && line.indexOf('::', separator + 2) < 0) {
      const user = idIntegerInRange(line, 0, separator);
      const item = idIntegerInRange(line, separator + 2, line.length);
      if (!Number.isNaN(user) && !Number.isNaN(item)) {
        collector.addIntegerIds(user, item, 1, 0, lineNumber);
        return;
      }
    }
    const fields = splitFields(line, '::', 2, file, lineNumber);
    const user = parseIdField(fields[0], file, lineNumber, 'UserID');
    const item = parseIdField(fields[1], file, lineNumber, 'MovieID');
    collector.addIntegerIds(user, item, 1, 0, lineNumber);
  };
}

export interface MovieLens1mUser {
  readonly gender: string;
  readonly age: string;
  readonly occupation: number;
  readonly zip: string;
}

/** Line parser of `users.dat`: `UserID::Gender::Age::Occupation::Zip-code`. */
export function movieLens1mUserRow(users: Map<string, MovieLens1mUser>, file: string): LineHandler {
  return (line, lineNumber) => {
    const fields = splitFields(line, '::', 5, file, lineNumber);
    // The same canonical-id parse as the ratings file, so the key matches its ids.
    parseIdField(fields[0], file, lineNumber, 'UserID');
    if (fields[1] !== 'M' && fields[1] !== 'F')
      throw datasetParseError({ file, line: lineNumber, field: 'Gender' }, 'expected M or F', fields[1]);
    if (!(ML_1M_AGE_BUCKETS as readonly string[]).includes(fields[2])) {
      throw datasetParseError(
        { file, line: lineNumber, field: 'Age' },
        `expected an age bucket code (${ML_1M_AGE_BUCKETS.join(', ')})`,
        fields[2],
      );
    }
    const occupation = parseIntegerField(fields[3], file, lineNumber, 'Occupation');
    if (occupation < 0 || occupation > 20)
      throw datasetParseError(
        { file, line: lineNumber, field: 'Occupation' },
        'expected an occupation code 0–20',
        fields[3],
      );
    if (users.has(fields[0]))
      throw datasetParseError({ file, line: lineNumber, field: 'UserID' }, 'user listed twice', fields[0]);
    users.set(fields[0], { gender: fields[1], age: fields[2], occupation, zip: fields[4] });
  };
}

/** Line parser of `movies.dat` (latin-1): `MovieID::Title (Year)::Genre1|Genre2|…`. */
export function movieLens1mMovieRow(
  items: Map<string, MovieLensItem>,
  file: string,
  genres: readonly string[] = ML_1M_GENRES,
): LineHandler {
  return (line, lineNumber) => {
    const fields = splitFields(line, '::', 3, file, lineNumber);
    // The same canonical-id parse as the ratings file, so the key matches its ids.
    parseIdField(fields[0], file, lineNumber, 'MovieID');
    const list: number[] = [];
    for (const genre of fields[2].split('|')) {
      const index = genres.indexOf(genre);
      if (index < 0)
        throw datasetParseError(
          { file, line: lineNumber, field: 'Genres' },
          `unknown genre (expected one of ${genres.join(', ')})`,
          genre,
        );
      list.push(index);
    }
    if (items.has(fields[0]))
      throw datasetParseError({ file, line: lineNumber, field: 'MovieID' }, 'movie listed twice', fields[0]);
    items.set(fields[0], { title: fields[1], genres: list });
  };
}

/**
 * Loads MovieLens 1M from `directory`: `ratings.dat` (explicit 1–5 with timestamps) or, when only
 * `ratings_implicit.dat` is present, implicit pairs without timestamps (said in the load report); `users.dat`
 * (gender, ordinal age bucket, occupation) and `movies.dat` (latin-1, 18 genres). Dense indices follow first
 * appearance in the ratings file: user index = UserID − 1 and item index = the NCF item index (see ml-1m/ncf).
 */
export async function loadMovieLens1m(directory: string, options: LoaderOptions = {}): Promise<Dataset> {
  const started = performance.now();
  const name = 'ml-1m';
  const explicit = hasFile(directory, 'ratings.dat');
  const collector = createCollector(options, explicit, 'keep-last', 'loadMovieLens1m');
  const files: SourceFile[] = [];
  const ratingsFile = explicit ? 'ratings.dat' : 'ratings_implicit.dat';
  const rowParser = explicit
    ? movieLens1mRatingRow(collector, ratingsFile)
    : movieLens1mImplicitRow(collector, ratingsFile);
  if (!explicit && !hasFile(directory, ratingsFile)) {
    // Neither file: report the original one as missing.
    files.push(await readInteractionFile(collector, directory, 'ratings.dat', name, 'utf-8', rowParser, options));
  }
  files.push(await readInteractionFile(collector, directory, ratingsFile, name, 'utf-8', rowParser, options));
  const built = collector.finish('first-appearance');
  const notes: string[] = [];
  if (!explicit)
    notes.push(
      'ratings.dat absent: loaded ratings_implicit.dat as implicit feedback (values 1, no ratings, no timestamps)',
    );
  let userAttributes: { columns: AttributeColumn[] } | undefined;
  if (hasFile(directory, 'users.dat')) {
    const users = new Map<string, MovieLens1mUser>();
    files.push(
      (await readSideFile(directory, 'users.dat', name, 'latin1', movieLens1mUserRow(users, 'users.dat'))).source,
    );
    const missing = built.userIds.filter((id) => !users.has(id)).length;
    if (missing > 0) notes.push(`users.dat: ${missing} rating user(s) have no profile (attribute code -1)`);
    userAttributes = {
      columns: [
        categoricalColumn('gender', built.userIds, (id) => users.get(id)?.gender, { levels: ['F', 'M'] }),
        categoricalColumn('age', built.userIds, (id) => users.get(id)?.age, {
          levels: ML_1M_AGE_BUCKETS,
          ordinal: true,
          labels: ML_1M_AGE_LABELS,
        }),
        categoricalColumn(
          'occupation',
          built.userIds,
          (id) => {
            const code = users.get(id)?.occupation;
            return code === undefined ? undefined : ML_1M_OCCUPATIONS[code];
          },
          { levels: ML_1M_OCCUPATIONS },
        ),
      ],
    };
  } else notes.push('users.dat absent: no user attributes');
  let itemCategories: ItemCategories | undefined;
  let itemTitles: string[] | undefined;
  if (hasFile(directory, 'movies.dat')) {
    const items = new Map<string, MovieLensItem>();
    files.push(
      (await readSideFile(directory, 'movies.dat', name, 'latin1', movieLens1mMovieRow(items, 'movies.dat'))).source,
    );
    ({ itemCategories, itemTitles } = movieLensItemSide(
      built.itemIds,
      items,
      ML_1M_GENRES,
      'movies.dat',
      'movie',
      notes,
    ));
  } else notes.push('movies.dat absent: no item genres');
  return datasetFromCollected(collector, built, {
    name,
    implicit: !explicit,
    ratingScale: explicit ? { min: 1, max: 5 } : undefined,
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
