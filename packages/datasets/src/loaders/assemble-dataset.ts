import {
  type AttributeTable,
  type Dataset,
  type ItemCategories,
  type SourceFile,
  createDataset,
} from '../core/dataset.js';
import type { IdOrder, InteractionCollector } from '../core/interaction-collector.js';

/** The interactions of a finished collector (what {@link InteractionCollector.finish} returns). */
export type CollectedInteractions = ReturnType<InteractionCollector['finish']>;

/** What every loader states about its dataset besides the interactions: identity, sources and extra notes. */
export interface DatasetParts {
  readonly name: string;
  readonly implicit: boolean;
  readonly ratingScale?: { readonly min: number; readonly max: number };
  readonly files: readonly SourceFile[];
  readonly url?: string;
  readonly license?: string;
  /** `performance.now()` when the load began, for `loadReport.milliseconds`. */
  readonly started: number;
  /** Loader notes, reported after the collector's own notes. */
  readonly notes?: readonly string[];
}

/** The parts a loader adds on top of the collected interactions. */
export interface AssembleParts extends DatasetParts {
  readonly userAttributes?: (userIds: readonly string[]) => AttributeTable | undefined;
  readonly itemCategories?: (itemIds: readonly string[]) => ItemCategories | undefined;
  readonly itemTitles?: (itemIds: readonly string[]) => string[] | undefined;
  readonly order?: IdOrder;
  /** Replace every value by 1 (implicit feedback), keeping the raw values out of the matrix. */
  readonly binarize?: boolean;
}

/** The parts of a dataset whose side information was built against the finished collector's ids. */
export interface CollectedParts extends DatasetParts {
  readonly userAttributes?: AttributeTable;
  readonly itemCategories?: ItemCategories;
  readonly itemTitles?: string[];
}

/** Builds the CSR from a collector and wraps everything into a {@link Dataset} with provenance and load report. */
export function assembleDataset(collector: InteractionCollector, parts: AssembleParts): Dataset {
  const built = collector.finish(parts.order ?? 'first-appearance');
  if (parts.binarize) built.matrix.values.fill(1);
  return datasetFromCollected(collector, built, {
    ...parts,
    userAttributes: parts.userAttributes?.(built.userIds),
    itemCategories: parts.itemCategories?.(built.itemIds),
    itemTitles: parts.itemTitles?.(built.itemIds),
  });
}

/**
 * Wraps interactions already taken from `collector.finish` into a {@link Dataset} with provenance (local files,
 * URL, licence, load options) and load report (per-file counts, duplicates, rejected rows, notes, time). For
 * loaders that read side files after `finish` because they check them against the dense ids.
 */
export function datasetFromCollected(
  collector: InteractionCollector,
  built: CollectedInteractions,
  parts: CollectedParts,
): Dataset {
  return createDataset({
    name: parts.name,
    interactions: built.matrix,
    implicit: parts.implicit,
    ratingScale: parts.ratingScale,
    timestamps: built.timestamps,
    userIds: built.userIds,
    itemIds: built.itemIds,
    userAttributes: parts.userAttributes,
    itemCategories: parts.itemCategories,
    itemTitles: parts.itemTitles,
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
      notes: [...collector.notes, ...(parts.notes ?? [])],
      fromCache: false,
      milliseconds: performance.now() - parts.started,
    },
  });
}
