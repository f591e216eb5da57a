import path from 'node:path';
import { argumentError, requireFinite, requireInteger, rejectUnknownOptions } from '@trustrec/core-linalg';
import { requireOneOf } from '../core/check-options.js';
import type { Dataset } from '../core/dataset.js';
import type { IdOrder } from '../core/interaction-collector.js';
import { datasetParseError } from '../errors/dataset-parse-error.js';
import { parseNumberField, requireFieldCount, requireIdField, splitFields, splitQuotedFields } from '../io/fields.js';
import type { LineHandler, TextEncoding } from '../io/line-reader.js';
import { assembleDataset } from './assemble-dataset.js';
import { LOADER_OPTION_NAMES, type LoaderOptions, createCollector } from './loader-options.js';
import { type DeclaredScale, parseRating } from './rating-scale.js';
import { readInteractionFile } from './read-file.js';

/** A column by 0-based index or by header name (needs `header: true`). */
export type ColumnRef = number | string;

export interface DelimitedOptions extends LoaderOptions {
  /** Dataset name for reports (default: the file name). */
  readonly name?: string;
  /** Field separator: one character, or a string like `::` (default `,`). */
  readonly delimiter?: string;
  /** RFC 4180 quotes (one-character delimiters only; default false). */
  readonly quoted?: boolean;
  /** The first line is a header (default false). */
  readonly header?: boolean;
  readonly encoding?: TextEncoding;
  /** Expected number of fields per line (default: the header's or the first line's count). */
  readonly fieldCount?: number;
  readonly columns: {
    readonly user: ColumnRef;
    readonly item: ColumnRef;
    readonly rating?: ColumnRef;
    readonly timestamp?: ColumnRef;
  };
  /** Declared rating scale (required with a rating column, so out-of-scale values are caught). */
  readonly ratingScale?: DeclaredScale;
  /** How the timestamp column is written: Unix seconds (default), milliseconds, or ISO-8601 text. */
  readonly timestampFormat?: 'unix-seconds' | 'unix-milliseconds' | 'iso-8601';
  readonly idOrder?: IdOrder;
}

const DELIMITED_OPTION_NAMES = [
  ...LOADER_OPTION_NAMES,
  'name',
  'delimiter',
  'quoted',
  'header',
  'encoding',
  'fieldCount',
  'columns',
  'ratingScale',
  'timestampFormat',
  'idOrder',
];

/**
 * Loads any delimited interaction file with a column mapping (user, item, optional rating, optional timestamp):
 * the same precise errors, duplicate policy and load report as the named loaders. Without a rating column the
 * data are implicit (values 1).
 */
export async function loadDelimited(file: string, options: DelimitedOptions): Promise<Dataset> {
  const where = 'loadDelimited';
  const started = performance.now();
  rejectUnknownOptions(where, options, DELIMITED_OPTION_NAMES);
  rejectUnknownOptions(where, options.columns, ['user', 'item', 'rating', 'timestamp'], 'columns');
  if (options.timestampFormat !== undefined)
    requireOneOf(where, 'timestampFormat', options.timestampFormat, ['unix-seconds', 'unix-milliseconds', 'iso-8601']);
  if (options.idOrder !== undefined) requireOneOf(where, 'idOrder', options.idOrder, ['first-appearance', 'sorted']);
  if (options.encoding !== undefined) requireOneOf(where, 'encoding', options.encoding, ['utf-8', 'latin1']);
  if (options.fieldCount !== undefined) requireInteger(where, 'fieldCount', options.fieldCount, 1);
  if (options.ratingScale !== undefined) {
    const { min, max, step } = options.ratingScale;
    requireFinite(where, 'ratingScale.min', min);
    requireFinite(where, 'ratingScale.max', max);
    requireFinite(where, 'ratingScale.step', step, 'positive');
    if (min > max)
      throw argumentError(where, `ratingScale.min (${min}) must not exceed ratingScale.max (${max})`, {
        option: 'ratingScale',
      });
  }
  const delimiter = options.delimiter ?? ',';
  if (delimiter.length === 0) throw argumentError(where, 'delimiter must not be empty', { option: 'delimiter' });
  if (options.quoted && delimiter.length !== 1)
    throw argumentError(where, 'quoted fields need a one-character delimiter', { option: 'quoted' });
  const { columns } = options;
  if (columns.rating !== undefined && !options.ratingScale)
    throw argumentError(where, 'a rating column needs ratingScale ({ min, max, step })', { option: 'ratingScale' });
  const explicit = columns.rating !== undefined;
  const name = options.name ?? path.basename(file);
  const base = path.basename(file);
  const collector = createCollector(options, columns.timestamp !== undefined);
  let fieldCount = options.fieldCount;
  let resolved: { user: number; item: number; rating: number; timestamp: number } | undefined;
  const split = (line: string, lineNumber: number) => {
    if (options.quoted) {
      const fields = splitQuotedFields(line, delimiter, base, lineNumber);
      if (fieldCount !== undefined) requireFieldCount(fields, fieldCount, base, lineNumber, line);
      return fields;
    }
    return fieldCount !== undefined
      ? splitFields(line, delimiter, fieldCount, base, lineNumber)
      : line.split(delimiter);
  };
  const resolve = (header: string[] | undefined, lineNumber: number) => {
    const index = (reference: ColumnRef | undefined, label: string): number => {
      if (reference === undefined) return -1;
      if (typeof reference === 'number') {
        if (!Number.isInteger(reference) || reference < 0 || (fieldCount !== undefined && reference >= fieldCount)) {
          throw argumentError(
            where,
            `columns.${label} = ${reference} is not a column of ${base} (${fieldCount} fields)`,
            { option: `columns.${label}` },
          );
        }
        return reference;
      }
      if (!header)
        throw argumentError(where, `columns.${label} is a name ("${reference}") but header is false`, {
          option: `columns.${label}`,
        });
      const position = header.indexOf(reference);
      if (position < 0)
        throw datasetParseError(
          { file: base, line: lineNumber, field: 'header' },
          `no column named "${reference}" (columns: ${header.join(', ')})`,
        );
      return position;
    };
    resolved = {
      user: index(columns.user, 'user'),
      item: index(columns.item, 'item'),
      rating: index(columns.rating, 'rating'),
      timestamp: index(columns.timestamp, 'timestamp'),
    };
  };
  const parseRow: LineHandler = (line, lineNumber) => {
    if (fieldCount === undefined) fieldCount = split(line, lineNumber).length;
    if (!resolved) resolve(undefined, lineNumber);
    const fields = split(line, lineNumber);
    const spec = resolved as NonNullable<typeof resolved>;
    const user = requireIdField(fields[spec.user], base, lineNumber, 'user');
    const item = requireIdField(fields[spec.item], base, lineNumber, 'item');
    const rating =
      spec.rating >= 0 ? parseRating(fields[spec.rating], options.ratingScale as DeclaredScale, base, lineNumber) : 1;
    let timestamp = 0;
    if (spec.timestamp >= 0) {
      const text = fields[spec.timestamp];
      if (options.timestampFormat === 'iso-8601') {
        timestamp = Date.parse(text) / 1000;
        if (Number.isNaN(timestamp))
          throw datasetParseError(
            { file: base, line: lineNumber, field: 'timestamp' },
            'expected an ISO-8601 time',
            text,
          );
      } else {
        timestamp = parseNumberField(text, base, lineNumber, 'timestamp');
        if (options.timestampFormat === 'unix-milliseconds') timestamp /= 1000;
      }
    }
    collector.add(user, item, rating, timestamp, lineNumber);
  };
  const files = [
    await readInteractionFile(collector, path.dirname(file), base, name, options.encoding ?? 'utf-8', parseRow, {
      ...options,
      headerLines: options.header ? 1 : 0,
      checkHeader: (line, lineNumber) => {
        const header = options.quoted ? splitQuotedFields(line, delimiter, base, lineNumber) : line.split(delimiter);
        fieldCount ??= header.length;
        resolve(header, lineNumber);
      },
    }),
  ];
  return assembleDataset(collector, {
    name,
    implicit: !explicit,
    ratingScale: explicit
      ? { min: (options.ratingScale as DeclaredScale).min, max: (options.ratingScale as DeclaredScale).max }
      : undefined,
    files,
    started,
    order: options.idOrder,
  });
}
