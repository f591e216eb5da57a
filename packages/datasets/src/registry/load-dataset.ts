import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { TrustRecError, argumentError, rejectUnknownOptions } from '@trustrec/core-linalg';
import {
  cacheEntryPath,
  datasetCacheKey,
  defaultCacheDir,
  readCachedDataset,
  writeCachedDataset,
} from '../cache/dataset-cache.js';
import type { DuplicatePairPolicy } from '../core/build-interactions.js';
import { type Dataset, createDataset } from '../core/dataset.js';
import type { InvalidRowPolicy } from '../core/interaction-collector.js';
import { downloadFile } from '../download/download-file.js';
import { extractZip } from '../download/extract-zip.js';
import type { LoaderOptions, ProgressEvent } from '../loaders/loader-options.js';
import { buildNcfSplit, readNcfTestFiles } from '../loaders/ncf-files.js';
import type { Split } from '../splits/split.js';
import type { DatasetDescriptor, DatasetInfo } from './dataset-descriptor.js';
import { DATASETS, findDataset } from './dataset-registry.js';

export interface LoadDatasetOptions {
  /** Folder with one sub-folder per dataset (original file names). Default: `TRUSTREC_DATA_DIR`. */
  readonly dataDir?: string;
  /** Cache root for downloads and parsed datasets. Default: `TRUSTREC_CACHE_DIR`, else the user's cache dir. */
  readonly cacheDir?: string;
  /** Download from the official source when the files are not found locally (default false). */
  readonly download?: boolean;
  /** Use the binary cache of parsed datasets (default true). */
  readonly cache?: boolean;
  readonly duplicates?: DuplicatePairPolicy;
  readonly invalidRows?: InvalidRowPolicy;
  readonly onProgress?: (event: ProgressEvent) => void;
  /** Base URL replacing the official host (a mirror); the archive's file name is appended. */
  readonly mirror?: string;
  /** Injected fetch for downloads (tests, proxies). */
  readonly fetch?: typeof fetch;
}

const LOAD_OPTION_NAMES = [
  'dataDir',
  'cacheDir',
  'download',
  'cache',
  'duplicates',
  'invalidRows',
  'onProgress',
  'mirror',
  'fetch',
];

/** The datasets `loadDataset` knows, with their sources, files and license notes. */
export function listDatasets(): DatasetInfo[] {
  return DATASETS.map((descriptor) => ({
    name: descriptor.name,
    description: descriptor.description,
    folder: descriptor.folder,
    url: descriptor.url,
    sha256: descriptor.sha256,
    files: descriptor.requiredFiles.map((alternatives) => alternatives.join(' | ')),
    optionalFiles: descriptor.optionalFiles,
    license: descriptor.license,
    manual: descriptor.manual,
  }));
}

function requireDescriptor(name: string): DatasetDescriptor {
  const descriptor = findDataset(name);
  if (!descriptor) {
    throw argumentError(
      'loadDataset',
      `unknown dataset "${name}"; known: ${DATASETS.map((entry) => entry.name).join(', ')} (or use loadDelimited for other files)`,
      { option: 'name' },
    );
  }
  return descriptor;
}

function hasRequiredFiles(descriptor: DatasetDescriptor, directory: string): boolean {
  return descriptor.requiredFiles.every((alternatives) =>
    alternatives.some((file) => existsSync(path.join(directory, file))),
  );
}

/** The data directory from the option or `TRUSTREC_DATA_DIR`, or undefined. */
export function resolveDataDir(dataDir?: string): string | undefined {
  const chosen = dataDir ?? process.env.TRUSTREC_DATA_DIR;
  return chosen ? path.resolve(chosen) : undefined;
}

/**
 * Finds the folder holding `name`'s files: the data directory, then earlier downloads in the cache, then (with
 * `download: true`) a fresh download. Offline and not cached: `E_DATASET_MISSING` saying where to put the files.
 */
export async function locateDataset(
  name: string,
  options: LoadDatasetOptions = {},
): Promise<{ directory: string; source: 'local' | 'download'; descriptor: DatasetDescriptor }> {
  rejectUnknownOptions('locateDataset', options, LOAD_OPTION_NAMES);
  const descriptor = requireDescriptor(name);
  const dataDir = resolveDataDir(options.dataDir);
  const local = dataDir ? path.join(dataDir, descriptor.folder) : undefined;
  if (local && hasRequiredFiles(descriptor, local)) return { directory: local, source: 'local', descriptor };
  const cacheDir = path.resolve(options.cacheDir ?? defaultCacheDir());
  const downloaded = path.join(cacheDir, 'datasets', descriptor.folder);
  if (existsSync(path.join(downloaded, '.complete')) && hasRequiredFiles(descriptor, downloaded))
    return { directory: downloaded, source: 'download', descriptor };
  if (options.download && descriptor.url) {
    await fetchInto(descriptor, cacheDir, downloaded, options);
    if (hasRequiredFiles(descriptor, downloaded)) return { directory: downloaded, source: 'download', descriptor };
  }
  const wanted = descriptor.requiredFiles.map((alternatives) => alternatives.join(' or ')).join(', ');
  const where = local ?? `<dataDir>/${descriptor.folder}`;
  const how = descriptor.url
    ? `run \`trustrec datasets fetch ${name}\` or pass download: true (source ${descriptor.url})`
    : (descriptor.manual ?? 'download it by hand');
  throw new TrustRecError({
    code: 'E_DATASET_MISSING',
    message: `dataset ${name} not found: put ${wanted} in ${where} (set TRUSTREC_DATA_DIR or dataDir${dataDir ? '' : '; neither is set'}), or ${how}`,
    details: { dataset: name, directory: local, files: descriptor.requiredFiles },
  });
}

async function fetchInto(
  descriptor: DatasetDescriptor,
  cacheDir: string,
  target: string,
  options: LoadDatasetOptions,
): Promise<void> {
  const url = options.mirror
    ? `${options.mirror.replace(/\/$/, '')}/${path.basename(new URL(descriptor.url as string).pathname)}`
    : (descriptor.url as string);
  const archive = path.join(cacheDir, 'downloads', path.basename(new URL(url).pathname));
  const checksumFile = path.join(cacheDir, 'downloads', 'checksums.json');
  let recorded: Record<string, string> = {};
  try {
    recorded = JSON.parse(await readFile(checksumFile, 'utf8')) as Record<string, string>;
  } catch {
    recorded = {};
  }
  const expected = descriptor.sha256 ?? recorded[descriptor.name];
  const digest = await downloadFile(url, archive, {
    sha256: expected,
    fetch: options.fetch,
    onProgress: (done, total) => options.onProgress?.({ phase: 'download', file: path.basename(archive), done, total }),
  });
  if (!expected) {
    recorded[descriptor.name] = digest;
    await writeFile(checksumFile, `${JSON.stringify(recorded, null, 2)}\n`);
  }
  extractZip(archive, target, {
    root: descriptor.archiveRoot,
    onProgress: (done) => options.onProgress?.({ phase: 'extract', file: path.basename(archive), done }),
  });
  await writeFile(
    path.join(target, '.complete'),
    `${JSON.stringify({ url, sha256: digest, verified: Boolean(expected), at: new Date().toISOString() })}\n`,
  );
}

/** Downloads (if needed) and returns where the files are; used by `trustrec datasets fetch`. */
export async function fetchDataset(
  name: string,
  options: LoadDatasetOptions = {},
): Promise<{ directory: string; source: 'local' | 'download' }> {
  rejectUnknownOptions('fetchDataset', options, LOAD_OPTION_NAMES);
  const { directory, source } = await locateDataset(name, { ...options, download: true });
  return { directory, source };
}

/**
 * Loads a dataset by name (see {@link listDatasets}) from the data directory or the download cache, through the
 * binary cache of parsed datasets (keyed by file sizes and times and the load options) unless `cache: false`.
 */
export async function loadDataset(name: string, options: LoadDatasetOptions = {}): Promise<Dataset> {
  rejectUnknownOptions('loadDataset', options, LOAD_OPTION_NAMES);
  const { directory, descriptor } = await locateDataset(name, options);
  const loaderOptions: LoaderOptions = {
    duplicates: options.duplicates,
    invalidRows: options.invalidRows,
    onProgress: options.onProgress,
  };
  const keyOptions = { duplicates: options.duplicates ?? null, invalidRows: options.invalidRows ?? null };
  const useCache = options.cache ?? true;
  let entry: string | undefined;
  if (useCache) {
    const key = await datasetCacheKey(name, directory, keyOptions);
    entry = cacheEntryPath(path.resolve(options.cacheDir ?? defaultCacheDir()), name, key);
    const cached = await readCachedDataset(entry);
    if (cached) return cached;
  }
  let dataset = await descriptor.load(directory, loaderOptions);
  if (dataset.name !== name) dataset = createDataset({ ...dataset, name, loadReport: dataset.loadReport });
  if (entry) {
    options.onProgress?.({ phase: 'cache', file: path.basename(entry), done: 0 });
    try {
      await writeCachedDataset(entry, dataset);
    } catch {
      // A read-only cache folder only costs speed; the dataset itself is complete.
    }
  }
  return dataset;
}

/**
 * The exact NCF/APR MovieLens-1M split (He et al., WWW 2017; He et al., SIGIR 2018): the dataset (all 1,000,209
 * implicit pairs; user index = UserID − 1, item index = first appearance in ratings.dat) and the split whose test
 * holds each user's published latest pair, train the other 994,169 pairs, and candidates the published 99
 * negatives after the positive. Files: `<dataDir>/ml-1m/` and `<dataDir>/ml-1m/ncf/ml-1m.test.{rating,negative}`.
 */
export async function loadNcfSplit(options: LoadDatasetOptions = {}): Promise<{ dataset: Dataset; split: Split }> {
  rejectUnknownOptions('loadNcfSplit', options, LOAD_OPTION_NAMES);
  const dataset = await loadDataset('ml-1m-ncf', options);
  const { directory } = await locateDataset('ml-1m-ncf', options);
  for (let u = 0; u < dataset.numUsers; u++) {
    if (dataset.userIds[u] !== String(u + 1)) {
      throw new TrustRecError({
        code: 'E_DATASET_PARSE',
        message: `ml-1m-ncf: user index ${u} has UserID ${dataset.userIds[u]}, expected ${u + 1}; the ratings file is not in its original order`,
        details: { file: 'ratings', field: 'UserID' },
      });
    }
  }
  const test = await readNcfTestFiles(path.join(directory, 'ncf'), 'ml-1m', 'ml-1m-ncf');
  return { dataset, split: buildNcfSplit(dataset, test, 'ml-1m') };
}
