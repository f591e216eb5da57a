export { RANKING_METRIC_NAMES } from './evaluation-result.js';
export type { EvaluationResult, PerUserResults, RankingMetricName } from './evaluation-result.js';
export { evaluateFullRanking } from './evaluate-full-ranking.js';
export type { FullRankingOptions, FullRankingScoreFunction } from './evaluate-full-ranking.js';
export { evaluateSampled } from './evaluate-sampled.js';
export type {
  RepeatedPositivePolicy,
  SampledCandidates,
  SampledOptions,
  SampledScoreFunction,
  SampledTieRule,
} from './evaluate-sampled.js';
