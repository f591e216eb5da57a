import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { TrustRecError, rejectUnknownOptions } from '@trustrec/core-linalg';
import type { DuplicatePairPolicy } from '../core/build-interactions.js';
import { type InvalidRowPolicy, InteractionCollector } from '../core/interaction-collector.js';

/** Progress of long work (parsing, downloading): `done` of `total` units (bytes or rows); total may be unknown. */
export interface ProgressEvent {
  readonly phase: 'download' | 'extract' | 'parse' | 'cache';
  readonly file: string;
  readonly done: number;
  readonly total?: number;
}

/** Options every file loader accepts. */
export interface LoaderOptions {
  /** Duplicate (user, item) pairs; default `keep-last` (MovieLens has none; the count is reported). */
  readonly duplicates?: DuplicatePairPolicy;
  /** Rows that fail to parse: `error` (default) or `skip` with reasons in the load report. */
  readonly invalidRows?: InvalidRowPolicy;
  readonly onProgress?: (event: ProgressEvent) => void;
}

/** The option names of {@link LoaderOptions}. */
export const LOADER_OPTION_NAMES: readonly string[] = ['duplicates', 'invalidRows', 'onProgress'];

/**
 * The collector of a file loader: duplicate pairs by `options.duplicates` (else `defaultDuplicates`, the
 * loader's documented default), invalid rows by `options.invalidRows`, timestamps kept when `timestamps`.
 * When `where` is given, option names outside {@link LOADER_OPTION_NAMES} are `E_CONFIG` naming that loader.
 */
export function createCollector(
  options: LoaderOptions,
  timestamps: boolean,
  defaultDuplicates: DuplicatePairPolicy = 'keep-last',
  where?: string,
): InteractionCollector {
  if (where !== undefined) rejectUnknownOptions(where, options, LOADER_OPTION_NAMES);
  return new InteractionCollector({
    duplicates: options.duplicates ?? defaultDuplicates,
    invalidRows: options.invalidRows,
    timestamps,
  });
}

/** Path of `file` inside `directory`; when absent, `E_DATASET_MISSING` saying where to put it. */
export function requireFile(directory: string, file: string, dataset: string): string {
  const full = path.join(directory, file);
  if (!existsSync(full) || !statSync(full).isFile()) {
    throw new TrustRecError({
      code: 'E_DATASET_MISSING',
      message: `${dataset}: file ${file} not found in ${directory}; put the original release files there (e.g. ${full}), pass dataDir, or set TRUSTREC_DATA_DIR`,
      details: { dataset, file, directory },
    });
  }
  return full;
}

/** True when `directory/file` exists. */
export function hasFile(directory: string, file: string): boolean {
  const full = path.join(directory, file);
  return existsSync(full) && statSync(full).isFile();
}
