/**
 * The stable error codes every TrustRec package uses. Codes never change meaning once released; new codes
 * are added here, in one place, so a user can switch on `error.code` across packages.
 */
export const ERROR_CODES = {
  /** Array or matrix dimensions do not fit the operation. */
  E_SHAPE: 'E_SHAPE',
  /** A function argument or option is invalid (out of range, wrong type, inconsistent). */
  E_ARGUMENT: 'E_ARGUMENT',
  /** A configuration (file, object or CLI flags) is invalid. */
  E_CONFIG: 'E_CONFIG',
  /** A dataset file could not be parsed (the message names file, line and field). */
  E_DATASET_PARSE: 'E_DATASET_PARSE',
  /** A dataset is not available locally or in the cache and cannot be downloaded. */
  E_DATASET_MISSING: 'E_DATASET_MISSING',
  /** A download failed or its checksum did not match. */
  E_DOWNLOAD: 'E_DOWNLOAD',
  /** A requested compute backend is unavailable or failed its self-test. */
  E_BACKEND: 'E_BACKEND',
  /** A numerical routine failed (matrix not positive definite, NaN in factors, no convergence). */
  E_NUMERIC: 'E_NUMERIC',
  /** A model was used before `fit`. */
  E_NOT_FITTED: 'E_NOT_FITTED',
  /** A serialised artefact has an unknown or incompatible format. */
  E_FORMAT: 'E_FORMAT',
  /** A differential-privacy budget would be exceeded or cannot be met. */
  E_PRIVACY_BUDGET: 'E_PRIVACY_BUDGET',
  /** Work was cancelled through an AbortSignal. */
  E_ABORTED: 'E_ABORTED',
  /** A file could not be read or written. */
  E_IO: 'E_IO',
} as const;

export type ErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];
