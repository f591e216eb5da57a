export { ERROR_CODES } from './error-codes.js';
export type { ErrorCode } from './error-codes.js';
export { TrustRecError, argumentError, shapeError } from './trust-rec-error.js';
export type { TrustRecErrorOptions } from './trust-rec-error.js';
export { requireFinite, requireInteger } from './validate.js';
export { describeOptionValue, optionNames, rejectUnknownOptions } from './unknown-options.js';
