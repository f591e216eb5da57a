// @trustrec/defenses — the public API. Every public name is listed here explicitly.
export const PACKAGE_NAME = '@trustrec/defenses';

export { APR_CITATION, DISTILLATION_CITATION } from './defense-description.js';
export type { DefenseDescription, DefenseParameterValue } from './defense-description.js';

export { APR_DEFAULT_EPSILON, APR_DEFAULT_LAMBDA, aprTransform, describeApr } from './adversarial/apr-transform.js';
export type { AprStats, AprTransform, AprTransformOptions } from './adversarial/apr-transform.js';
export { APR_TRAINING_DEFAULTS, trainApr } from './adversarial/train-apr.js';
export type { AprEpochEvent, AprReport, TrainAprOptions } from './adversarial/train-apr.js';
export { createDefenseOptimizer, runGradientPhase } from './adversarial/gradient-training.js';
export type { DefenseOptimizer, GradientPhaseOptions } from './adversarial/gradient-training.js';
export { resolveParameterTables } from './adversarial/parameter-tables.js';
export { ncfGradientModel } from './adversarial/ncf-gradient-model.js';
export type { NcfGradientModel } from './adversarial/ncf-gradient-model.js';

export { DistillationSampler, isDistillationBatch } from './distillation/distillation-sampler.js';
export type { DistillationBatch, DistillationSamplerOptions } from './distillation/distillation-sampler.js';
export {
  DISTILLED_MF_DEFAULTS,
  DistilledMatrixFactorization,
  distilledMfModelEntry,
} from './distillation/distilled-matrix-factorization.js';
export type { DistilledMfHyperParameters } from './distillation/distilled-matrix-factorization.js';
export { pearsonCorrelation, scoreAgreement, spearmanCorrelation } from './distillation/score-agreement.js';
export type { ScoreAgreement } from './distillation/score-agreement.js';
export {
  describeDistillation,
  trainAdversarialDistilledMf,
  trainDistilledMf,
} from './distillation/train-distilled-mf.js';
export type {
  DistillationReport,
  TrainAdversarialDistilledMfOptions,
  TrainDistilledMfOptions,
} from './distillation/train-distilled-mf.js';
