import type { Dataset } from './dataset.js';

/** A JSON-safe summary of a categorical/ordinal or numeric attribute column. */
export type AttributeSummary =
  | {
      readonly name: string;
      readonly kind: 'categorical' | 'ordinal';
      readonly levels: number;
      readonly counts: Readonly<Record<string, number>>;
      readonly missing: number;
    }
  | {
      readonly name: string;
      readonly kind: 'numeric';
      readonly min: number;
      readonly max: number;
      readonly mean: number;
      readonly missing: number;
    };

/** What `trustrec datasets info` prints: sizes, density, scale, timestamps, attributes, categories, load report. */
export interface DatasetSummary {
  readonly name: string;
  readonly synthetic: boolean;
  readonly source: string;
  readonly users: number;
  readonly items: number;
  readonly interactions: number;
  readonly density: number;
  readonly implicit: boolean;
  readonly ratingScale: { readonly min: number; readonly max: number } | null;
  /** Count per distinct value (explicit data only). */
  readonly ratingCounts: Readonly<Record<string, number>> | null;
  readonly timestamps: { readonly present: boolean; readonly min?: number; readonly max?: number };
  readonly interactionsPerUser: { readonly min: number; readonly max: number; readonly mean: number };
  readonly interactionsPerItem: { readonly min: number; readonly max: number; readonly mean: number };
  readonly attributes: readonly AttributeSummary[];
  readonly categories: { readonly count: number; readonly counts: Readonly<Record<string, number>> } | null;
  readonly loadReport: {
    readonly rowsRead: number;
    readonly duplicates: number;
    readonly duplicatePolicy: string;
    readonly rejectedRows: number;
    readonly fromCache: boolean;
    readonly milliseconds: number;
    readonly notes: readonly string[];
  };
  readonly files: readonly { readonly name: string; readonly bytes?: number; readonly sha256?: string }[];
  readonly license?: string;
  readonly derivations: readonly string[];
}

function degreeStats(indptr: Int32Array, rows: number) {
  let min = Number.POSITIVE_INFINITY;
  let max = 0;
  for (let r = 0; r < rows; r++) {
    const degree = indptr[r + 1] - indptr[r];
    if (degree < min) min = degree;
    if (degree > max) max = degree;
  }
  return { min: rows === 0 ? 0 : min, max, mean: rows === 0 ? 0 : indptr[rows] / rows };
}

/** Summarises a dataset for people and programs (all numbers computed from the loaded arrays). */
export function describeDataset(dataset: Dataset): DatasetSummary {
  const { interactions } = dataset;
  let ratingCounts: Record<string, number> | null = null;
  if (!dataset.implicit) {
    const counts = new Map<number, number>();
    for (let p = 0; p < interactions.nnz; p++)
      counts.set(interactions.values[p], (counts.get(interactions.values[p]) ?? 0) + 1);
    ratingCounts = Object.fromEntries(
      [...counts.entries()].sort((a, b) => a[0] - b[0]).map(([value, count]) => [String(value), count]),
    );
  }
  let timestamps: DatasetSummary['timestamps'] = { present: false };
  if (dataset.timestamps && dataset.timestamps.length > 0) {
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    for (const time of dataset.timestamps) {
      if (time < min) min = time;
      if (time > max) max = time;
    }
    timestamps = { present: true, min, max };
  }
  const attributes: AttributeSummary[] = (dataset.userAttributes?.columns ?? []).map((column) => {
    if (column.kind === 'numeric') {
      let min = Number.POSITIVE_INFINITY;
      let max = Number.NEGATIVE_INFINITY;
      let sum = 0;
      let present = 0;
      for (const value of column.values) {
        if (Number.isNaN(value)) continue;
        present++;
        sum += value;
        if (value < min) min = value;
        if (value > max) max = value;
      }
      return {
        name: column.name,
        kind: 'numeric',
        min,
        max,
        mean: present === 0 ? Number.NaN : sum / present,
        missing: column.values.length - present,
      };
    }
    const counts = new Array<number>(column.levels.length).fill(0);
    let missing = 0;
    for (const code of column.codes) {
      if (code < 0) missing++;
      else counts[code]++;
    }
    return {
      name: column.name,
      kind: column.kind,
      levels: column.levels.length,
      counts: Object.fromEntries(column.levels.map((level, index) => [level, counts[index]])),
      missing,
    };
  });
  let categories: DatasetSummary['categories'] = null;
  if (dataset.itemCategories) {
    const { names, matrix } = dataset.itemCategories;
    const counts = new Array<number>(names.length).fill(0);
    for (const index of matrix.indices) counts[index]++;
    categories = { count: names.length, counts: Object.fromEntries(names.map((name, index) => [name, counts[index]])) };
  }
  const report = dataset.loadReport;
  return {
    name: dataset.name,
    synthetic: dataset.synthetic,
    source: dataset.provenance.source,
    users: dataset.numUsers,
    items: dataset.numItems,
    interactions: interactions.nnz,
    density: dataset.numUsers * dataset.numItems === 0 ? 0 : interactions.nnz / (dataset.numUsers * dataset.numItems),
    implicit: dataset.implicit,
    ratingScale: dataset.ratingScale ? { min: dataset.ratingScale.min, max: dataset.ratingScale.max } : null,
    ratingCounts,
    timestamps,
    interactionsPerUser: degreeStats(interactions.indptr, interactions.numRows),
    interactionsPerItem: degreeStats(dataset.itemMajor().indptr, dataset.numItems),
    attributes,
    categories,
    loadReport: {
      rowsRead: report.rowsRead,
      duplicates: report.duplicates,
      duplicatePolicy: report.duplicatePolicy,
      rejectedRows: report.rejectedRows,
      fromCache: report.fromCache,
      milliseconds: Math.round(report.milliseconds * 10) / 10,
      notes: report.notes,
    },
    files: dataset.provenance.files.map((file) => ({ name: file.name, bytes: file.bytes, sha256: file.sha256 })),
    license: dataset.provenance.license,
    derivations: dataset.provenance.derivations ?? [],
  };
}
