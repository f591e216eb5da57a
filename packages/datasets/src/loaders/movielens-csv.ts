import type { Dataset, ItemCategories, SourceFile } from '../core/dataset.js';
import type { InteractionCollector } from '../core/interaction-collector.js';
import { datasetParseError } from '../errors/dataset-parse-error.js';
import {
  decimalInRange,
  idIntegerInRange,
  integerInRange,
  parseIdField,
  parseIntegerField,
  requireFieldCount,
  splitFields,
  splitQuotedFields,
} from '../io/fields.js';
import type { LineHandler } from '../io/line-reader.js';
import { datasetFromCollected } from './assemble-dataset.js';
import { buildItemCategories } from './attribute-builder.js';
import { type LoaderOptions, createCollector, hasFile } from './loader-options.js';
import { MOVIELENS_LICENSE, movieLensUrl } from './movielens-common.js';
import { type DeclaredScale, parseRating } from './rating-scale.js';
import { readInteractionFile, readSideFile } from './read-file.js';

/** MovieLens 20M/25M/latest scale: half stars 0.5–5. */
export const MOVIELENS_HALF_STAR_SCALE: DeclaredScale = { min: 0.5, max: 5, step: 0.5 };

/** Header check of `ratings.csv`. */
export function checkRatingsCsvHeader(file: string): LineHandler {
  return (line, lineNumber) => {
    if (line !== 'userId,movieId,rating,timestamp') {
      throw datasetParseError(
        { file, line: lineNumber, field: 'header' },
        'expected the header "userId,movieId,rating,timestamp"',
        line,
      );
    }
  };
}

/** Row parser of `ratings.csv`: `userId,movieId,rating,timestamp` (hot path without allocation, precise fallback). */
export function movieLensCsvRatingRow(collector: InteractionCollector, file: string): LineHandler {
  return (line, lineNumber) => {
    const first = line.indexOf(',');
    const second = first < 0 ? -1 : line.indexOf(',', first + 1);
    const third = second < 0 ? -1 : line.indexOf(',', second + 1);
    if (third > 0 && line.indexOf(',', third + 1) < 0) {
      const user = idIntegerInRange(line, 0, first);
      const item = idIntegerInRange(line, first + 1, second);
      const rating = decimalInRange(line, second + 1, third);
      const timestamp = integerInRange(line, third + 1, line.length);
      const steps = rating * 2;
      if (
        !Number.isNaN(user) &&
        !Number.isNaN(item) &&
        !Number.isNaN(timestamp) &&
        rating >= 0.5 &&
        rating <= 5 &&
        steps === Math.round(steps)
      ) {
        collector.addIntegerIds(user, item, rating, timestamp, lineNumber);
        return;
      }
    }
    const fields = splitFields(line, ',', 4, file, lineNumber);
    const user = parseIdField(fields[0], file, lineNumber, 'userId');
    const item = parseIdField(fields[1], file, lineNumber, 'movieId');
    const rating = parseRating(fields[2], MOVIELENS_HALF_STAR_SCALE, file, lineNumber);
    const timestamp = parseIntegerField(fields[3], file, lineNumber, 'timestamp');
    collector.addIntegerIds(user, item, rating, timestamp, lineNumber);
  };
}

/** Line parser of `movies.csv`: `movieId,title,genres` (RFC 4180 quoting; genres `|`-separated; `(no genres listed)`). */
export function movieLensCsvMovieRow(
  movies: Map<string, { title: string; genres: string[] }>,
  file: string,
): LineHandler {
  return (line, lineNumber) => {
    const fields = splitQuotedFields(line, ',', file, lineNumber);
    requireFieldCount(fields, 3, file, lineNumber, line);
    // The same canonical-id parse as the ratings file, so the key matches its ids.
    parseIdField(fields[0], file, lineNumber, 'movieId');
    if (movies.has(fields[0]))
      throw datasetParseError({ file, line: lineNumber, field: 'movieId' }, 'movie listed twice', fields[0]);
    const genres = fields[2] === '(no genres listed)' ? [] : fields[2].split('|');
    if (genres.some((genre) => genre.length === 0))
      throw datasetParseError({ file, line: lineNumber, field: 'genres' }, 'empty genre name', fields[2]);
    movies.set(fields[0], { title: fields[1], genres });
  };
}

/**
 * Loads MovieLens 20M / 25M / latest (`ratings.csv` with header, half-star ratings 0.5–5, Unix timestamps),
 * streamed in 4 MiB chunks into typed arrays (peak memory ≈ 24 bytes per rating while parsing plus the CSR).
 * Dense indices follow first appearance (users are grouped in the file, so user index follows userId).
 * `movies.csv` adds genres (names in first-seen order).
 */
export async function loadMovieLensCsv(name: string, directory: string, options: LoaderOptions = {}): Promise<Dataset> {
  const started = performance.now();
  const collector = createCollector(options, true, 'keep-last', 'loadMovieLensCsv');
  const files: SourceFile[] = [];
  files.push(
    await readInteractionFile(
      collector,
      directory,
      'ratings.csv',
      name,
      'utf-8',
      movieLensCsvRatingRow(collector, 'ratings.csv'),
      {
        ...options,
        headerLines: 1,
        checkHeader: checkRatingsCsvHeader('ratings.csv'),
      },
    ),
  );
  const built = collector.finish('first-appearance');
  const notes: string[] = [];
  let itemCategories: ItemCategories | undefined;
  let itemTitles: string[] | undefined;
  if (hasFile(directory, 'movies.csv')) {
    const movies = new Map<string, { title: string; genres: string[] }>();
    let header = true;
    const parseMovie = movieLensCsvMovieRow(movies, 'movies.csv');
    files.push(
      (
        await readSideFile(directory, 'movies.csv', name, 'utf-8', (line, lineNumber) => {
          if (header) {
            header = false;
            splitFields(line, ',', 3, 'movies.csv', lineNumber);
            return;
          }
          parseMovie(line, lineNumber);
        })
      ).source,
    );
    const names: string[] = [];
    const nameIndex = new Map<string, number>();
    for (const movie of movies.values())
      for (const genre of movie.genres) if (!nameIndex.has(genre)) nameIndex.set(genre, names.push(genre) - 1);
    itemCategories = buildItemCategories(built.itemIds, names, (id) =>
      movies.get(id)?.genres.map((genre) => nameIndex.get(genre) as number),
    );
    itemTitles = built.itemIds.map((id) => movies.get(id)?.title ?? '');
    const missing = built.itemIds.filter((id) => !movies.has(id)).length;
    if (missing > 0) notes.push(`movies.csv: ${missing} rated movie(s) are not listed (no genres)`);
  } else notes.push('movies.csv absent: no item genres');
  return datasetFromCollected(collector, built, {
    name,
    implicit: false,
    ratingScale: { min: 0.5, max: 5 },
    files,
    url: movieLensUrl(name),
    license: MOVIELENS_LICENSE,
    started,
    notes,
    itemCategories,
    itemTitles,
  });
}
