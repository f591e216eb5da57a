import { CsrMatrix, argumentError, requireFinite, shapeError, rejectUnknownOptions } from '@trustrec/core-linalg';
import { type AttributeColumn, type Dataset, createDataset } from '../core/dataset.js';

export interface AppendFakeUsersOptions {
  /** The fake users' interactions: numFake × numItems (same item indexing as the dataset). */
  readonly interactions: CsrMatrix;
  /** Raw ids of the new users (default `fake-0`, `fake-1`, …; must not collide with existing ids). */
  readonly ids?: readonly string[];
  /**
   * Timestamps of the new entries, aligned with `interactions.indices`. Only for a dataset with timestamps, and
   * not together with `timestamp` (either is E_ARGUMENT).
   */
  readonly timestamps?: Float64Array;
  /**
   * One finite timestamp for every new entry (default: the dataset's latest timestamp, 0 when it has no entries).
   * Only for a dataset with timestamps (else E_ARGUMENT).
   */
  readonly timestamp?: number;
}

/**
 * Returns a new dataset with fake users appended after the real ones (indices numUsers … numUsers+m−1), as
 * shilling and poisoning attacks need; the input is never mutated. Attributes of fake users are missing (code −1 /
 * NaN); values must lie on the dataset's rating scale (1 for implicit data).
 */
export function appendFakeUsers(dataset: Dataset, options: AppendFakeUsersOptions): Dataset {
  const where = 'appendFakeUsers';
  rejectUnknownOptions(where, options, ['interactions', 'ids', 'timestamps', 'timestamp']);
  const fake = options.interactions;
  if (options.timestamps !== undefined || options.timestamp !== undefined) {
    if (!dataset.timestamps)
      throw argumentError(
        where,
        `${dataset.name} has no timestamps, so timestamps / timestamp would be dropped; omit them`,
        { option: options.timestamps !== undefined ? 'timestamps' : 'timestamp' },
      );
    if (options.timestamps !== undefined && options.timestamp !== undefined)
      throw argumentError(where, 'give timestamps (one per entry) or timestamp (one for all), not both', {
        option: 'timestamp',
      });
  }
  if (options.timestamp !== undefined) requireFinite(where, 'timestamp', options.timestamp);
  if (fake.numColumns !== dataset.numItems)
    throw shapeError(where, `interactions has ${fake.numColumns} columns, the dataset has ${dataset.numItems} items`);
  const count = fake.numRows;
  const ids = options.ids ?? Array.from({ length: count }, (_, t) => `fake-${t}`);
  if (ids.length !== count) throw shapeError(where, `ids has ${ids.length} entries, interactions has ${count} rows`);
  const seen = new Set<string>();
  for (const id of ids) {
    if (dataset.userIndex(id) >= 0)
      throw argumentError(where, `fake user id "${id}" already exists in ${dataset.name}`, { option: 'ids' });
    if (seen.has(id)) throw argumentError(where, `fake user id "${id}" is listed twice in ids`, { option: 'ids' });
    seen.add(id);
  }
  for (let p = 0; p < fake.nnz; p++) {
    const value = fake.values[p];
    const scale = dataset.ratingScale;
    const valid = dataset.implicit
      ? value === 1
      : scale
        ? value >= scale.min && value <= scale.max
        : Number.isFinite(value);
    if (!valid)
      throw argumentError(
        where,
        `fake value ${value} at entry ${p} is not valid for ${dataset.name} (${dataset.implicit ? 'implicit: 1' : `scale ${scale?.min}–${scale?.max}`})`,
        { option: 'interactions' },
      );
  }
  const real = dataset.interactions;
  const numUsers = dataset.numUsers + count;
  const indptr = new Int32Array(numUsers + 1);
  indptr.set(real.indptr);
  for (let t = 0; t < count; t++) indptr[dataset.numUsers + t + 1] = real.nnz + fake.indptr[t + 1];
  const indices = new Int32Array(real.nnz + fake.nnz);
  indices.set(real.indices);
  indices.set(fake.indices, real.nnz);
  const values = new Float32Array(real.nnz + fake.nnz);
  values.set(real.values);
  values.set(fake.values, real.nnz);
  let timestamps: Float64Array | undefined;
  if (dataset.timestamps) {
    timestamps = new Float64Array(real.nnz + fake.nnz);
    timestamps.set(dataset.timestamps);
    if (options.timestamps) {
      if (options.timestamps.length !== fake.nnz)
        throw shapeError(
          where,
          `timestamps has length ${options.timestamps.length}, interactions has ${fake.nnz} entries`,
        );
      timestamps.set(options.timestamps, real.nnz);
    } else {
      let latest = options.timestamp ?? Number.NEGATIVE_INFINITY;
      if (options.timestamp === undefined)
        for (let p = 0; p < real.nnz; p++) latest = Math.max(latest, dataset.timestamps[p]);
      timestamps.fill(Number.isFinite(latest) ? latest : 0, real.nnz);
    }
  }
  const columns = dataset.userAttributes?.columns.map((column): AttributeColumn => {
    if (column.kind === 'numeric') {
      const extended = new Float64Array(numUsers).fill(Number.NaN);
      extended.set(column.values);
      return { ...column, values: extended };
    }
    const extended = new Int32Array(numUsers).fill(-1);
    extended.set(column.codes);
    return { ...column, codes: extended };
  });
  return createDataset({
    ...dataset,
    interactions: new CsrMatrix(numUsers, dataset.numItems, indptr, indices, values),
    timestamps,
    userIds: [...dataset.userIds, ...ids],
    userAttributes: columns ? { columns } : undefined,
    provenance: {
      ...dataset.provenance,
      source: dataset.provenance.source === 'synthetic' ? 'synthetic' : 'derived',
      derivations: [...(dataset.provenance.derivations ?? []), `append-fake-users(${count})`],
    },
  });
}
