import {
  ConjugateGradientWorkspace,
  type CsrMatrix,
  TrustRecError,
  argumentError,
  choleskyFactorInPlace,
  choleskySolveInPlace,
  shapeError,
} from '@trustrec/core-linalg';
import { type AlsCgSimd, alsCgSimd } from './als-cg-simd.js';
import { type AlsCholeskySimd, alsCholeskySimd } from './als-cholesky-simd.js';

/** `bytes` rounded up to a multiple of 16: the offsets of the arrays the SIMD kernels read as v128. */
function alignTo16(bytes: number): number {
  return Math.ceil(bytes / 16) * 16;
}

/** Scratch buffers for the per-row solves (k × k matrix, right-hand side, warm start, CG workspace). */
export class AlsWorkspace {
  readonly matrix: Float64Array;
  readonly rhs: Float64Array;
  readonly solution: Float64Array;
  readonly cg: ConjugateGradientWorkspace;
  constructor(readonly k: number) {
    this.matrix = new Float64Array(k * k);
    this.rhs = new Float64Array(k);
    this.solution = new Float64Array(k);
    this.cg = new ConjugateGradientWorkspace(k);
  }
}

/**
 * The once-per-call checks of the row solvers (`E_SHAPE`): the workspace and `gram` are for this k, `fixed` has a
 * row for every column of `matrix`, `targetRows` / `matrixRows` (when given) have one entry per solved row and name
 * rows of `target` / `matrix`. A mismatch would otherwise write outside the arrays (ignored by typed arrays) or
 * read undefined values, without an error.
 */
function checkRowSolve(
  where: string,
  target: Float32Array,
  fixed: Float32Array,
  matrix: CsrMatrix,
  k: number,
  workspace: AlsWorkspace,
  gram: Float64Array | undefined,
  targetRows: Int32Array | undefined,
  matrixRows: Int32Array | undefined,
): void {
  if (!Number.isInteger(k) || k < 1) throw shapeError(where, `k must be an integer ≥ 1, got ${k}`);
  if (workspace.k !== k) throw shapeError(where, `the workspace is for k = ${workspace.k}, the solve for k = ${k}`);
  if (gram !== undefined && gram.length !== k * k)
    throw shapeError(where, `gram has ${gram.length} values, expected k × k = ${k * k}`);
  if (fixed.length < matrix.numColumns * k) {
    throw shapeError(
      where,
      `fixed has ${fixed.length} floats, fewer than the ${matrix.numColumns} rows × ${k} the matrix's columns need`,
    );
  }
  if (matrixRows !== undefined) {
    if (targetRows === undefined || matrixRows.length !== targetRows.length)
      throw shapeError(where, 'matrixRows needs targetRows of the same length');
    for (let t = 0; t < matrixRows.length; t++) {
      if (!(matrixRows[t] >= 0 && matrixRows[t] < matrix.numRows))
        throw shapeError(where, `matrixRows[${t}] = ${matrixRows[t]} is outside [0, ${matrix.numRows})`);
    }
  } else if (targetRows !== undefined && targetRows.length !== matrix.numRows) {
    throw shapeError(
      where,
      `targetRows has ${targetRows.length} rows, the matrix ${matrix.numRows} (row t solves targetRows[t])`,
    );
  }
  const targetRowCount = Math.floor(target.length / k);
  if (targetRows === undefined) {
    if (matrix.numRows > targetRowCount)
      throw shapeError(where, `target holds ${targetRowCount} rows of ${k}, the matrix has ${matrix.numRows}`);
    return;
  }
  for (let t = 0; t < targetRows.length; t++) {
    if (!(targetRows[t] >= 0 && targetRows[t] < targetRowCount))
      throw shapeError(where, `targetRows[${t}] = ${targetRows[t]} is outside the ${targetRowCount} rows of target`);
  }
}

/** G = YᵀY + λI (k × k, float64) over all rows of the fixed factor matrix Y (rows × k). */
export function gramMatrix(fixed: Float32Array, rows: number, k: number, lambda: number): Float64Array {
  if (!Number.isInteger(k) || k < 1 || !Number.isInteger(rows) || rows < 0 || fixed.length < rows * k) {
    throw shapeError(
      'gramMatrix',
      `fixed (${fixed.length} floats) must hold rows × k = ${rows} × ${k} values, rows an integer ≥ 0 and k ≥ 1`,
    );
  }
  if (!Number.isFinite(lambda)) throw argumentError('gramMatrix', `lambda must be a finite number, got ${lambda}`);
  const gram = new Float64Array(k * k);
  for (let r = 0; r < rows; r++) {
    const base = r * k;
    for (let a = 0; a < k; a++) {
      const ya = fixed[base + a];
      if (ya === 0) continue;
      const rowA = a * k;
      for (let b = 0; b <= a; b++) gram[rowA + b] += ya * fixed[base + b];
    }
  }
  for (let a = 0; a < k; a++) {
    gram[a * k + a] += lambda;
    for (let b = 0; b < a; b++) gram[b * k + a] = gram[a * k + b];
  }
  return gram;
}

/**
 * Explicit ALS row solve (seed 003 eq. 2 with one side fixed): for each row r (of `matrix`, written to row
 * `targetRows[t]` of `target`), x_r = (Σ_{j∈Ω_r} y_j y_jᵀ + λ I)⁻¹ Σ_{j∈Ω_r} m_rj y_j — the closed-form minimiser
 * of Σ_{j∈Ω_r}(m_rj − x_rᵀy_j)² + λ‖x_r‖², by Cholesky. Rows with no entries get x_r = 0 (the minimiser).
 * `matrixRows[t]` is the row of `matrix` for target row `targetRows[t]` (identity when omitted). When k is even
 * and WebAssembly SIMD is available, the normal equations are formed and factorised by the kernels of
 * als-cholesky-simd.ts (bit-identical to these scalar loops, about ten times faster).
 */
export function solveExplicitRows(
  target: Float32Array,
  fixed: Float32Array,
  matrix: CsrMatrix,
  k: number,
  lambda: number,
  workspace: AlsWorkspace,
  targetRows?: Int32Array,
  matrixRows?: Int32Array,
): void {
  checkRowSolve('solveExplicitRows', target, fixed, matrix, k, workspace, undefined, targetRows, matrixRows);
  const simd = k % 2 === 0 ? alsCholeskySimd() : null;
  if (simd !== null) {
    solveRowsCholeskySimd(simd, { kind: 'explicit', lambda }, target, fixed, matrix, k, targetRows, matrixRows);
    return;
  }
  const count = targetRows ? targetRows.length : matrix.numRows;
  const { indptr, indices, values } = matrix;
  const a = workspace.matrix;
  const b = workspace.rhs;
  for (let t = 0; t < count; t++) {
    const row = matrixRows ? matrixRows[t] : t;
    const out = (targetRows ? targetRows[t] : t) * k;
    a.fill(0);
    b.fill(0);
    for (let p = indptr[row]; p < indptr[row + 1]; p++) {
      const base = indices[p] * k;
      const value = values[p];
      for (let i = 0; i < k; i++) {
        const yi = fixed[base + i];
        b[i] += value * yi;
        const rowI = i * k;
        for (let j = 0; j <= i; j++) a[rowI + j] += yi * fixed[base + j];
      }
    }
    for (let i = 0; i < k; i++) a[i * k + i] += lambda;
    choleskyFactorInPlace(a, k);
    choleskySolveInPlace(a, k, b);
    for (let i = 0; i < k; i++) target[out + i] = b[i];
  }
}

/**
 * Implicit ALS row solve by Cholesky (Hu, Koren & Volinsky 2008, eq. 4): x_u = (YᵀY + Yᵀ(C_u − I)Y + λI)⁻¹ YᵀC_u p(u)
 * with c_ui = 1 + α r_ui and p_ui = 1 for stored entries. `gram` = YᵀY + λI is shared by all rows. When k is even
 * and WebAssembly SIMD is available, the system is formed and factorised by the kernels of als-cholesky-simd.ts
 * (bit-identical to these scalar loops, about ten times faster).
 */
export function solveImplicitRowsCholesky(
  target: Float32Array,
  fixed: Float32Array,
  gram: Float64Array,
  matrix: CsrMatrix,
  k: number,
  alpha: number,
  workspace: AlsWorkspace,
  targetRows?: Int32Array,
  matrixRows?: Int32Array,
): void {
  checkRowSolve('solveImplicitRowsCholesky', target, fixed, matrix, k, workspace, gram, targetRows, matrixRows);
  const simd = k % 2 === 0 ? alsCholeskySimd() : null;
  if (simd !== null) {
    solveRowsCholeskySimd(simd, { kind: 'implicit', gram, alpha }, target, fixed, matrix, k, targetRows, matrixRows);
    return;
  }
  const count = targetRows ? targetRows.length : matrix.numRows;
  const { indptr, indices, values } = matrix;
  const a = workspace.matrix;
  const b = workspace.rhs;
  for (let t = 0; t < count; t++) {
    const row = matrixRows ? matrixRows[t] : t;
    const out = (targetRows ? targetRows[t] : t) * k;
    a.set(gram);
    b.fill(0);
    for (let p = indptr[row]; p < indptr[row + 1]; p++) {
      const base = indices[p] * k;
      const extra = alpha * values[p];
      const confidence = 1 + extra;
      for (let i = 0; i < k; i++) {
        const yi = fixed[base + i];
        b[i] += confidence * yi;
        const scaled = extra * yi;
        const rowI = i * k;
        for (let j = 0; j <= i; j++) a[rowI + j] += scaled * fixed[base + j];
      }
    }
    choleskyFactorInPlace(a, k);
    choleskySolveInPlace(a, k, b);
    for (let i = 0; i < k; i++) target[out + i] = b[i];
  }
}

/** The two normal-equation systems solved by Cholesky: explicit (A = Σ y yᵀ + λI, b = Σ m y) or implicit (eq. 4). */
type CholeskySystem =
  | { readonly kind: 'explicit'; readonly lambda: number }
  | { readonly kind: 'implicit'; readonly gram: Float64Array; readonly alpha: number };

/**
 * {@link solveExplicitRows} / {@link solveImplicitRowsCholesky} with A and b formed and A factorised in WebAssembly
 * SIMD (see als-cholesky-simd.ts); the two triangular solves are core-linalg's, on the kernel's memory. Copies the
 * fixed factors once per call and the column indices and values of the solved rows only; the kernel computes each
 * entry's weight and coefficient as the scalar loops do, so A, b and the solutions are bit-identical to them.
 */
function solveRowsCholeskySimd(
  simd: AlsCholeskySimd,
  system: CholeskySystem,
  target: Float32Array,
  fixed: Float32Array,
  matrix: CsrMatrix,
  k: number,
  targetRows: Int32Array | undefined,
  matrixRows: Int32Array | undefined,
): void {
  const count = targetRows ? targetRows.length : matrix.numRows;
  const { indptr, indices, values } = matrix;
  let entries = 0;
  for (let t = 0; t < count; t++) {
    const row = matrixRows ? matrixRows[t] : t;
    entries += indptr[row + 1] - indptr[row];
  }
  const aAt = 0;
  const blockAt = alignTo16(8 * k * k);
  const bAt = blockAt + 32 * k;
  const fixedAt = alignTo16(bAt + 8 * k);
  const indicesAt = alignTo16(fixedAt + 4 * fixed.length);
  const valuesAt = alignTo16(indicesAt + 4 * entries);
  simd.reserve(valuesAt + 4 * entries);
  const buffer = simd.memory.buffer;
  new Float32Array(buffer, fixedAt, fixed.length).set(fixed);
  const packedIndices = new Int32Array(buffer, indicesAt, entries);
  const packedValues = new Float32Array(buffer, valuesAt, entries);
  let packed = 0;
  for (let t = 0; t < count; t++) {
    const row = matrixRows ? matrixRows[t] : t;
    for (let p = indptr[row]; p < indptr[row + 1]; p++, packed++) {
      packedIndices[packed] = indices[p];
      packedValues[packed] = values[p];
    }
  }
  const a = new Float64Array(buffer, aAt, k * k);
  const b = new Float64Array(buffer, bAt, k);
  const kb = 4 * k;
  const explicit = system.kind === 'explicit' ? 1 : 0;
  const alpha = system.kind === 'implicit' ? system.alpha : 0;
  const { accumulate, factor } = simd.exports;
  const formSystem = (start: number, end: number): void => {
    if (system.kind === 'implicit') a.set(system.gram);
    else a.fill(0);
    b.fill(0);
    accumulate(start, end, indicesAt, valuesAt, fixedAt, kb, aAt, blockAt, bAt, explicit, alpha);
    if (system.kind === 'explicit') for (let i = 0; i < k; i++) a[i * k + i] += system.lambda;
  };
  let start = 0;
  for (let t = 0; t < count; t++) {
    const row = matrixRows ? matrixRows[t] : t;
    const out = (targetRows ? targetRows[t] : t) * k;
    const end = start + indptr[row + 1] - indptr[row];
    formSystem(start, end);
    if (factor(aAt, k) !== -1) {
      // Not positive definite: form the system again and let core-linalg's factorisation raise its E_NUMERIC.
      formSystem(start, end);
      choleskyFactorInPlace(a, k);
    }
    choleskySolveInPlace(a, k, b);
    for (let i = 0; i < k; i++) target[out + i] = b[i];
    start = end;
  }
}

/**
 * Implicit ALS row solve by conjugate gradient (Takács, Pilászy & Tikk 2011, alg. 2; the solver implicit's
 * `_als.pyx` runs on CPU): the same system as {@link solveImplicitRowsCholesky}, A_u = G + Yᵀ(C_u − I)Y with
 * G = YᵀY + λI shared by all rows, never formed. Warm-started from the current row x and run for `steps` steps:
 *
 *   r = YᵀC_u p(u) − A_u x = −G x + Σ_{i∈Ω_u} (c_ui − (c_ui − 1) y_iᵀx) y_i       (one pass over the row's items)
 *   d = r; then per step: A_u d = G d + Σ_{i∈Ω_u} (c_ui − 1)(y_iᵀd) y_i, a = rᵀr / dᵀA_u d,
 *   x += a d, r −= a A_u d, d = r + (r'ᵀr' / rᵀr) d
 *
 * so each row costs one k×k gemv (G·x or G·d) and one dot + one axpy per stored item per step — no k×k work
 * per item, no allocation (the vectors live in `workspace`), and the fixed rows y_i are read in place from the
 * Float32Array. When α = 0 every c_ui − 1 is 0 and the per-item operator terms are skipped. When k is a multiple
 * of 4 and WebAssembly SIMD is available, the dot/axpy passes and the gemv run in float32 SIMD (as implicit's
 * BLAS sdot/saxpy/ssymv; see als-cg-simd.ts); otherwise these scalar float64 loops run.
 */
export function solveImplicitRowsCg(
  target: Float32Array,
  fixed: Float32Array,
  gram: Float64Array,
  matrix: CsrMatrix,
  k: number,
  alpha: number,
  steps: number,
  workspace: AlsWorkspace,
  targetRows?: Int32Array,
  matrixRows?: Int32Array,
): void {
  checkRowSolve('solveImplicitRowsCg', target, fixed, matrix, k, workspace, gram, targetRows, matrixRows);
  const simd = k % 4 === 0 ? alsCgSimd() : null;
  if (simd !== null) {
    solveImplicitRowsCgSimd(simd, target, fixed, gram, matrix, k, alpha, steps, targetRows, matrixRows);
    return;
  }
  const count = targetRows ? targetRows.length : matrix.numRows;
  const { indptr, indices, values } = matrix;
  const x = workspace.solution;
  const r = workspace.cg.residual;
  const d = workspace.cg.direction;
  const ad = workspace.cg.product;
  const k4 = k - (k % 4);
  /** ‖r‖² below which a row is solved (conjugateGradient's default tolerance 1e-10, squared). */
  const tolerance = 1e-20;
  for (let t = 0; t < count; t++) {
    const row = matrixRows ? matrixRows[t] : t;
    const out = (targetRows ? targetRows[t] : t) * k;
    const start = indptr[row];
    const end = indptr[row + 1];
    for (let c = 0; c < k; c++) x[c] = target[out + c];
    // r = −G x + Σ (c_ui − (c_ui − 1) y_iᵀx) y_i
    gramTimes(gram, x, r, k, k4, -1);
    for (let e = start; e < end; e++) {
      const base = indices[e] * k;
      const extra = alpha * values[e];
      const coefficient = 1 + extra - extra * rowDot(fixed, base, x, k, k4);
      rowAxpy(coefficient, fixed, base, r, k, k4);
    }
    let rsOld = 0;
    for (let c = 0; c < k; c++) {
      d[c] = r[c];
      rsOld += r[c] * r[c];
    }
    if (!Number.isFinite(rsOld)) throw nonFiniteRow(row, 0);
    for (let step = 0; step < steps && rsOld > tolerance; step++) {
      // A_u d = G d + Σ (c_ui − 1)(y_iᵀd) y_i
      gramTimes(gram, d, ad, k, k4, 1);
      if (alpha !== 0) {
        for (let e = start; e < end; e++) {
          const base = indices[e] * k;
          const extra = alpha * values[e];
          rowAxpy(extra * rowDot(fixed, base, d, k, k4), fixed, base, ad, k, k4);
        }
      }
      let curvature = 0;
      for (let c = 0; c < k; c++) curvature += d[c] * ad[c];
      if (!(curvature > 0)) throw notPositiveDefinite(row, curvature);
      const a = rsOld / curvature;
      let rsNew = 0;
      for (let c = 0; c < k; c++) {
        x[c] += a * d[c];
        const rc = r[c] - a * ad[c];
        r[c] = rc;
        rsNew += rc * rc;
      }
      if (!Number.isFinite(rsNew)) throw nonFiniteRow(row, step + 1);
      const beta = rsNew / rsOld;
      for (let c = 0; c < k; c++) d[c] = r[c] + beta * d[c];
      rsOld = rsNew;
    }
    for (let c = 0; c < k; c++) target[out + c] = x[c];
  }
}

/**
 * {@link solveImplicitRowsCg} with the per-item dot/axpy passes and the G·v products in WebAssembly SIMD
 * (float32, as implicit's BLAS sdot/saxpy/ssymv); the k-length CG vector updates stay in JS. Copies G (as
 * float32), the fixed factors, the column indices and the weights c_ui − 1 into the kernel's memory once per call.
 */
function solveImplicitRowsCgSimd(
  simd: AlsCgSimd,
  target: Float32Array,
  fixed: Float32Array,
  gram: Float64Array,
  matrix: CsrMatrix,
  k: number,
  alpha: number,
  steps: number,
  targetRows: Int32Array | undefined,
  matrixRows: Int32Array | undefined,
): void {
  const count = targetRows ? targetRows.length : matrix.numRows;
  const { indptr, indices, values } = matrix;
  const kb = 4 * k;
  const gramAt = 0;
  const xAt = alignTo16(gramAt + kb * k);
  const rAt = xAt + alignTo16(kb);
  const dAt = rAt + alignTo16(kb);
  const adAt = dAt + alignTo16(kb);
  const fixedAt = adAt + alignTo16(kb);
  const indicesAt = alignTo16(fixedAt + 4 * fixed.length);
  const weightsAt = alignTo16(indicesAt + 4 * indices.length);
  simd.reserve(weightsAt + 4 * values.length);
  const buffer = simd.memory.buffer;
  new Float32Array(buffer, gramAt, k * k).set(gram);
  new Float32Array(buffer, fixedAt, fixed.length).set(fixed);
  new Int32Array(buffer, indicesAt, indices.length).set(indices);
  const weights = new Float32Array(buffer, weightsAt, values.length);
  for (let e = 0; e < values.length; e++) weights[e] = alpha * values[e];
  const x = new Float32Array(buffer, xAt, k);
  const r = new Float32Array(buffer, rAt, k);
  const d = new Float32Array(buffer, dAt, k);
  const ad = new Float32Array(buffer, adAt, k);
  const { gemv, residual, apply } = simd.exports;
  const tolerance = 1e-20;
  for (let t = 0; t < count; t++) {
    const row = matrixRows ? matrixRows[t] : t;
    const out = (targetRows ? targetRows[t] : t) * k;
    const start = indptr[row];
    const end = indptr[row + 1];
    for (let c = 0; c < k; c++) x[c] = target[out + c];
    gemv(gramAt, xAt, rAt, kb, -1);
    residual(start, end, indicesAt, weightsAt, fixedAt, kb, xAt, rAt);
    let rsOld = 0;
    for (let c = 0; c < k; c++) {
      const rc = r[c];
      d[c] = rc;
      rsOld += rc * rc;
    }
    if (!Number.isFinite(rsOld)) throw nonFiniteRow(row, 0);
    for (let step = 0; step < steps && rsOld > tolerance; step++) {
      gemv(gramAt, dAt, adAt, kb, 1);
      if (alpha !== 0) apply(start, end, indicesAt, weightsAt, fixedAt, kb, dAt, adAt);
      let curvature = 0;
      for (let c = 0; c < k; c++) curvature += d[c] * ad[c];
      if (!(curvature > 0)) throw notPositiveDefinite(row, curvature);
      const a = rsOld / curvature;
      let rsNew = 0;
      for (let c = 0; c < k; c++) {
        x[c] += a * d[c];
        const rc = r[c] - a * ad[c];
        r[c] = rc;
        rsNew += rc * rc;
      }
      if (!Number.isFinite(rsNew)) throw nonFiniteRow(row, step + 1);
      const beta = rsNew / rsOld;
      for (let c = 0; c < k; c++) d[c] = r[c] + beta * d[c];
      rsOld = rsNew;
    }
    for (let c = 0; c < k; c++) target[out + c] = x[c];
  }
}

function notPositiveDefinite(row: number, curvature: number): TrustRecError {
  return new TrustRecError({
    code: 'E_NUMERIC',
    message: `solveImplicitRowsCg: row ${row}: the operator is not positive definite (dᵀAd = ${curvature}); increase the regularisation`,
  });
}

function nonFiniteRow(row: number, step: number): TrustRecError {
  return new TrustRecError({
    code: 'E_NUMERIC',
    message: `solveImplicitRowsCg: row ${row}: the residual is not finite at step ${step}; check the interaction values and the factors for NaN or Infinity`,
    details: { row, step },
  });
}

/** out = sign · G·v for the k × k row-major `gram` (four accumulators per row: the add chain bounds this loop). */
function gramTimes(gram: Float64Array, v: Float64Array, out: Float64Array, k: number, k4: number, sign: number): void {
  for (let i = 0; i < k; i++) {
    const rowI = i * k;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let j = 0;
    for (; j < k4; j += 4) {
      s0 += gram[rowI + j] * v[j];
      s1 += gram[rowI + j + 1] * v[j + 1];
      s2 += gram[rowI + j + 2] * v[j + 2];
      s3 += gram[rowI + j + 3] * v[j + 3];
    }
    for (; j < k; j++) s0 += gram[rowI + j] * v[j];
    out[i] = sign * (s0 + s1 + (s2 + s3));
  }
}

/** y_iᵀv for the row of `fixed` at `base`. */
function rowDot(fixed: Float32Array, base: number, v: Float64Array, k: number, k4: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let c = 0;
  for (; c < k4; c += 4) {
    s0 += fixed[base + c] * v[c];
    s1 += fixed[base + c + 1] * v[c + 1];
    s2 += fixed[base + c + 2] * v[c + 2];
    s3 += fixed[base + c + 3] * v[c + 3];
  }
  for (; c < k; c++) s0 += fixed[base + c] * v[c];
  return s0 + s1 + (s2 + s3);
}

/** out += scale · y_i for the row of `fixed` at `base`. */
function rowAxpy(scale: number, fixed: Float32Array, base: number, out: Float64Array, k: number, k4: number): void {
  let c = 0;
  for (; c < k4; c += 4) {
    out[c] += scale * fixed[base + c];
    out[c + 1] += scale * fixed[base + c + 1];
    out[c + 2] += scale * fixed[base + c + 2];
    out[c + 3] += scale * fixed[base + c + 3];
  }
  for (; c < k; c++) out[c] += scale * fixed[base + c];
}

/** Mean squared error of U·Vᵀ over the stored entries of `matrix` (users × items). */
export function observedMeanSquaredError(
  matrix: CsrMatrix,
  users: Float32Array,
  items: Float32Array,
  k: number,
): number {
  const { indptr, indices, values } = matrix;
  let sum = 0;
  for (let u = 0; u < matrix.numRows; u++) {
    const userBase = u * k;
    for (let p = indptr[u]; p < indptr[u + 1]; p++) {
      const itemBase = indices[p] * k;
      let prediction = 0;
      for (let c = 0; c < k; c++) prediction += users[userBase + c] * items[itemBase + c];
      const error = values[p] - prediction;
      sum += error * error;
    }
  }
  return matrix.nnz > 0 ? sum / matrix.nnz : Number.NaN;
}
