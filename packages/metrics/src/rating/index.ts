export { mae, rmse } from './rating-metrics.js';
