export { datasetParseError } from './dataset-parse-error.js';
export type { ParseLocation } from './dataset-parse-error.js';
