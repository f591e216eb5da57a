import type { CsrMatrix } from '@trustrec/core-linalg';
import { shapeError } from '@trustrec/core-linalg';
import type { DuplicatePairPolicy } from './build-interactions.js';

/** A typed user-attribute column. Categorical/ordinal codes index `levels`; -1 marks a missing value. */
export type AttributeColumn =
  | {
      readonly kind: 'categorical';
      readonly name: string;
      readonly codes: Int32Array;
      readonly levels: readonly string[];
    }
  /** Levels are in their natural order (e.g. MovieLens-1M age buckets "1" < "18" < … < "56"). */
  | {
      readonly kind: 'ordinal';
      readonly name: string;
      readonly codes: Int32Array;
      readonly levels: readonly string[];
      readonly labels?: readonly string[];
    }
  /** NaN marks a missing value. */
  | { readonly kind: 'numeric'; readonly name: string; readonly values: Float64Array };

/** Columns of per-user attributes, each of length numUsers, aligned with the dataset's dense user index. */
export interface AttributeTable {
  readonly columns: readonly AttributeColumn[];
}

/** Multi-label item categories: an items × categories 0/1 CSR matrix and the category names. */
export interface ItemCategories {
  readonly names: readonly string[];
  readonly matrix: CsrMatrix;
}

/** One source file that went into a dataset. */
export interface SourceFile {
  readonly name: string;
  readonly path?: string;
  readonly bytes?: number;
  readonly sha256?: string;
}

/** Where a dataset came from: files with checksums, URL, license note, options used, and derivations applied. */
export interface Provenance {
  readonly source: 'local' | 'cache' | 'synthetic' | 'derived' | 'memory';
  readonly files: readonly SourceFile[];
  readonly url?: string;
  readonly license?: string;
  readonly loadOptions?: Readonly<Record<string, unknown>>;
  /** Transformations applied after loading, oldest first (e.g. `k-core(users>=5, items>=5)`). */
  readonly derivations?: readonly string[];
}

/** One rejected row, kept (up to a limit) with its reason. */
export interface RejectedRow {
  readonly file: string;
  readonly line: number;
  readonly field: string;
  readonly reason: string;
}

/** Per-file counts. */
export interface FileReport {
  readonly file: string;
  readonly lines: number;
  readonly blankLines: number;
  readonly headerLines: number;
  readonly rows: number;
  readonly bytes: number;
}

/** What loading did: rows read, duplicates merged, rows rejected with reasons, notes (never silent). */
export interface LoadReport {
  readonly files: readonly FileReport[];
  readonly rowsRead: number;
  readonly interactions: number;
  readonly duplicatePolicy: DuplicatePairPolicy;
  readonly duplicates: number;
  readonly rejectedRows: number;
  /** The first rejected rows with reasons (at most 100); `rejectedRows` is the full count. */
  readonly rejected: readonly RejectedRow[];
  readonly notes: readonly string[];
  readonly fromCache: boolean;
  readonly milliseconds: number;
}

/** A loaded dataset. Read-only by convention: transformations return new datasets. */
export interface Dataset {
  readonly name: string;
  readonly numUsers: number;
  readonly numItems: number;
  /** User-major interactions; values are ratings for explicit data, 1 for implicit. */
  readonly interactions: CsrMatrix;
  /** The item-major transpose (computed once, cached). */
  itemMajor(): CsrMatrix;
  readonly implicit: boolean;
  readonly ratingScale?: { readonly min: number; readonly max: number };
  /** Unix seconds per stored interaction, aligned with `interactions.indices`. */
  readonly timestamps?: Float64Array;
  readonly userIds: readonly string[];
  readonly itemIds: readonly string[];
  /** Dense index of a raw user id, or -1. */
  userIndex(rawId: string): number;
  /** Dense index of a raw item id, or -1. */
  itemIndex(rawId: string): number;
  readonly userAttributes?: AttributeTable;
  readonly itemCategories?: ItemCategories;
  /** Item titles by dense index, when the source has them. */
  readonly itemTitles?: readonly string[];
  readonly synthetic: boolean;
  readonly provenance: Provenance;
  readonly loadReport: LoadReport;
}

export interface DatasetInit {
  readonly name: string;
  readonly interactions: CsrMatrix;
  readonly implicit: boolean;
  readonly ratingScale?: { readonly min: number; readonly max: number };
  readonly timestamps?: Float64Array;
  readonly userIds: readonly string[];
  readonly itemIds: readonly string[];
  readonly userAttributes?: AttributeTable;
  readonly itemCategories?: ItemCategories;
  readonly itemTitles?: readonly string[];
  readonly synthetic?: boolean;
  readonly provenance: Provenance;
  readonly loadReport: LoadReport;
}

/** An empty load report for datasets built in memory. */
export function memoryLoadReport(interactions: number, notes: string[] = []): LoadReport {
  return {
    files: [],
    rowsRead: interactions,
    interactions,
    duplicatePolicy: 'error',
    duplicates: 0,
    rejectedRows: 0,
    rejected: [],
    notes,
    fromCache: false,
    milliseconds: 0,
  };
}

/** Builds a {@link Dataset} after checking that every part has the right length. */
export function createDataset(init: DatasetInit): Dataset {
  const { interactions, userIds, itemIds } = init;
  const where = `createDataset(${init.name})`;
  if (userIds.length !== interactions.numRows)
    throw shapeError(where, `userIds has ${userIds.length} ids, interactions has ${interactions.numRows} rows`);
  if (itemIds.length !== interactions.numColumns)
    throw shapeError(where, `itemIds has ${itemIds.length} ids, interactions has ${interactions.numColumns} columns`);
  if (init.timestamps && init.timestamps.length !== interactions.nnz) {
    throw shapeError(
      where,
      `timestamps has length ${init.timestamps.length}, interactions has ${interactions.nnz} entries`,
    );
  }
  for (const column of init.userAttributes?.columns ?? []) {
    const length = column.kind === 'numeric' ? column.values.length : column.codes.length;
    if (length !== interactions.numRows)
      throw shapeError(where, `user attribute ${column.name} has ${length} rows, expected ${interactions.numRows}`);
  }
  if (init.itemCategories && init.itemCategories.matrix.numRows !== interactions.numColumns) {
    throw shapeError(
      where,
      `itemCategories has ${init.itemCategories.matrix.numRows} rows, expected ${interactions.numColumns}`,
    );
  }
  if (init.itemTitles && init.itemTitles.length !== interactions.numColumns) {
    throw shapeError(where, `itemTitles has ${init.itemTitles.length} entries, expected ${interactions.numColumns}`);
  }
  let userMap: Map<string, number> | undefined;
  let itemMap: Map<string, number> | undefined;
  const dataset: Dataset = {
    name: init.name,
    numUsers: interactions.numRows,
    numItems: interactions.numColumns,
    interactions,
    itemMajor: () => interactions.transpose(),
    implicit: init.implicit,
    ratingScale: init.ratingScale,
    timestamps: init.timestamps,
    userIds,
    itemIds,
    userIndex(rawId: string) {
      userMap ??= new Map(userIds.map((id, index) => [id, index]));
      return userMap.get(rawId) ?? -1;
    },
    itemIndex(rawId: string) {
      itemMap ??= new Map(itemIds.map((id, index) => [id, index]));
      return itemMap.get(rawId) ?? -1;
    },
    userAttributes: init.userAttributes,
    itemCategories: init.itemCategories,
    itemTitles: init.itemTitles,
    synthetic: init.synthetic ?? false,
    provenance: init.provenance,
    loadReport: init.loadReport,
  };
  return Object.freeze(dataset);
}

/** Finds a user-attribute column by name. */
export function getUserAttribute(dataset: Pick<Dataset, 'userAttributes'>, name: string): AttributeColumn | undefined {
  return dataset.userAttributes?.columns.find((column) => column.name === name);
}
