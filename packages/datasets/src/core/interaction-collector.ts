import { TrustRecError, argumentError } from '@trustrec/core-linalg';
import type { LineHandler, LineStats } from '../io/line-reader.js';
import { type DuplicatePairPolicy, DUPLICATE_POLICIES, buildInteractions } from './build-interactions.js';
import type { FileReport, RejectedRow } from './dataset.js';
import { IdIndex } from './id-index.js';
import { InteractionBuffer } from './interaction-buffer.js';

/** What to do with a row that fails to parse: `error` (default) throws; `skip` drops it and records why. */
export type InvalidRowPolicy = 'error' | 'skip';

/** How dense indices are assigned: first appearance in the file, or ascending (numeric) raw id. */
export type IdOrder = 'first-appearance' | 'sorted';

export interface CollectorOptions {
  readonly duplicates: DuplicatePairPolicy;
  readonly invalidRows?: InvalidRowPolicy;
  readonly timestamps: boolean;
}

const MAX_KEPT_REJECTIONS = 100;

/**
 * Shared machinery of every interaction loader: raw-id interning, growable columns, header skipping,
 * the invalid-row policy with reasons kept for the load report, per-file counts, and the final CSR build.
 */
export class InteractionCollector {
  readonly users = new IdIndex();
  readonly items = new IdIndex();
  readonly buffer: InteractionBuffer;
  readonly rejected: RejectedRow[] = [];
  rejectedRows = 0;
  readonly files: FileReport[] = [];
  readonly notes: string[] = [];
  readonly duplicates: DuplicatePairPolicy;
  readonly invalidRows: InvalidRowPolicy;
  private lastFile = '';

  constructor(options: CollectorOptions) {
    if (!DUPLICATE_POLICIES.includes(options.duplicates)) {
      throw argumentError(
        'loadDataset',
        `duplicates must be one of ${DUPLICATE_POLICIES.join(', ')}; got ${String(options.duplicates)}`,
        { option: 'duplicates' },
      );
    }
    const invalidRows = options.invalidRows ?? 'error';
    if (invalidRows !== 'error' && invalidRows !== 'skip') {
      throw argumentError('loadDataset', `invalidRows must be "error" or "skip"; got ${String(invalidRows)}`, {
        option: 'invalidRows',
      });
    }
    this.duplicates = options.duplicates;
    this.invalidRows = invalidRows;
    this.buffer = new InteractionBuffer({ timestamps: options.timestamps, lines: options.duplicates === 'error' });
  }

  /** Adds one interaction by raw ids. */
  add(userId: string, itemId: string, value: number, timestamp: number, line: number): void {
    this.buffer.push(this.users.intern(userId), this.items.intern(itemId), value, timestamp, line);
  }

  /** Adds one interaction by integer raw ids (hot path of MovieLens-style files). */
  addIntegerIds(userId: number, itemId: number, value: number, timestamp: number, line: number): void {
    this.buffer.push(this.users.internInteger(userId), this.items.internInteger(itemId), value, timestamp, line);
  }

  /**
   * Wraps a row parser: skips the first `headerLines` non-blank lines (checked by `checkHeader` when given),
   * applies the invalid-row policy to `E_DATASET_PARSE` errors, and counts rows for the file report.
   */
  lineHandler(
    file: string,
    parseRow: LineHandler,
    options: { headerLines?: number; checkHeader?: LineHandler } = {},
  ): LineHandler & { rows: () => number } {
    const headerLines = options.headerLines ?? 0;
    let seen = 0;
    let rows = 0;
    this.lastFile = file;
    const handler = (line: string, lineNumber: number) => {
      if (seen++ < headerLines) {
        options.checkHeader?.(line, lineNumber);
        return;
      }
      try {
        parseRow(line, lineNumber);
        rows++;
      } catch (error) {
        if (this.invalidRows === 'skip' && TrustRecError.isInstance(error, 'E_DATASET_PARSE')) {
          this.reject(file, lineNumber, String(error.details.field ?? 'line'), error.message);
          return;
        }
        throw error;
      }
    };
    return Object.assign(handler, { rows: () => rows });
  }

  /** Records a rejected row (only under the `skip` policy). */
  reject(file: string, line: number, field: string, reason: string): void {
    this.rejectedRows++;
    if (this.rejected.length < MAX_KEPT_REJECTIONS) this.rejected.push({ file, line, field, reason });
  }

  /** Records the per-file counts after a file is read; an empty file is an `E_DATASET_PARSE` error. */
  recordFile(file: string, stats: LineStats, rows: number, headerLines = 0): void {
    if (rows === 0 && this.rejectedRows === 0) {
      throw new TrustRecError({
        code: 'E_DATASET_PARSE',
        message: `${file}:1: field "line": the file has no data rows (empty or truncated file); restore the original file`,
        details: { file, line: 1, field: 'line' },
      });
    }
    this.files.push({ file, lines: stats.lines, blankLines: stats.blankLines, headerLines, rows, bytes: stats.bytes });
    if (stats.blankLines > 0) this.notes.push(`${file}: ${stats.blankLines} blank line(s) skipped`);
  }

  /** Builds the CSR (with timestamps aligned), renumbering ids when `order` is `sorted`. */
  finish(order: IdOrder) {
    const buffer = this.buffer;
    let userIds = [...this.users.ids];
    let itemIds = [...this.items.ids];
    if (order === 'sorted') {
      const userPermutation = this.users.sortedPermutation();
      const itemPermutation = this.items.sortedPermutation();
      userIds = userPermutation.ids;
      itemIds = itemPermutation.ids;
      for (let p = 0; p < buffer.count; p++) {
        buffer.users[p] = userPermutation.oldToNew[buffer.users[p]];
        buffer.items[p] = itemPermutation.oldToNew[buffer.items[p]];
      }
    }
    const built = buildInteractions({
      numUsers: userIds.length,
      numItems: itemIds.length,
      users: buffer.users,
      items: buffer.items,
      values: buffer.values,
      timestamps: buffer.timestamps,
      count: buffer.count,
      duplicates: this.duplicates,
      lines: buffer.lines,
      file: this.lastFile,
    });
    if (built.duplicateCount > 0)
      this.notes.push(`${built.duplicateCount} duplicate (user, item) pair(s) resolved with policy ${this.duplicates}`);
    if (this.rejectedRows > 0)
      this.notes.push(`${this.rejectedRows} invalid row(s) skipped (invalidRows: skip); see loadReport.rejected`);
    return { ...built, userIds, itemIds, rowsRead: buffer.count + this.rejectedRows };
  }
}
