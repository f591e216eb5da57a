export { expectArraysClose, expectClose, maxAbsDifference } from './close.js';
export { describeEachBackend, toleranceFor } from './describe-each-backend.js';
export type { BackendLike } from './describe-each-backend.js';
export { dataDirectory, describeWithData, datasetPath } from './data-dir.js';
export { fixturePath, readFixture } from './fixtures.js';
export { thrownError } from './thrown-error.js';
export type { ThrownError } from './thrown-error.js';
