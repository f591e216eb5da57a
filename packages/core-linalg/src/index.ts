// @trustrec/core-linalg — the public API. Every name other packages may use is listed here.

export {
  ERROR_CODES,
  TrustRecError,
  argumentError,
  describeOptionValue,
  optionNames,
  rejectUnknownOptions,
  requireFinite,
  requireInteger,
  shapeError,
} from './errors/index.js';
export type { ErrorCode, TrustRecErrorOptions } from './errors/index.js';

export { AliasTable, createRng, toRng } from './random/index.js';
export type { Rng, RngState } from './random/index.js';

export {
  TopKSelector,
  assertDenseMatrix,
  axpy,
  cloneDenseMatrix,
  createDenseMatrix,
  denseRow,
  dot,
  gemm,
  gemv,
  normalizeRows,
  normalizeRowsInPlace,
  nrm2,
  rowDots,
  scal,
  scatterAddRowsInPlace,
  topK,
} from './dense/index.js';
export type { DenseMatrix, GemmOptions, GemvOptions, TopKResult } from './dense/index.js';

export {
  ConjugateGradientWorkspace,
  choleskyFactorInPlace,
  choleskySolve,
  choleskySolveInPlace,
  conjugateGradient,
} from './solve/index.js';
export type { ConjugateGradientOptions, LinearOperator } from './solve/index.js';

export { CsrMatrix, buildCsrFromCoo } from './sparse/index.js';
export type { CooInput, CsrBuildResult, DuplicatePolicy, FromCooOptions } from './sparse/index.js';

export {
  TFJS_BACKEND_PRIORITY,
  TfjsLinalgBackend,
  TypedArrayBackend,
  applyBiasAndActivation,
  createLinalgBackend,
  listLinalgBackends,
  loadTfjsCore,
  probeAllBackends,
  probeBackend,
  selectBackend,
} from './backend/index.js';
export type {
  BackendPreference,
  BackendProbe,
  BackendSelection,
  DenseActivation,
  LinalgBackend,
  MatmulOptions,
  SelectBackendOptions,
  TfModule,
  TfjsBackendName,
} from './backend/index.js';
