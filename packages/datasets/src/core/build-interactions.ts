import { CsrMatrix, TrustRecError, argumentError, requireInteger, shapeError } from '@trustrec/core-linalg';

/** What to do when a (user, item) pair appears more than once. Always explicit, always reported. */
export type DuplicatePairPolicy = 'keep-last' | 'keep-first' | 'error' | 'sum';

export const DUPLICATE_POLICIES: readonly DuplicatePairPolicy[] = ['keep-last', 'keep-first', 'error', 'sum'];

export interface BuildInteractionsInput {
  readonly numUsers: number;
  readonly numItems: number;
  readonly users: Int32Array;
  readonly items: Int32Array;
  readonly values: Float32Array;
  /** Optional per-entry timestamps, carried along so the output stays aligned with `matrix.indices`. */
  readonly timestamps?: Float64Array;
  /** Number of valid entries in the arrays (they may be over-allocated). */
  readonly count: number;
  readonly duplicates: DuplicatePairPolicy;
  /** Source line per entry, used to name both lines when `duplicates` is `error`. */
  readonly lines?: Int32Array;
  /** Source file name for error messages. */
  readonly file?: string;
}

export interface BuildInteractionsResult {
  readonly matrix: CsrMatrix;
  readonly timestamps: Float64Array | undefined;
  /** Entries merged into an earlier entry with the same (user, item). */
  readonly duplicateCount: number;
}

/** The E_ARGUMENT for an index column with an entry outside [0, size), naming the first such entry (error path only). */
function outOfRange(name: string, column: Int32Array, count: number, size: number): TrustRecError {
  let first = 0;
  while (first < count && column[first] >= 0 && column[first] < size) first++;
  return argumentError(
    'buildInteractions',
    `${name}[${first}] = ${column[first]} is outside [0, ${size}); every ${name === 'users' ? 'user' : 'item'} must be a dense index below ${name === 'users' ? 'numUsers' : 'numItems'}`,
    { option: name, position: first },
  );
}

/** Entry positions ordered by (user, item, input position): a stable counting sort by item, then by user. */
function orderEntries(
  users: Int32Array,
  items: Int32Array,
  count: number,
  numItems: number,
  indptrAll: Int32Array,
): Int32Array {
  const itemStart = new Int32Array(numItems + 1);
  for (let p = 0; p < count; p++) itemStart[items[p] + 1]++;
  // Range check at no per-entry cost: an item of -1 lands in slot 0, one below -1 or at/above numItems is dropped
  // by the typed array, so every item is in [0, numItems) exactly when slot 0 stays 0 and the total is `count`.
  const belowZero = itemStart[0] !== 0;
  for (let c = 0; c < numItems; c++) itemStart[c + 1] += itemStart[c];
  if (belowZero || itemStart[numItems] !== count) throw outOfRange('items', items, count, numItems);
  const byItem = new Int32Array(count);
  for (let p = 0; p < count; p++) byItem[itemStart[items[p]]++] = p;
  const cursor = indptrAll.slice(0, indptrAll.length - 1);
  const ordered = new Int32Array(count);
  for (let t = 0; t < count; t++) {
    const p = byItem[t];
    ordered[cursor[users[p]]++] = p;
  }
  return ordered;
}

/**
 * Builds the user-major interaction CSR from parsed columns in O(nnz + users + items) with two stable counting
 * sorts (by item, then by user), so duplicates end up adjacent in input order; `keep-first` / `keep-last` keep the
 * first / last entry (and its timestamp), `sum` adds values and keeps the latest timestamp, `error` throws
 * `E_DATASET_PARSE` naming both source lines. Unlike core-linalg's `buildCsrFromCoo` it also carries timestamps.
 */
export function buildInteractions(input: BuildInteractionsInput): BuildInteractionsResult {
  const { numUsers, numItems, users, items, values, timestamps, count, duplicates } = input;
  if (!DUPLICATE_POLICIES.includes(duplicates)) {
    throw argumentError(
      'buildInteractions',
      `duplicates must be one of ${DUPLICATE_POLICIES.join(', ')}; got ${String(duplicates)}`,
      { option: 'duplicates' },
    );
  }
  requireInteger('buildInteractions', 'numUsers', numUsers);
  requireInteger('buildInteractions', 'numItems', numItems);
  requireInteger('buildInteractions', 'count', count);
  for (const [name, array] of [
    ['users', users],
    ['items', items],
    ['values', values],
    ['timestamps', timestamps],
    ['lines', input.lines],
  ] as const) {
    if (array !== undefined && array.length < count)
      throw shapeError('buildInteractions', `${name} has length ${array.length}, shorter than count = ${count}`, {
        option: name,
      });
  }
  const indptrAll = new Int32Array(numUsers + 1);
  for (let p = 0; p < count; p++) indptrAll[users[p] + 1]++;
  // Same no-cost range check as for items in orderEntries.
  const belowZero = indptrAll[0] !== 0;
  for (let r = 0; r < numUsers; r++) indptrAll[r + 1] += indptrAll[r];
  if (belowZero || indptrAll[numUsers] !== count) throw outOfRange('users', users, count, numUsers);
  const ordered = orderEntries(users, items, count, numItems, indptrAll);
  const indptr = new Int32Array(numUsers + 1);
  const outIndices = new Int32Array(count);
  const outValues = new Float32Array(count);
  const outTimes = timestamps ? new Float64Array(count) : undefined;
  let written = 0;
  let duplicateCount = 0;
  for (let r = 0; r < numUsers; r++) {
    const rowStart = written;
    for (let t = indptrAll[r]; t < indptrAll[r + 1]; t++) {
      const p = ordered[t];
      const item = items[p];
      if (written > rowStart && outIndices[written - 1] === item) {
        duplicateCount++;
        if (duplicates === 'error') {
          const first = ordered[t - 1];
          const where = input.lines
            ? `lines ${input.lines[first]} and ${input.lines[p]}`
            : `rows ${first + 1} and ${p + 1}`;
          throw new TrustRecError({
            code: 'E_DATASET_PARSE',
            message: `${input.file ?? 'interactions'}: ${where}: field "user,item": duplicate (user, item) pair (dense ${r}, ${item}); choose duplicates: keep-last, keep-first or sum`,
            details: {
              file: input.file,
              line: input.lines ? input.lines[p] : undefined,
              field: 'user,item',
              positions: [first, p],
            },
          });
        }
        if (duplicates === 'sum') {
          outValues[written - 1] += values[p];
          if (outTimes && timestamps) outTimes[written - 1] = Math.max(outTimes[written - 1], timestamps[p]);
        } else if (duplicates === 'keep-last') {
          outValues[written - 1] = values[p];
          if (outTimes && timestamps) outTimes[written - 1] = timestamps[p];
        }
        continue;
      }
      outIndices[written] = item;
      outValues[written] = values[p];
      if (outTimes && timestamps) outTimes[written] = timestamps[p];
      written++;
    }
    indptr[r + 1] = written;
  }
  const trim = written !== count;
  const matrix = new CsrMatrix(
    numUsers,
    numItems,
    indptr,
    trim ? outIndices.slice(0, written) : outIndices,
    trim ? outValues.slice(0, written) : outValues,
  );
  return { matrix, timestamps: outTimes && trim ? outTimes.slice(0, written) : outTimes, duplicateCount };
}
