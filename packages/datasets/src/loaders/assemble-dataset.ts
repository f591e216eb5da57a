import {
  type AttributeTable,
  type Dataset,
  type ItemCategories,
  type SourceFile,
  createDataset,
} from '../core/dataset.js';
import type { IdOrder, InteractionCollector } from '../core/interaction-collector.js';

/** The parts a loader adds on top of the collected interactions. */
export interface AssembleParts {
  readonly name: string;
  readonly implicit: boolean;
  readonly ratingScale?: { readonly min: number; readonly max: number };
  readonly files: readonly SourceFile[];
  readonly url?: string;
  readonly license?: string;
  readonly started: number;
  readonly userAttributes?: (userIds: readonly string[]) => AttributeTable | undefined;
  readonly itemCategories?: (itemIds: readonly string[]) => ItemCategories | undefined;
  readonly itemTitles?: (itemIds: readonly string[]) => string[] | undefined;
  readonly notes?: readonly string[];
  readonly order?: IdOrder;
  /** Replace every value by 1 (implicit feedback), keeping the raw values out of the matrix. */
  readonly binarize?: boolean;
}

/** Builds the CSR from a collector and wraps everything into a {@link Dataset} with provenance and load report. */
export function assembleDataset(collector: InteractionCollector, parts: AssembleParts): Dataset {
  const built = collector.finish(parts.order ?? 'first-appearance');
  if (parts.binarize) built.matrix.values.fill(1);
  const notes = [...collector.notes, ...(parts.notes ?? [])];
  return createDataset({
    name: parts.name,
    interactions: built.matrix,
    implicit: parts.implicit,
    ratingScale: parts.ratingScale,
    timestamps: built.timestamps,
    userIds: built.userIds,
    itemIds: built.itemIds,
    userAttributes: parts.userAttributes?.(built.userIds),
    itemCategories: parts.itemCategories?.(built.itemIds),
    itemTitles: parts.itemTitles?.(built.itemIds),
    provenance: {
      source: 'local',
      files: parts.files,
      url: parts.url,
      license: parts.license,
      loadOptions: { duplicates: collector.duplicates, invalidRows: collector.invalidRows },
    },
    loadReport: {
      files: collector.files,
      rowsRead: built.rowsRead,
      interactions: built.matrix.nnz,
      duplicatePolicy: collector.duplicates,
      duplicates: built.duplicateCount,
      rejectedRows: collector.rejectedRows,
      rejected: collector.rejected,
      notes,
      fromCache: false,
      milliseconds: performance.now() - parts.started,
    },
  });
}
