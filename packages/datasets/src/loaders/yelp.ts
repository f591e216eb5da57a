import path from 'node:path';
import { CsrMatrix } from '@trustrec/core-linalg';
import type { Dataset, SourceFile } from '../core/dataset.js';
import type { InteractionCollector } from '../core/interaction-collector.js';
import { datasetParseError } from '../errors/dataset-parse-error.js';
import type { LineHandler } from '../io/line-reader.js';
import { assembleDataset } from './assemble-dataset.js';
import { type LoaderOptions, createCollector, hasFile } from './loader-options.js';
import { readInteractionFile, readSideFile } from './read-file.js';

function parseJsonLine(line: string, file: string, lineNumber: number): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw datasetParseError(
      { file, line: lineNumber, field: 'line' },
      'not valid JSON (truncated or damaged line)',
      line,
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw datasetParseError({ file, line: lineNumber, field: 'line' }, 'expected a JSON object', line);
  return value as Record<string, unknown>;
}

function requireString(record: Record<string, unknown>, field: string, file: string, lineNumber: number): string {
  const value = record[field];
  if (typeof value !== 'string' || value.length === 0)
    throw datasetParseError(
      { file, line: lineNumber, field },
      'expected a non-empty string',
      JSON.stringify(value) ?? 'missing',
    );
  return value;
}

/** Row parser of Yelp `review.json` lines: `user_id`, `business_id`, `stars` (1–5), `date` ("YYYY-MM-DD HH:MM:SS", UTC). */
export function yelpReviewRow(collector: InteractionCollector, file: string): LineHandler {
  return (line, lineNumber) => {
    const record = parseJsonLine(line, file, lineNumber);
    const user = requireString(record, 'user_id', file, lineNumber);
    const business = requireString(record, 'business_id', file, lineNumber);
    const stars = record.stars;
    if (typeof stars !== 'number' || !Number.isInteger(stars) || stars < 1 || stars > 5) {
      throw datasetParseError(
        { file, line: lineNumber, field: 'stars' },
        'expected an integer 1–5',
        JSON.stringify(stars) ?? 'missing',
      );
    }
    const date = requireString(record, 'date', file, lineNumber);
    const time = Date.parse(`${date.replace(' ', 'T')}Z`);
    if (!/^\d{4}-\d\d-\d\d( \d\d:\d\d:\d\d)?$/.test(date) || Number.isNaN(time)) {
      throw datasetParseError({ file, line: lineNumber, field: 'date' }, 'expected "YYYY-MM-DD HH:MM:SS"', date);
    }
    collector.add(user, business, stars, time / 1000, lineNumber);
  };
}

/**
 * Loads the Yelp Open Dataset reviews (JSON lines, `yelp_academic_dataset_review.json` or `review.json`): explicit
 * stars 1–5 with timestamps; business categories (comma-separated strings) when the business file is present.
 */
export async function loadYelp(directory: string, options: LoaderOptions = {}): Promise<Dataset> {
  const started = performance.now();
  const collector = createCollector(options, true, 'keep-last', 'loadYelp');
  const reviewFile = hasFile(directory, 'yelp_academic_dataset_review.json')
    ? 'yelp_academic_dataset_review.json'
    : 'review.json';
  const files: SourceFile[] = [
    await readInteractionFile(
      collector,
      directory,
      reviewFile,
      'yelp',
      'utf-8',
      yelpReviewRow(collector, reviewFile),
      options,
    ),
  ];
  const businessFile = ['yelp_academic_dataset_business.json', 'business.json'].find((file) =>
    hasFile(directory, file),
  );
  const categories = new Map<string, string[]>();
  if (businessFile) {
    files.push(
      (
        await readSideFile(directory, businessFile, 'yelp', 'utf-8', (line, lineNumber) => {
          const record = parseJsonLine(line, businessFile, lineNumber);
          const id = requireString(record, 'business_id', businessFile, lineNumber);
          const value = record.categories;
          if (value !== null && value !== undefined && typeof value !== 'string')
            throw datasetParseError(
              { file: businessFile, line: lineNumber, field: 'categories' },
              'expected a string or null',
              JSON.stringify(value),
            );
          categories.set(
            id,
            typeof value === 'string'
              ? value
                  .split(',')
                  .map((name) => name.trim())
                  .filter((name) => name.length > 0)
              : [],
          );
        })
      ).source,
    );
  }
  return assembleDataset(collector, {
    name: 'yelp',
    implicit: false,
    ratingScale: { min: 1, max: 5 },
    files,
    license: 'Yelp Dataset terms of use (academic, non-commercial)',
    started,
    notes: businessFile ? [] : [`${path.join('yelp', 'business.json')} absent: no categories`],
    itemCategories: businessFile
      ? (itemIds) => {
          const names: string[] = [];
          const index = new Map<string, number>();
          const lists = itemIds.map((id) =>
            [
              ...new Set(
                (categories.get(id) ?? []).map(
                  (name) => index.get(name) ?? (index.set(name, names.push(name) - 1).get(name) as number),
                ),
              ),
            ].sort((a, b) => a - b),
          );
          const indptr = new Int32Array(itemIds.length + 1);
          lists.forEach((list, item) => {
            indptr[item + 1] = indptr[item] + list.length;
          });
          const indices = Int32Array.from(lists.flat());
          return {
            names,
            matrix: new CsrMatrix(
              itemIds.length,
              names.length,
              indptr,
              indices,
              new Float32Array(indices.length).fill(1),
            ),
          };
        }
      : undefined,
  });
}
