import { CsrMatrix, TrustRecError } from '@trustrec/core-linalg';
import { createDataset, type Dataset, type SourceFile } from '../core/dataset.js';
import { datasetParseError } from '../errors/dataset-parse-error.js';
import { parseIntegerField, parseNumberField, splitFields } from '../io/fields.js';
import { type LineHandler, forEachLineOfFile } from '../io/line-reader.js';
import type { SampledCandidates, Split } from '../splits/split.js';
import { type LoaderOptions, type ProgressEvent, createCollector, requireFile } from './loader-options.js';

/** One parsed `*.test.rating` / `*.train.rating` row: NCF user and item indices (0-based), rating, timestamp. */
export interface NcfRatingRow {
  readonly user: number;
  readonly item: number;
  readonly rating: number;
  readonly timestamp: number;
  readonly line: number;
}

/** Line parser of NCF `*.rating` files: `user \t item \t rating \t timestamp` (0-based integer indices). */
export function ncfRatingRow(rows: NcfRatingRow[], file: string): LineHandler {
  return (line, lineNumber) => {
    const fields = splitFields(line, '\t', 4, file, lineNumber);
    const user = parseIntegerField(fields[0], file, lineNumber, 'user');
    const item = parseIntegerField(fields[1], file, lineNumber, 'item');
    if (user < 0) throw datasetParseError({ file, line: lineNumber, field: 'user' }, 'index must be ≥ 0', fields[0]);
    if (item < 0) throw datasetParseError({ file, line: lineNumber, field: 'item' }, 'index must be ≥ 0', fields[1]);
    const rating = parseNumberField(fields[2], file, lineNumber, 'rating');
    const timestamp = parseIntegerField(fields[3], file, lineNumber, 'timestamp');
    rows.push({ user, item, rating, timestamp, line: lineNumber });
  };
}

/** One parsed `*.test.negative` row: the (user, item) pair and its sampled negatives. */
export interface NcfNegativeRow {
  readonly user: number;
  readonly item: number;
  readonly negatives: Int32Array;
  readonly line: number;
}

const PAIR = /^\((\d+),(\d+)\)$/;

/** Line parser of NCF `*.test.negative`: `(user,item) \t neg1 \t … \t negN`; N must be the same on every line. */
export function ncfNegativeRow(rows: NcfNegativeRow[], file: string): LineHandler {
  return (line, lineNumber) => {
    const fields = line.split('\t');
    const expected = rows.length > 0 ? rows[0].negatives.length + 1 : undefined;
    if (fields.length < 2 || (expected !== undefined && fields.length !== expected)) {
      throw datasetParseError(
        { file, line: lineNumber, field: 'line' },
        `expected ${expected ?? 'at least 2'} tab-separated fields, found ${fields.length} (wrong column count or truncated line)`,
        line,
      );
    }
    const match = PAIR.exec(fields[0]);
    if (!match)
      throw datasetParseError(
        { file, line: lineNumber, field: '(user,item)' },
        'expected "(user,item)" with integer indices',
        fields[0],
      );
    const negatives = new Int32Array(fields.length - 1);
    for (let t = 1; t < fields.length; t++) {
      const value = parseIntegerField(fields[t], file, lineNumber, `negative ${t}`);
      if (value < 0)
        throw datasetParseError({ file, line: lineNumber, field: `negative ${t}` }, 'index must be ≥ 0', fields[t]);
      negatives[t - 1] = value;
    }
    rows.push({ user: Number(match[1]), item: Number(match[2]), negatives, line: lineNumber });
  };
}

async function readRows<T>(
  directory: string,
  file: string,
  dataset: string,
  makeParser: (rows: T[], file: string) => LineHandler,
  onProgress?: (event: ProgressEvent) => void,
) {
  const rows: T[] = [];
  const full = requireFile(directory, file, dataset);
  const stats = await forEachLineOfFile(full, file, 'utf-8', makeParser(rows, file));
  onProgress?.({ phase: 'parse', file, done: stats.bytes, total: stats.bytes });
  if (rows.length === 0) {
    throw new TrustRecError({
      code: 'E_DATASET_PARSE',
      message: `${file}:1: field "line": the file has no data rows (empty or truncated file)`,
      details: { file, line: 1, field: 'line' },
    });
  }
  const source: SourceFile = { name: file, path: full, bytes: stats.bytes, sha256: stats.sha256 };
  return { rows, source, stats };
}

/**
 * Reads the NCF test files (`<prefix>.test.rating`, `<prefix>.test.negative`) and checks they agree line by line;
 * `onProgress` gets a `parse` event after each file.
 */
export async function readNcfTestFiles(
  directory: string,
  prefix: string,
  dataset: string,
  onProgress?: (event: ProgressEvent) => void,
) {
  const ratingFile = `${prefix}.test.rating`;
  const negativeFile = `${prefix}.test.negative`;
  const ratings = await readRows<NcfRatingRow>(directory, ratingFile, dataset, ncfRatingRow, onProgress);
  const negatives = await readRows<NcfNegativeRow>(directory, negativeFile, dataset, ncfNegativeRow, onProgress);
  if (ratings.rows.length !== negatives.rows.length) {
    throw datasetParseError(
      { file: negativeFile, line: negatives.rows.length, field: 'line' },
      `has ${negatives.rows.length} rows but ${ratingFile} has ${ratings.rows.length}`,
    );
  }
  negatives.rows.forEach((row, index) => {
    const rating = ratings.rows[index];
    if (row.user !== rating.user || row.item !== rating.item) {
      throw datasetParseError(
        { file: negativeFile, line: row.line, field: '(user,item)' },
        `does not match ${ratingFile} line ${rating.line} (${rating.user}, ${rating.item})`,
        `(${row.user},${row.item})`,
      );
    }
  });
  return { ratings, negatives };
}

/**
 * Builds the NCF split from a dataset whose dense indices are the NCF indices and the test files: test = each
 * listed pair (must be an interaction of the user, else the id mapping is wrong → E_DATASET_PARSE), train = every
 * other interaction, candidates = the positive followed by the published negatives.
 */
export function buildNcfSplit(
  dataset: Dataset,
  test: Awaited<ReturnType<typeof readNcfTestFiles>>,
  prefix: string,
): Split {
  const ratingFile = `${prefix}.test.rating`;
  const negativeFile = `${prefix}.test.negative`;
  const { interactions } = dataset;
  const parts = new Uint8Array(interactions.nnz);
  const rows = test.ratings.rows;
  const numCandidates = test.negatives.rows[0].negatives.length + 1;
  const users = new Int32Array(rows.length);
  const items = new Int32Array(rows.length * numCandidates);
  let positiveAmongNegatives = 0;
  rows.forEach((row, index) => {
    if (row.user >= dataset.numUsers || row.item >= dataset.numItems) {
      throw datasetParseError(
        { file: ratingFile, line: row.line, field: row.user >= dataset.numUsers ? 'user' : 'item' },
        `index outside the dataset (${dataset.numUsers} users, ${dataset.numItems} items)`,
        `${row.user}\t${row.item}`,
      );
    }
    let position = -1;
    for (let p = interactions.indptr[row.user]; p < interactions.indptr[row.user + 1]; p++)
      if (interactions.indices[p] === row.item) position = p;
    if (position < 0) {
      throw datasetParseError(
        { file: ratingFile, line: row.line, field: 'item' },
        `(${row.user}, ${row.item}) is not an interaction of that user in ${dataset.name}: the id mapping does not match`,
        `${row.user}\t${row.item}`,
      );
    }
    if (parts[position] === 1)
      throw datasetParseError(
        { file: ratingFile, line: row.line, field: 'user' },
        'the same test pair is listed twice',
      );
    parts[position] = 1;
    users[index] = row.user;
    const base = index * numCandidates;
    items[base] = row.item;
    const negatives = test.negatives.rows[index].negatives;
    for (let t = 0; t < negatives.length; t++) {
      if (negatives[t] >= dataset.numItems) {
        throw datasetParseError(
          { file: negativeFile, line: test.negatives.rows[index].line, field: `negative ${t + 1}` },
          `item index outside the dataset (${dataset.numItems} items)`,
          String(negatives[t]),
        );
      }
      if (negatives[t] === row.item) positiveAmongNegatives++;
    }
    items.set(negatives, base + 1);
  });
  const train = filterEntries(interactions, parts, 0);
  const testMatrix = filterEntries(interactions, parts, 1);
  const candidates: SampledCandidates = { users, items, numCandidates };
  const notes = [
    'published NCF/APR split: train = every interaction except each listed test pair; candidates = the published negatives, positive first',
  ];
  if (positiveAmongNegatives > 0) {
    notes.push(
      `${positiveAmongNegatives} candidate row(s) list the test item among the published negatives (quirk of the original sampler); a strict "negatives ranked above the positive" count is unaffected`,
    );
  }
  return {
    train,
    test: testMatrix,
    candidates,
    description: {
      method: 'ncf-published',
      dataset: dataset.name,
      options: { files: [ratingFile, negativeFile] },
      counts: { train: train.nnz, test: testMatrix.nnz },
      notes,
      summary: `published NCF split of ${dataset.name}: train ${train.nnz}, test ${testMatrix.nnz}, ${numCandidates - 1} negatives per test pair`,
    },
  };
}

function filterEntries(matrix: CsrMatrix, parts: Uint8Array, keep: number): CsrMatrix {
  const indptr = new Int32Array(matrix.numRows + 1);
  let count = 0;
  for (let p = 0; p < parts.length; p++) if (parts[p] === keep) count++;
  const indices = new Int32Array(count);
  const values = new Float32Array(count);
  let written = 0;
  for (let r = 0; r < matrix.numRows; r++) {
    for (let p = matrix.indptr[r]; p < matrix.indptr[r + 1]; p++) {
      if (parts[p] !== keep) continue;
      indices[written] = matrix.indices[p];
      values[written++] = matrix.values[p];
    }
    indptr[r + 1] = written;
  }
  return new CsrMatrix(matrix.numRows, matrix.numColumns, indptr, indices, values);
}

/**
 * Loads a complete NCF data folder (`<prefix>.train.rating`, `.test.rating`, `.test.negative`, as in
 * hexiangnan/neural_collaborative_filtering `Data/`): the dataset (train + test pairs, NCF indices as ids,
 * timestamps) and the published split with its negatives. `duplicates` and `onProgress` (a `parse` event per
 * file) work as in the other loaders; the files are always read strictly, so `invalidRows: 'skip'` is `E_CONFIG`:
 * a skipped row would change the published split (and break the line-by-line match of the test files).
 */
export async function loadNcfFiles(
  directory: string,
  prefix: string,
  options: LoaderOptions = {},
): Promise<{ dataset: Dataset; split: Split }> {
  const started = performance.now();
  const trainFile = `${prefix}.train.rating`;
  const collector = createCollector(options, true, 'error', 'loadNcfFiles');
  if (collector.invalidRows === 'skip') {
    throw new TrustRecError({
      code: 'E_CONFIG',
      message: `loadNcfFiles: option 'invalidRows' is "skip", but the NCF files (${prefix}.train.rating, ${prefix}.test.rating, ${prefix}.test.negative) are always read strictly: a skipped row would change the published split; drop invalidRows (or pass "error") and fix the file at the line the error names`,
      details: { option: 'invalidRows', value: options.invalidRows },
    });
  }
  const test = await readNcfTestFiles(directory, prefix, prefix, options.onProgress);
  const trainRows: NcfRatingRow[] = [];
  const trainRead = await readRows<NcfRatingRow>(directory, trainFile, prefix, ncfRatingRow, options.onProgress);
  trainRows.push(...trainRead.rows);
  let numUsers = 0;
  let numItems = 0;
  for (const row of [...trainRows, ...test.ratings.rows]) {
    numUsers = Math.max(numUsers, row.user + 1);
    numItems = Math.max(numItems, row.item + 1);
  }
  for (const row of test.negatives.rows) for (const item of row.negatives) numItems = Math.max(numItems, item + 1);
  // Intern ids 0..n-1 first so dense index = NCF index.
  for (let u = 0; u < numUsers; u++) collector.users.intern(String(u));
  for (let i = 0; i < numItems; i++) collector.items.intern(String(i));
  for (const row of trainRows) collector.add(String(row.user), String(row.item), row.rating, row.timestamp, row.line);
  for (const row of test.ratings.rows)
    collector.add(String(row.user), String(row.item), row.rating, row.timestamp, row.line);
  const built = collector.finish('first-appearance');
  const dataset = createDataset({
    name: prefix,
    interactions: new CsrMatrix(
      numUsers,
      numItems,
      built.matrix.indptr,
      built.matrix.indices,
      new Float32Array(built.matrix.nnz).fill(1),
    ),
    implicit: true,
    timestamps: built.timestamps,
    userIds: built.userIds,
    itemIds: built.itemIds,
    provenance: {
      source: 'local',
      files: [trainRead.source, test.ratings.source, test.negatives.source],
      loadOptions: { duplicates: collector.duplicates },
    },
    loadReport: {
      files: [],
      rowsRead: built.rowsRead,
      interactions: built.matrix.nnz,
      duplicatePolicy: collector.duplicates,
      duplicates: built.duplicateCount,
      rejectedRows: 0,
      rejected: [],
      notes: ['NCF files are implicit feedback: ratings set to 1', ...collector.notes],
      fromCache: false,
      milliseconds: performance.now() - started,
    },
  });
  return { dataset, split: buildNcfSplit(dataset, test, prefix) };
}
