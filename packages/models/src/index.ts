// @trustrec/models — the public API. Every public name is listed here explicitly.

export { NotFittedError, abortedError, configError } from './errors/index.js';

export { BaseRecommender, FactorRecommender, isFactorModel, supportsPartialFit } from './recommender/index.js';
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
  StopReason,
  TrainingCallback,
  ValidationOptions,
} from './recommender/index.js';

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
