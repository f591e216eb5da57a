export { detectionMetrics, rocAuc } from './detection-metrics.js';
export type { DetectionMetrics } from './detection-metrics.js';
