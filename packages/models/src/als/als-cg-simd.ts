import { F32, I32, OP, SIMD, V128 } from '../wasm/opcodes.js';
import {
  Body,
  type WasmKernel,
  assembleModule,
  body,
  functionType,
  sharedWasmKernel,
} from '../wasm/wasm-module-builder.js';

/**
 * WebAssembly SIMD (128-bit, four f32 lanes) kernels for the per-item work of the implicit-ALS conjugate-gradient
 * row solve (Takács, Pilászy & Tikk 2011, alg. 2; see `solveImplicitRowsCg`), emitted as bytes at run time (the
 * bytecode below is the source; no toolchain, no binary blob). Like implicit's CPU solver (`_als.pyx`, BLAS
 * sdot/saxpy/ssymv) every vector is float32. Exports, all pointers in bytes into the imported memory, `kb` = 4k:
 *
 * - `gemv(g, v, out, kb, sign)`: out = sign · G v for the k × k row-major G.
 * - `residual(start, end, indices, weights, fixed, kb, x, r)`: r += Σ_e (1 + w_e − w_e y_eᵀx) y_e over the
 *   entries start ≤ e < end, y_e = row `indices[e]` of `fixed`, w_e = c_ue − 1.
 * - `apply(start, end, indices, weights, fixed, kb, d, ad)`: ad += Σ_e w_e (y_eᵀd) y_e.
 *
 * k must be a multiple of 4 (callers fall back to the scalar loops otherwise).
 */

/** memarg for 4-byte scalar loads (align 2^2, offset 0) and v128 loads (align 2^4 is a hint; use 2^2). */
const MEMARG = [2, 0];

// Function indices (all share the module; order = order in the function section).
const DOT = 0;
const AXPY = 1;

/** dot(a, b, kb) → f32: Σ a[c] b[c], one f32x4 accumulator, lanes summed (l0 + l1) + (l2 + l3). */
function emitDot(): Body {
  // params: 0 a, 1 b, 2 kb; locals: 3 offset (i32), 4 acc (v128)
  const f = new Body();
  f.i32(0).set(3);
  f.forLoop(3, 2, 16, () => {
    f.get(4);
    f.get(0)
      .get(3)
      .op(OP.i32Add)
      .simd(SIMD.v128Load, ...MEMARG);
    f.get(1)
      .get(3)
      .op(OP.i32Add)
      .simd(SIMD.v128Load, ...MEMARG);
    f.simd(SIMD.f32x4Mul).simd(SIMD.f32x4Add).set(4);
  });
  f.addLanes(4, SIMD.f32x4ExtractLane, OP.f32Add, 0, 1);
  f.addLanes(4, SIMD.f32x4ExtractLane, OP.f32Add, 2, 3).op(OP.f32Add);
  return f;
}

/** axpy(s, a, out, kb): out[c] += s · a[c]. */
function emitAxpy(): Body {
  // params: 0 s (f32), 1 a, 2 out, 3 kb; locals: 4 offset, 5 splat (v128), 6 address
  const f = new Body();
  f.get(0).simd(SIMD.f32x4Splat).set(5);
  f.i32(0).set(4);
  f.forLoop(4, 3, 16, () => {
    f.get(2).get(4).op(OP.i32Add).tee(6);
    f.get(6).simd(SIMD.v128Load, ...MEMARG);
    f.get(5)
      .get(1)
      .get(4)
      .op(OP.i32Add)
      .simd(SIMD.v128Load, ...MEMARG)
      .simd(SIMD.f32x4Mul);
    f.simd(SIMD.f32x4Add).simd(SIMD.v128Store, ...MEMARG);
  });
  return f;
}

/** gemv(g, v, out, kb, sign): out[i] = sign · dot(row i of G, v). */
function emitGemv(): Body {
  // params: 0 g, 1 v, 2 out, 3 kb, 4 sign (f32); locals: 5 outOffset, 6 rowPtr
  const f = new Body();
  f.i32(0).set(5);
  f.get(0).set(6);
  f.forLoop(5, 3, 4, () => {
    f.get(2).get(5).op(OP.i32Add);
    f.get(6).get(1).get(3).call(DOT).get(4).op(OP.f32Mul);
    f.op(OP.f32Store, ...MEMARG);
    f.get(6).get(3).op(OP.i32Add).set(6);
  });
  return f;
}

/**
 * The per-entry loop of `residual` (withResidual) or `apply`: for e in [start, end): y = fixed + indices[e]·kb,
 * w = weights[e], s = dot(y, v); coefficient 1 + w − w s (residual) or w s (apply); axpy into out.
 */
function emitEntries(withResidual: boolean): Body {
  // params: 0 start, 1 end, 2 indices, 3 weights, 4 fixed, 5 kb, 6 v, 7 out; locals: 8 e, 9 y, 10 w (f32)
  const f = new Body();
  f.get(0).set(8);
  f.forLoop(8, 1, 1, () => {
    // y = fixed + indices[e] · kb
    f.get(4)
      .get(2)
      .get(8)
      .i32(2)
      .op(OP.i32Shl)
      .op(OP.i32Add)
      .op(OP.i32Load, ...MEMARG)
      .get(5)
      .op(OP.i32Mul);
    f.op(OP.i32Add).set(9);
    f.get(3)
      .get(8)
      .i32(2)
      .op(OP.i32Shl)
      .op(OP.i32Add)
      .op(OP.f32Load, ...MEMARG)
      .set(10);
    if (withResidual) {
      // 1 + w − w · dot(y, v)
      f.f32(1).get(10).op(OP.f32Add);
      f.get(10).get(9).get(6).get(5).call(DOT).op(OP.f32Mul);
      f.op(OP.f32Sub);
    } else {
      f.get(10).get(9).get(6).get(5).call(DOT).op(OP.f32Mul);
    }
    f.get(9).get(7).get(5).call(AXPY);
  });
  return f;
}

/** The module's bytes. */
export function alsCgSimdModuleBytes(): Uint8Array {
  const types = [
    functionType([I32, I32, I32], [F32]), // 0 dot
    functionType([F32, I32, I32, I32], []), // 1 axpy
    functionType([I32, I32, I32, I32, F32], []), // 2 gemv
    functionType([I32, I32, I32, I32, I32, I32, I32, I32], []), // 3 residual / apply
  ];
  return assembleModule({
    types,
    functions: [0, 1, 2, 3, 3],
    exports: [
      ['gemv', 2],
      ['residual', 3],
      ['apply', 4],
    ],
    bodies: [
      body(emitDot(), [
        [1, I32],
        [1, V128],
      ]),
      body(emitAxpy(), [
        [1, I32],
        [1, V128],
        [1, I32],
      ]),
      body(emitGemv(), [[2, I32]]),
      body(emitEntries(true), [
        [2, I32],
        [1, F32],
      ]),
      body(emitEntries(false), [
        [2, I32],
        [1, F32],
      ]),
    ],
  });
}

interface AlsCgSimdExports {
  gemv(g: number, v: number, out: number, kb: number, sign: number): void;
  residual(
    start: number,
    end: number,
    indices: number,
    weights: number,
    fixed: number,
    kb: number,
    x: number,
    r: number,
  ): void;
  apply(
    start: number,
    end: number,
    indices: number,
    weights: number,
    fixed: number,
    kb: number,
    d: number,
    ad: number,
  ): void;
}

/** The kernel instance the solvers use. */
export type AlsCgSimd = WasmKernel<AlsCgSimdExports>;

/** The shared kernel instance, or null where WebAssembly SIMD is unavailable (then callers use scalar loops). */
export const alsCgSimd = sharedWasmKernel<AlsCgSimdExports>(alsCgSimdModuleBytes);
