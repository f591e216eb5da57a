export {
  logGamma,
  normalCdf,
  normalQuantile,
  normalSurvival,
  regularizedGammaP,
  regularizedGammaQ,
  regularizedIncompleteBeta,
  studentTCdf,
  studentTQuantile,
} from './distributions.js';
export { pairedTTest, wilcoxonSignedRank } from './hypothesis-tests.js';
export { mcNemarTest } from './mcnemar-test.js';
export type { McNemarResult } from './mcnemar-test.js';
export type { Alternative, PairedTTestResult, WilcoxonResult } from './hypothesis-tests.js';
export { bootstrapConfidenceInterval, meanWithConfidenceInterval, quantileOfSorted } from './confidence-intervals.js';
export type {
  BootstrapInterval,
  BootstrapOptions,
  ConfidenceInterval,
  MeanConfidenceInterval,
} from './confidence-intervals.js';
