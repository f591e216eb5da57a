// @trustrec/metrics — the public API. Every public name is listed here (pinned by exports.test.ts).
export const PACKAGE_NAME = '@trustrec/metrics';

export {
  aucPerUser,
  gauc,
  gradedNdcgAtK,
  hitRatioAtK,
  idealDcgAtK,
  itemCoverage,
  mapAtK,
  mrrAtK,
  ndcgAtK,
  precisionAtK,
  rankDiscount,
  recallAtK,
  relevanceOfRanking,
} from './ranking/index.js';

export { mae, rmse } from './rating/index.js';

export {
  modelInversionPrecisionRecall,
  predictionShift,
  rankOfItem,
  rankShift,
  targetHitRatioAtK,
  usersRecommendedAtLeast,
} from './attack/index.js';
export type { ModelInversionResult, RecommendationLists, TargetHitRatioResult } from './attack/index.js';

export { detectionMetrics, rocAuc } from './detection/index.js';
export type { DetectionMetrics } from './detection/index.js';

export {
  accuracy,
  balancedAccuracy,
  confusionMatrix,
  macroF1,
  majorityBaselineAccuracy,
  oneVsRestAuc,
  randomGuessBaselineAccuracy,
} from './classification/index.js';

export {
  bootstrapConfidenceInterval,
  logGamma,
  mcNemarTest,
  meanWithConfidenceInterval,
  normalCdf,
  normalQuantile,
  normalSurvival,
  pairedTTest,
  quantileOfSorted,
  regularizedGammaP,
  regularizedGammaQ,
  regularizedIncompleteBeta,
  studentTCdf,
  studentTQuantile,
  wilcoxonSignedRank,
} from './statistics/index.js';
export type {
  Alternative,
  BootstrapInterval,
  BootstrapOptions,
  ConfidenceInterval,
  McNemarResult,
  MeanConfidenceInterval,
  PairedTTestResult,
  WilcoxonResult,
} from './statistics/index.js';

export { RANKING_METRIC_NAMES, evaluateFullRanking, evaluateSampled } from './evaluator/index.js';
export type {
  EvaluationResult,
  FullRankingOptions,
  FullRankingScoreFunction,
  PerUserResults,
  RankingMetricName,
  RepeatedPositivePolicy,
  SampledCandidates,
  SampledOptions,
  SampledScoreFunction,
  SampledTieRule,
} from './evaluator/index.js';
