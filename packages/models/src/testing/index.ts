// @trustrec/models/testing — the conformance suite and test data helpers (vitest is an optional peer).
export { recommenderConformanceSuite } from './recommender-conformance-suite.js';
export type { RecommenderConformanceOptions } from './recommender-conformance-suite.js';
export { createSyntheticInteractions, heldOutRanking } from './synthetic-interactions.js';
export type { SyntheticInteractions, SyntheticInteractionsOptions } from './synthetic-interactions.js';
