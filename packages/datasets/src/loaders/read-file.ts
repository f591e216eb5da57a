import type { SourceFile } from '../core/dataset.js';
import type { InteractionCollector } from '../core/interaction-collector.js';
import { type LineHandler, type LineStats, type TextEncoding, forEachLineOfFile } from '../io/line-reader.js';
import { type LoaderOptions, requireFile } from './loader-options.js';

/** Streams an interaction file through a row parser of `collector`, records its counts, returns its provenance. */
export async function readInteractionFile(
  collector: InteractionCollector,
  directory: string,
  file: string,
  dataset: string,
  encoding: TextEncoding,
  parseRow: LineHandler,
  options: LoaderOptions & { headerLines?: number; checkHeader?: LineHandler } = {},
): Promise<SourceFile> {
  const full = requireFile(directory, file, dataset);
  const handler = collector.lineHandler(file, parseRow, options);
  const stats = await forEachLineOfFile(full, file, encoding, handler);
  collector.recordFile(file, stats, handler.rows(), options.headerLines ?? 0);
  options.onProgress?.({ phase: 'parse', file, done: stats.bytes, total: stats.bytes });
  return { name: file, path: full, bytes: stats.bytes, sha256: stats.sha256 };
}

/** Streams a side file (users, items) through `onLine`; returns its provenance and stats. */
export async function readSideFile(
  directory: string,
  file: string,
  dataset: string,
  encoding: TextEncoding,
  onLine: LineHandler,
): Promise<{ source: SourceFile; stats: LineStats }> {
  const full = requireFile(directory, file, dataset);
  const stats = await forEachLineOfFile(full, file, encoding, onLine);
  return { source: { name: file, path: full, bytes: stats.bytes, sha256: stats.sha256 }, stats };
}
