import {
  ConjugateGradientWorkspace,
  type CsrMatrix,
  choleskyFactorInPlace,
  choleskySolveInPlace,
  conjugateGradient,
} from '@trustrec/core-linalg';

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

/** G = YᵀY + λI (k × k, float64) over all rows of the fixed factor matrix Y (rows × k). */
export function gramMatrix(fixed: Float32Array, rows: number, k: number, lambda: number): Float64Array {
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
 * `matrixRows[t]` is the row of `matrix` for target row `targetRows[t]` (identity when omitted).
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
 * with c_ui = 1 + α r_ui and p_ui = 1 for stored entries. `gram` = YᵀY + λI is shared by all rows.
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

/**
 * Implicit ALS row solve by conjugate gradient (Takács, Pilászy & Tikk 2011; the solver implicit uses): the same
 * system as {@link solveImplicitRowsCholesky}, never formed: A·d = G·d + Σ_i α r_ui (y_iᵀd) y_i, warm-started
 * from the current row and run for `steps` iterations.
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
  const count = targetRows ? targetRows.length : matrix.numRows;
  const { indptr, indices, values } = matrix;
  const b = workspace.rhs;
  const x = workspace.solution;
  // The row's fixed vectors y_i, gathered once per row into contiguous float64 (the operator reads them 2 × (steps + 1) times).
  let gathered = new Float64Array(64 * k);
  let weight = new Float64Array(64);
  let rowLength = 0;
  const apply = (vector: Float64Array, out: Float64Array): void => {
    // G·d with four accumulators per row (the add-latency chain, not the multiplies, bounds this loop).
    for (let i = 0; i < k; i++) {
      const rowI = i * k;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let j = 0;
      for (; j + 3 < k; j += 4) {
        s0 += gram[rowI + j] * vector[j];
        s1 += gram[rowI + j + 1] * vector[j + 1];
        s2 += gram[rowI + j + 2] * vector[j + 2];
        s3 += gram[rowI + j + 3] * vector[j + 3];
      }
      for (; j < k; j++) s0 += gram[rowI + j] * vector[j];
      out[i] = s0 + s1 + (s2 + s3);
    }
    // + Σ_i (c_ui − 1)(y_iᵀd) y_i over the row's stored entries (nothing when α = 0: every confidence is 1).
    if (alpha === 0) return;
    const local = gathered;
    for (let t = 0; t < rowLength; t++) {
      const base = t * k;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let i = 0;
      for (; i + 3 < k; i += 4) {
        s0 += local[base + i] * vector[i];
        s1 += local[base + i + 1] * vector[i + 1];
        s2 += local[base + i + 2] * vector[i + 2];
        s3 += local[base + i + 3] * vector[i + 3];
      }
      for (; i < k; i++) s0 += local[base + i] * vector[i];
      const scale = weight[t] * (s0 + s1 + (s2 + s3));
      for (let c = 0; c < k; c++) out[c] += scale * local[base + c];
    }
  };
  const options = { maxIterations: steps, tolerance: 1e-10 };
  for (let t = 0; t < count; t++) {
    const row = matrixRows ? matrixRows[t] : t;
    const out = (targetRows ? targetRows[t] : t) * k;
    const start = indptr[row];
    rowLength = indptr[row + 1] - start;
    if (gathered.length < rowLength * k) gathered = new Float64Array(rowLength * k * 2);
    if (weight.length < rowLength) weight = new Float64Array(rowLength * 2);
    b.fill(0);
    for (let e = 0; e < rowLength; e++) {
      const base = indices[start + e] * k;
      const localBase = e * k;
      const extra = alpha * values[start + e];
      weight[e] = extra;
      const confidence = 1 + extra;
      for (let i = 0; i < k; i++) {
        const yi = fixed[base + i];
        gathered[localBase + i] = yi;
        b[i] += confidence * yi;
      }
    }
    for (let i = 0; i < k; i++) x[i] = target[out + i];
    conjugateGradient(apply, b, x, workspace.cg, options);
    for (let i = 0; i < k; i++) target[out + i] = x[i];
  }
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
