// @trustrec/models — the public API. Every public name is listed here explicitly.

export { NotFittedError, abortedError, configError } from './errors/index.js';

export { BaseRecommender, FactorRecommender } from './recommender/base-recommender.js';
export { isFactorModel, supportsPartialFit, supportsRestore } from './recommender/recommender.js';
export type {
  EpochEvent,
  EpochRecord,
  FactorModel,
  FitOptions,
  FitReport,
  HyperParameterValue,
  HyperParameters,
  ModelDescription,
  ModelReference,
  PartialFitModel,
  RecommendOptions,
  Recommender,
  RestorableModel,
  StopReason,
  TrainingCallback,
  ValidationOptions,
} from './recommender/recommender.js';

export { MatrixFactorizationBpr, BPR_DEFAULTS, BPR_REFERENCE, bprModelEntry } from './mf/matrix-factorization-bpr.js';
export type { BprExtensions, BprHyperParameters } from './mf/matrix-factorization-bpr.js';
export { bprMargin, bprSgdEpoch } from './mf/bpr-sgd-kernel.js';
export type { BprSgdEpochInput } from './mf/bpr-sgd-kernel.js';
export {
  MatrixFactorizationLogistic,
  LOGISTIC_MF_DEFAULTS,
  LOGISTIC_MF_REFERENCE,
  logisticMfModelEntry,
} from './mf/matrix-factorization-logistic.js';
export type { LogisticMfHyperParameters } from './mf/matrix-factorization-logistic.js';
export { encodeNegative, logisticSgdExamples, logisticTrainingExamples } from './mf/logistic-sgd-kernel.js';
export { ALS_DEFAULTS, ALS_REFERENCE, MatrixFactorizationAls, alsModelEntry } from './als/matrix-factorization-als.js';
export type { AlsHyperParameters } from './als/matrix-factorization-als.js';
export {
  IMPLICIT_ALS_DEFAULTS,
  IMPLICIT_ALS_REFERENCE,
  ImplicitAls,
  implicitAlsModelEntry,
} from './als/implicit-als.js';
export type { ImplicitAlsHyperParameters } from './als/implicit-als.js';
export {
  AlsWorkspace,
  gramMatrix,
  observedMeanSquaredError,
  solveExplicitRows,
  solveImplicitRowsCg,
  solveImplicitRowsCholesky,
} from './als/als-solvers.js';
export {
  ITEM_KNN_DEFAULTS,
  ITEM_KNN_REFERENCE,
  ItemKnn,
  computeItemSimilarity,
  itemKnnModelEntry,
} from './knn/item-knn.js';
export type { ItemKnnHyperParameters } from './knn/item-knn.js';
export {
  MOST_POPULAR_DEFAULTS,
  MOST_POPULAR_REFERENCE,
  MostPopular,
  mostPopularModelEntry,
} from './baselines/most-popular.js';
export type { MostPopularHyperParameters } from './baselines/most-popular.js';

export {
  MODEL_FORMAT_MAGIC,
  MODEL_FORMAT_VERSION,
  decodeModel,
  encodeModel,
  requireStoredArray,
  requireStoredNumber,
} from './serialization/index.js';
export type {
  DecodedModel,
  ModelFileHeader,
  ModelPayload,
  StoredArray,
  StoredArrayEntry,
  StoredDtype,
  StoredStateValue,
} from './serialization/index.js';

export {
  ModelRegistry,
  createDefaultModelRegistry,
  defaultModelRegistry,
  loadModel,
  resolveHyperParameters,
} from './registry/index.js';
export type { HyperParameterDoc, HyperParameterSpec, ModelEntry } from './registry/index.js';

export {
  AdagradOptimizer,
  AdamOptimizer,
  SgdOptimizer,
  SparseGradientBatch,
  InteractionLookup,
  UniformNegativeSampler,
  checkpoint,
  clipExampleNorm,
  clipRowNorm,
  createLearningRateSchedule,
  createOptimizer,
  createParameterTable,
  earlyStopping,
  expandRows,
  gaussianNoise,
  runEpochs,
  runGradientEpoch,
  weightDecay,
} from './training/index.js';
export type {
  BatchSampler,
  EarlyStoppingOptions,
  EpochResult,
  GradientEpochOptions,
  GradientModel,
  GradientTransform,
  LearningRateSchedule,
  Optimizer,
  OptimizerName,
  ParameterTable,
  RunEpochsOptions,
  ScheduleName,
  TrainingBatch,
  TransformContext,
  UniformNegativeSamplerOptions,
} from './training/index.js';

export {
  GMF_DEFAULTS,
  Gmf,
  MLP_DEFAULTS,
  Mlp,
  NCF_REFERENCE,
  NEUMF_DEFAULTS,
  NcfInstanceSampler,
  NcfNetwork,
  NcfRecommender,
  NeuMf,
  SimdTowerKernels,
  TypedArrayTowerKernels,
  buildSimdGemmModuleBytes,
  createTowerKernels,
  gmfModelEntry,
  gmfParametersFromLogisticMf,
  initializeFromPretrained,
  isSimdGemmAvailable,
  mlpModelEntry,
  neumfModelEntry,
  referenceTowerLayers,
} from './ncf/index.js';
export type {
  GmfHyperParameters,
  GmfParameters,
  MlpHyperParameters,
  NcfArchitecture,
  NcfCommonHyperParameters,
  NcfInstances,
  NcfKind,
  NcfOptimizerSettings,
  NeuMfHyperParameters,
  TowerKernelName,
  TowerKernelPreference,
  TowerKernels,
} from './ncf/index.js';
