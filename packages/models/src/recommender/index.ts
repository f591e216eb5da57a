export { BaseRecommender, FactorRecommender } from './base-recommender.js';
export { isFactorModel, supportsPartialFit } from './recommender.js';
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
} from './recommender.js';
