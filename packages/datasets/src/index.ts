// @trustrec/datasets — the public API. Every public name is listed here.
export const PACKAGE_NAME = '@trustrec/datasets';

export type {
  AttributeColumn,
  AttributeTable,
  Dataset,
  DatasetInit,
  FileReport,
  ItemCategories,
  LoadReport,
  Provenance,
  RejectedRow,
  SourceFile,
} from './core/dataset.js';
export { createDataset, getUserAttribute } from './core/dataset.js';
export { describeDataset } from './core/describe-dataset.js';
export type { AttributeSummary, DatasetSummary } from './core/describe-dataset.js';
export { DUPLICATE_POLICIES, buildInteractions } from './core/build-interactions.js';
export type {
  BuildInteractionsInput,
  BuildInteractionsResult,
  DuplicatePairPolicy,
} from './core/build-interactions.js';
export { InteractionCollector } from './core/interaction-collector.js';
export type { CollectorOptions, IdOrder, InvalidRowPolicy } from './core/interaction-collector.js';

export { datasetParseError } from './errors/index.js';
export type { ParseLocation } from './errors/index.js';
export { decodeBytes, forEachLineOfFile, forEachLineOfText } from './io/line-reader.js';
export type { LineHandler, LineStats, TextEncoding } from './io/line-reader.js';

export type { LoaderOptions, ProgressEvent } from './loaders/loader-options.js';
export type { DeclaredScale } from './loaders/rating-scale.js';
export {
  ML_100K_GENRES,
  MOVIELENS_INTEGER_SCALE,
  loadMovieLens100k,
  movieLens100kItemRow,
  movieLens100kRatingRow,
  movieLens100kUserRow,
} from './loaders/movielens-100k.js';
export {
  ML_1M_AGE_BUCKETS,
  ML_1M_AGE_LABELS,
  ML_1M_GENRES,
  ML_1M_OCCUPATIONS,
  loadMovieLens1m,
  movieLens1mImplicitRow,
  movieLens1mMovieRow,
  movieLens1mRatingRow,
  movieLens1mUserRow,
} from './loaders/movielens-1m.js';
export {
  MOVIELENS_HALF_STAR_SCALE,
  loadMovieLensCsv,
  movieLensCsvMovieRow,
  movieLensCsvRatingRow,
} from './loaders/movielens-csv.js';
export { buildNcfSplit, loadNcfFiles, ncfNegativeRow, ncfRatingRow, readNcfTestFiles } from './loaders/ncf-files.js';
export type { NcfNegativeRow, NcfRatingRow } from './loaders/ncf-files.js';
export {
  lastfm1kEventRow,
  lastfm1kProfileRow,
  lastfmUserArtistRow,
  loadLastfm1k,
  loadLastfmHetrec,
} from './loaders/lastfm.js';
export {
  BOOK_CROSSING_SCALE,
  bookCrossingRatingRow,
  bookCrossingUserRow,
  loadBookCrossing,
} from './loaders/book-crossing.js';
export { loadYelp, yelpReviewRow } from './loaders/yelp.js';
export { foursquareCheckinRow, loadFoursquare, parseTsmcTime } from './loaders/foursquare.js';
export { loadDelimited } from './loaders/delimited.js';
export type { ColumnRef, DelimitedOptions } from './loaders/delimited.js';

export { DATASETS, findDataset } from './registry/dataset-registry.js';
export type { DatasetDescriptor, DatasetInfo } from './registry/dataset-descriptor.js';
export {
  fetchDataset,
  listDatasets,
  loadDataset,
  loadNcfSplit,
  locateDataset,
  resolveDataDir,
} from './registry/load-dataset.js';
export type { LoadDatasetOptions } from './registry/load-dataset.js';

export { CACHE_FORMAT_VERSION, decodeDataset, encodeDataset } from './cache/binary-dataset-codec.js';
export {
  cacheEntryPath,
  datasetCacheKey,
  defaultCacheDir,
  readCachedDataset,
  writeCachedDataset,
} from './cache/dataset-cache.js';
export { downloadFile, sha256File } from './download/download-file.js';
export type { DownloadOptions } from './download/download-file.js';
export { extractZip } from './download/extract-zip.js';

export type { SampledCandidates, SmallUserPolicy, Split, SplitDescription, SplitSource } from './splits/split.js';
export { partitionEntries } from './splits/split.js';
export { leaveOneOutSplit } from './splits/leave-one-out-split.js';
export type { LeaveOneOutOptions } from './splits/leave-one-out-split.js';
export { ratioSplit } from './splits/ratio-split.js';
export type { RatioSplitOptions } from './splits/ratio-split.js';
export { randomSplit } from './splits/random-split.js';
export type { RandomSplitOptions } from './splits/random-split.js';
export { temporalSplit } from './splits/temporal-split.js';
export type { TemporalSplitOptions } from './splits/temporal-split.js';
export { kFoldSplits } from './splits/k-fold-splits.js';
export type { KFoldOptions } from './splits/k-fold-splits.js';
export { validationSplit } from './splits/validation-split.js';
export type { ValidationSplitOptions } from './splits/validation-split.js';
export { deserializeSplit, serializeSplit } from './splits/serialize-split.js';
export type { SerializedSplit } from './splits/serialize-split.js';

export { UniformNegativeSampler } from './sampling/uniform-negative-sampler.js';
export { PopularityNegativeSampler } from './sampling/popularity-negative-sampler.js';
export type { PopularityNegativeSamplerOptions } from './sampling/popularity-negative-sampler.js';
export { sampleTestCandidates } from './sampling/sample-test-candidates.js';
export type { SampleTestCandidatesOptions } from './sampling/sample-test-candidates.js';

export { generateSyntheticDataset } from './synthetic/generate-synthetic-dataset.js';
export type { SyntheticDataset, SyntheticDatasetOptions } from './synthetic/generate-synthetic-dataset.js';

export { toImplicit } from './transforms/to-implicit.js';
export type { ToImplicitOptions } from './transforms/to-implicit.js';
export { kCore } from './transforms/k-core.js';
export type { KCoreOptions } from './transforms/k-core.js';
export { subsetDataset } from './transforms/subset-dataset.js';
export type { SubsetOptions } from './transforms/subset-dataset.js';
export { appendFakeUsers } from './transforms/append-fake-users.js';
export type { AppendFakeUsersOptions } from './transforms/append-fake-users.js';
