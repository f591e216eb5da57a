import { F64, I32, OP, SIMD, V128 } from '../wasm/opcodes.js';
import {
  Body,
  type WasmKernel,
  assembleModule,
  body,
  functionType,
  sharedWasmKernel,
} from '../wasm/wasm-module-builder.js';

/**
 * WebAssembly SIMD kernels for the k × k work of an ALS row solve by Cholesky (`solveExplicitRows`,
 * `solveImplicitRowsCholesky`), emitted as bytes at run time (the bytecode below is the source). Both compute in
 * float64 lanes and reproduce the scalar loops bit for bit: every product and every sum is the one the scalar code
 * computes, in the same order (wasm has no fused multiply-add). Exports, all pointers in bytes into the imported
 * memory:
 *
 * - `accumulate(start, end, indices, values, fixed, kb, a, block, b, explicit, alpha)`: one row's normal
 *   equations, A += Σ_e w_e y_e y_eᵀ (lower triangle) and b += Σ_e c_e y_e over the entries start ≤ e < end of
 *   `indices` (int32) and `values` (float32), y_e = row `indices[e]` of the float32 factor matrix `fixed`
 *   (kb = 4k bytes a row). Explicit ALS (seed 003 eq. 2, `explicit` = 1): w_e = 1, c_e = m_e; implicit ALS (Hu,
 *   Koren & Volinsky 2008, eq. 4): w_e = c_ue − 1 = α r_ue, c_e = 1 + α r_ue. The entries are taken four at a
 *   time: their rows are promoted to float64 once into the 4 × k scratch `block`, then each f64x2 pair of A is
 *   loaded, receives the four products in entry order and is stored again, so A is read and written once per
 *   four entries instead of once per entry. `a` is k × k float64 row-major, `b` k float64; k must be even (the
 *   caller runs the scalar loops otherwise). Pairs that straddle the diagonal also write A[i][i + 1], in the
 *   upper triangle, which the factorisation never reads.
 * - `factor(a, n)` → i32: the Cholesky factor of the lower triangle of A, see {@link emitFactor}.
 */

// `accumulate` parameters.
const START = 0;
const END = 1;
const INDICES = 2;
const VALUES = 3;
const FIXED = 4;
const KB = 5;
const A = 6;
const BLOCK = 7;
const B = 8;
const EXPLICIT = 9;
const ALPHA = 10;
// i32 locals.
const ENTRY = 11;
const ROW = 12;
const J = 13;
const I = 14;
const ROW_A = 15;
const K8 = 16;
const LIMIT = 17;
/** Four slot pointers: block + q · 8k. */
const SLOT = 18;
// f64 locals: the current entry's value, then the four entries' weights.
const VALUE = 22;
const WEIGHT = 23;
// v128 locals.
const C_SPLAT = 27;
const Y = 28;
/** Four splats w_q · y_q[i]. */
const S = 29;
const I32_LOCALS = 11;
const F64_LOCALS = 5;
const V128_LOCALS = 6;

/** Alignment exponents of the scalar memargs: 4-byte (i32, f32) and 8-byte (f64) loads and stores. */
const ALIGN_4 = 2;
const ALIGN_8 = 3;

/** `if (a + addend > bound) break` out of the enclosing block at `depth` (unsigned i32 locals). */
function breakIfPast(f: Body, a: number, addend: number, bound: number, depth: number): void {
  f.get(a).i32(addend).op(OP.i32Add).get(bound).op(OP.i32GtU, OP.brIf, depth);
}

/**
 * Loads entry `ENTRY + q` into slot q: its weight w into WEIGHT + q, its row of `fixed` promoted to float64 into
 * the slot, and b += c · y (f64x2, one pair of factors per step). With v = the entry's value as float64:
 * explicit w = 1, c = v; implicit w = α v, c = 1 + α v (the scalar loops' `extra` and `confidence`).
 */
function emitGather(f: Body, q: number): void {
  // row = fixed + indices[e + q] · kb
  f.get(FIXED)
    .get(INDICES)
    .get(ENTRY)
    .i32(2)
    .op(OP.i32Shl)
    .op(OP.i32Add)
    .op(OP.i32Load, ALIGN_4, 4 * q)
    .get(KB)
    .op(OP.i32Mul)
    .op(OP.i32Add)
    .set(ROW);
  f.get(VALUES)
    .get(ENTRY)
    .i32(2)
    .op(OP.i32Shl)
    .op(OP.i32Add)
    .op(OP.f32Load, ALIGN_4, 4 * q)
    .op(OP.f64PromoteF32)
    .set(VALUE);
  // w = explicit ? 1 : α v
  f.f64(1)
    .get(ALPHA)
    .get(VALUE)
    .op(OP.f64Mul)
    .get(EXPLICIT)
    .op(OP.select)
    .set(WEIGHT + q);
  // c = explicit ? v : 1 + α v
  f.get(VALUE)
    .f64(1)
    .get(WEIGHT + q)
    .op(OP.f64Add)
    .get(EXPLICIT)
    .op(OP.select);
  f.simd(SIMD.f64x2Splat).set(C_SPLAT);
  f.i32(0).set(J);
  f.forLoop(J, K8, 16, () => {
    // y = promote(two float32 factors at row + j / 2)
    f.get(ROW)
      .get(J)
      .i32(1)
      .op(OP.i32ShrU)
      .op(OP.i32Add)
      .simd(SIMD.v128Load64Zero, 2, 0)
      .simd(SIMD.f64x2PromoteLowF32x4)
      .set(Y);
    f.get(SLOT + q)
      .get(J)
      .op(OP.i32Add)
      .get(Y)
      .store(0);
    // b[j] = b[j] + c · y
    f.get(B).get(J).op(OP.i32Add);
    f.get(B).get(J).op(OP.i32Add).load(0);
    f.get(C_SPLAT).get(Y).simd(SIMD.f64x2Mul).simd(SIMD.f64x2Add);
    f.store(0);
  });
}

/**
 * The rank-`rank` update of the lower triangle from slots 0 … rank − 1: for each row i, s_q = w_q · y_q[i], then
 * for each pair j ≤ i: A[i][j..j+1] = (((A + s_0 y_0) + s_1 y_1) + …).
 */
function emitRankUpdate(f: Body, rank: number): void {
  f.i32(0).set(I);
  f.get(A).set(ROW_A);
  f.forLoop(I, K8, 8, () => {
    for (let q = 0; q < rank; q++) {
      f.get(WEIGHT + q)
        .get(SLOT + q)
        .get(I)
        .op(OP.i32Add)
        .op(OP.f64Load, ALIGN_8, 0)
        .op(OP.f64Mul)
        .simd(SIMD.f64x2Splat)
        .set(S + q);
    }
    f.get(I).i32(8).op(OP.i32Add).set(LIMIT);
    f.i32(0).set(J);
    f.forLoop(J, LIMIT, 16, () => {
      f.get(ROW_A).get(J).op(OP.i32Add);
      f.get(ROW_A).get(J).op(OP.i32Add).load(0);
      for (let q = 0; q < rank; q++) {
        f.get(S + q)
          .get(SLOT + q)
          .get(J)
          .op(OP.i32Add)
          .load(0)
          .simd(SIMD.f64x2Mul)
          .simd(SIMD.f64x2Add);
      }
      f.store(0);
    });
    f.get(ROW_A).get(K8).op(OP.i32Add).set(ROW_A);
  });
}

function emitAccumulate(): Body {
  const f = new Body();
  f.get(KB).i32(1).op(OP.i32Shl).set(K8);
  for (let q = 0; q < 4; q++) {
    f.get(BLOCK)
      .get(K8)
      .i32(q)
      .op(OP.i32Mul)
      .op(OP.i32Add)
      .set(SLOT + q);
  }
  f.get(START).set(ENTRY);
  // Four entries at a time while four remain.
  f.block().loop();
  breakIfPast(f, ENTRY, 4, END, 1);
  for (let q = 0; q < 4; q++) emitGather(f, q);
  emitRankUpdate(f, 4);
  f.get(ENTRY).i32(4).op(OP.i32Add).set(ENTRY);
  f.op(OP.br, 0, OP.end, OP.end);
  // The remaining zero to three entries one at a time.
  f.forLoop(ENTRY, END, 1, () => {
    emitGather(f, 0);
    emitRankUpdate(f, 1);
  });
  return f;
}

// `factor` parameters and locals.
const F_A = 0;
const F_N = 1;
const F_N8 = 2;
const F_J8 = 3;
const F_ROW_J = 4;
const F_I8 = 5;
const F_ROW_I = 6;
const F_L8 = 7;
const F_END8 = 8;
const F_RESULT = 9;
const F_PIVOT = 10;
const F_INVERSE = 11;
const F_VALUE = 12;
const F_SPLAT = 13;

/** Pushes the address base + offset (two i32 locals) for the load or store that follows. */
function address(f: Body, base: number, offset: number): Body {
  return f.get(base).get(offset).op(OP.i32Add);
}

/**
 * `factor(a, n)` → i32: the Cholesky factor of the n × n row-major float64 matrix at `a`, right-looking: after
 * column j of L is formed (L_jj = √A_jj, L_ij = A_ij · (1 / L_jj), the latter also copied to the strict upper triangle
 * as row j of Lᵀ), every A_il with j < l ≤ i loses L_ij L_lj, pairs of l in f64x2 lanes along contiguous rows.
 * Each element receives the same subtractions, of the same products, in the same order p = 0, 1, … as in
 * core-linalg's left-looking `choleskyFactorInPlace`, and the same √ and 1/L_jj, so the lower triangle is
 * bit-identical to it. Only the lower triangle is read; the strict upper triangle is left holding Lᵀ (the
 * triangular solves read only the lower one). Returns −1, or the first pivot j whose A_jj is not > 0 (the matrix
 * is then partly overwritten).
 */
function emitFactor(): Body {
  const f = new Body();
  f.get(F_N).i32(3).op(OP.i32Shl).set(F_N8);
  f.i32(-1).set(F_RESULT);
  f.i32(0).set(F_J8);
  f.get(F_A).set(F_ROW_J);
  f.forLoop(F_J8, F_N8, 8, () => {
    // d = A_jj; stop with the pivot index unless d > 0.
    f.get(F_J8).i32(3).op(OP.i32ShrU).set(F_RESULT);
    address(f, F_ROW_J, F_J8).op(OP.f64Load, ALIGN_8, 0).tee(F_PIVOT);
    f.f64(0).op(OP.f64Gt, OP.i32Eqz, OP.brIf, 1);
    f.i32(-1).set(F_RESULT);
    f.get(F_PIVOT).op(OP.f64Sqrt).set(F_PIVOT);
    address(f, F_ROW_J, F_J8).get(F_PIVOT).op(OP.f64Store, ALIGN_8, 0);
    f.f64(1).get(F_PIVOT).op(OP.f64Div).set(F_INVERSE);
    // Column j: L_ij = A_ij · (1 / L_jj) into A_ij and into the upper triangle at (j, i).
    f.get(F_J8).i32(8).op(OP.i32Add).set(F_I8);
    f.get(F_ROW_J).get(F_N8).op(OP.i32Add).set(F_ROW_I);
    f.forLoop(F_I8, F_N8, 8, () => {
      address(f, F_ROW_I, F_J8).op(OP.f64Load, ALIGN_8, 0).get(F_INVERSE).op(OP.f64Mul).set(F_VALUE);
      address(f, F_ROW_I, F_J8).get(F_VALUE).op(OP.f64Store, ALIGN_8, 0);
      address(f, F_ROW_J, F_I8).get(F_VALUE).op(OP.f64Store, ALIGN_8, 0);
      f.get(F_ROW_I).get(F_N8).op(OP.i32Add).set(F_ROW_I);
    });
    // Trailing update: A_il −= L_ij · L_lj for j < l ≤ i, L_·j read from row j's upper part.
    f.get(F_J8).i32(8).op(OP.i32Add).set(F_I8);
    f.get(F_ROW_J).get(F_N8).op(OP.i32Add).set(F_ROW_I);
    f.forLoop(F_I8, F_N8, 8, () => {
      address(f, F_ROW_J, F_I8).op(OP.f64Load, ALIGN_8, 0).tee(F_VALUE).simd(SIMD.f64x2Splat).set(F_SPLAT);
      f.get(F_J8).i32(8).op(OP.i32Add).set(F_L8);
      f.get(F_I8).i32(8).op(OP.i32Add).set(F_END8);
      f.block().loop();
      breakIfPast(f, F_L8, 16, F_END8, 1);
      address(f, F_ROW_I, F_L8);
      address(f, F_ROW_I, F_L8).load(0);
      address(f, F_ROW_J, F_L8).load(0).get(F_SPLAT).simd(SIMD.f64x2Mul).simd(SIMD.f64x2Sub);
      f.store(0);
      f.get(F_L8).i32(16).op(OP.i32Add).set(F_L8);
      f.op(OP.br, 0, OP.end, OP.end);
      // An odd count leaves l = i: one scalar step.
      f.block();
      f.get(F_L8).get(F_END8).op(OP.i32GeU, OP.brIf, 0);
      address(f, F_ROW_I, F_L8);
      address(f, F_ROW_I, F_L8).op(OP.f64Load, ALIGN_8, 0);
      f.get(F_VALUE);
      address(f, F_ROW_J, F_L8).op(OP.f64Load, ALIGN_8, 0).op(OP.f64Mul, OP.f64Sub);
      f.op(OP.f64Store, ALIGN_8, 0);
      f.op(OP.end);
      f.get(F_ROW_I).get(F_N8).op(OP.i32Add).set(F_ROW_I);
    });
    f.get(F_ROW_J).get(F_N8).op(OP.i32Add).set(F_ROW_J);
  });
  f.get(F_RESULT);
  return f;
}

/** The module's bytes. */
export function alsCholeskySimdModuleBytes(): Uint8Array {
  return assembleModule({
    types: [functionType([I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, F64], []), functionType([I32, I32], [I32])],
    functions: [0, 1],
    exports: [
      ['accumulate', 0],
      ['factor', 1],
    ],
    bodies: [
      body(emitAccumulate(), [
        [I32_LOCALS, I32],
        [F64_LOCALS, F64],
        [V128_LOCALS, V128],
      ]),
      body(emitFactor(), [
        [8, I32],
        [3, F64],
        [1, V128],
      ]),
    ],
  });
}

interface AlsCholeskySimdExports {
  accumulate(
    start: number,
    end: number,
    indices: number,
    values: number,
    fixed: number,
    kb: number,
    a: number,
    block: number,
    b: number,
    explicit: number,
    alpha: number,
  ): void;
  factor(a: number, n: number): number;
}

/** The kernel instance the solvers use. */
export type AlsCholeskySimd = WasmKernel<AlsCholeskySimdExports>;

/** The shared kernel instance, or null where WebAssembly SIMD is unavailable (then callers use scalar loops). */
export const alsCholeskySimd = sharedWasmKernel<AlsCholeskySimdExports>(alsCholeskySimdModuleBytes);
