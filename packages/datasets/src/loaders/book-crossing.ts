import type { Dataset, SourceFile } from '../core/dataset.js';
import type { InteractionCollector } from '../core/interaction-collector.js';
import { datasetParseError } from '../errors/dataset-parse-error.js';
import { parseIdField, parseIntegerField, requireFieldCount, requireIdField, splitQuotedFields } from '../io/fields.js';
import type { LineHandler } from '../io/line-reader.js';
import { assembleDataset } from './assemble-dataset.js';
import { numericColumn } from './attribute-builder.js';
import { type LoaderOptions, createCollector, hasFile } from './loader-options.js';
import { type DeclaredScale, parseRating } from './rating-scale.js';
import { readInteractionFile, readSideFile } from './read-file.js';

/** Book-Crossing scale: 0 (implicit interaction) and explicit 1–10. */
export const BOOK_CROSSING_SCALE: DeclaredScale = { min: 0, max: 10, step: 1 };

/** Row parser of `BX-Book-Ratings.csv`: `"User-ID";"ISBN";"Book-Rating"` (quoted, `;`-separated, latin-1). */
export function bookCrossingRatingRow(collector: InteractionCollector, file: string): LineHandler {
  return (line, lineNumber) => {
    const fields = splitQuotedFields(line, ';', file, lineNumber);
    requireFieldCount(fields, 3, file, lineNumber, line);
    // User-IDs are integers kept as their decimal text: a non-canonical one ("01") would never match the users file.
    parseIdField(fields[0], file, lineNumber, 'User-ID');
    // ISBNs are strings (leading zeros and an X check digit are part of the id).
    requireIdField(fields[1], file, lineNumber, 'ISBN');
    const rating = parseRating(fields[2], BOOK_CROSSING_SCALE, file, lineNumber, 'Book-Rating');
    collector.add(fields[0], fields[1], rating, 0, lineNumber);
  };
}

/** Line parser of `BX-Users.csv`: `"User-ID";"Location";"Age"` (Age `NULL` = missing). */
export function bookCrossingUserRow(users: Map<string, { location: string; age?: number }>, file: string): LineHandler {
  return (line, lineNumber) => {
    const fields = splitQuotedFields(line, ';', file, lineNumber);
    requireFieldCount(fields, 3, file, lineNumber, line);
    // The same canonical-id parse as the ratings file, so the key matches its ids.
    parseIdField(fields[0], file, lineNumber, 'User-ID');
    const age = fields[2] === 'NULL' ? undefined : parseIntegerField(fields[2], file, lineNumber, 'Age');
    if (age !== undefined && (age < 0 || age > 250))
      throw datasetParseError({ file, line: lineNumber, field: 'Age' }, 'age outside 0–250', fields[2]);
    users.set(fields[0], { location: fields[1], age });
  };
}

const RATINGS_HEADER = '"User-ID";"ISBN";"Book-Rating"';

/**
 * Loads Book-Crossing (Ziegler et al., WWW 2005): explicit ratings 1–10 and implicit 0s on one 0–10 scale (use
 * `toImplicit` or a threshold to separate them); latin-1; user age when `BX-Users.csv` is present.
 */
export async function loadBookCrossing(directory: string, options: LoaderOptions = {}): Promise<Dataset> {
  const started = performance.now();
  const collector = createCollector(options, false, 'keep-last', 'loadBookCrossing');
  const file = 'BX-Book-Ratings.csv';
  const files: SourceFile[] = [
    await readInteractionFile(
      collector,
      directory,
      file,
      'book-crossing',
      'latin1',
      bookCrossingRatingRow(collector, file),
      {
        ...options,
        headerLines: 1,
        checkHeader: (line, lineNumber) => {
          if (line !== RATINGS_HEADER)
            throw datasetParseError(
              { file, line: lineNumber, field: 'header' },
              `expected the header ${RATINGS_HEADER}`,
              line,
            );
        },
      },
    ),
  ];
  const users = new Map<string, { location: string; age?: number }>();
  if (hasFile(directory, 'BX-Users.csv')) {
    let header = true;
    const parseUser = bookCrossingUserRow(users, 'BX-Users.csv');
    files.push(
      (
        await readSideFile(directory, 'BX-Users.csv', 'book-crossing', 'latin1', (line, lineNumber) => {
          if (header) {
            header = false;
            return;
          }
          parseUser(line, lineNumber);
        })
      ).source,
    );
  }
  return assembleDataset(collector, {
    name: 'book-crossing',
    implicit: false,
    ratingScale: { min: 0, max: 10 },
    files,
    license: 'Book-Crossing: research use; cite Ziegler et al. (2005)',
    started,
    notes: ['rating 0 marks an implicit interaction, 1–10 explicit ratings'],
    userAttributes:
      users.size === 0
        ? undefined
        : (userIds) => ({ columns: [numericColumn('age', userIds, (id) => users.get(id)?.age)] }),
  });
}
