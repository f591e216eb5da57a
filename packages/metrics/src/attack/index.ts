export {
  modelInversionPrecisionRecall,
  predictionShift,
  rankOfItem,
  rankShift,
  targetHitRatioAtK,
  usersRecommendedAtLeast,
} from './attack-metrics.js';
export type { ModelInversionResult, RecommendationLists, TargetHitRatioResult } from './attack-metrics.js';
