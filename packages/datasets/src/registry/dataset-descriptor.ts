import type { Dataset } from '../core/dataset.js';
import type { LoaderOptions } from '../loaders/loader-options.js';

/** A named dataset: where its files live, where to download them, and how to parse them. */
export interface DatasetDescriptor {
  readonly name: string;
  readonly description: string;
  /** Sub-folder of the data directory holding the original files. */
  readonly folder: string;
  /** Official download (a ZIP archive); absent when the source needs a manual download (license click-through). */
  readonly url?: string;
  /** Top folder inside the archive, stripped on extraction (e.g. `ml-100k/`). */
  readonly archiveRoot?: string;
  /** Known sha256 of the archive; when absent, recorded on first download and verified after. */
  readonly sha256?: string;
  /** Required files; each entry lists alternatives (any one suffices). */
  readonly requiredFiles: readonly (readonly string[])[];
  readonly optionalFiles: readonly string[];
  readonly license: string;
  /** Manual-download instructions when there is no url. */
  readonly manual?: string;
  readonly load: (directory: string, options: LoaderOptions) => Promise<Dataset>;
}

/** The public, serialisable part of a descriptor (what `listDatasets` returns). */
export interface DatasetInfo {
  readonly name: string;
  readonly description: string;
  readonly folder: string;
  readonly url?: string;
  readonly sha256?: string;
  readonly files: readonly string[];
  readonly optionalFiles: readonly string[];
  readonly license: string;
  readonly manual?: string;
}
