export { CsrMatrix, buildCsrFromCoo } from './csr-matrix.js';
export type { CooInput, CsrBuildResult, DuplicatePolicy, FromCooOptions } from './csr-matrix.js';
