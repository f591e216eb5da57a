import {
  Body,
  F32,
  I32,
  V128,
  type WasmApi,
  type WasmMemory,
  type WasmModule,
  body,
  functionType,
  name,
  section,
  vector,
  wasmApi,
} from '../mf/wasm-bytecode.js';

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

const OP = {
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  end: 0x0b,
  br: 0x0c,
  brIf: 0x0d,
  i32Load: 0x28,
  f32Load: 0x2a,
  f32Store: 0x38,
  i32GeU: 0x4f,
  i32Add: 0x6a,
  i32Mul: 0x6c,
  i32Shl: 0x74,
  f32Add: 0x92,
  f32Sub: 0x93,
  f32Mul: 0x94,
} as const;
const SIMD = { load: 0x00, store: 0x0b, splat: 0x13, extract: 0x1f, add: 0xe4, mul: 0xe6 } as const;
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
  f.op(...OP.block, ...OP.loop);
  f.get(3).get(2).op(OP.i32GeU).op(OP.brIf, 1);
  f.get(4);
  f.get(0)
    .get(3)
    .op(OP.i32Add)
    .simd(SIMD.load, ...MEMARG);
  f.get(1)
    .get(3)
    .op(OP.i32Add)
    .simd(SIMD.load, ...MEMARG);
  f.simd(SIMD.mul).simd(SIMD.add).set(4);
  f.get(3).i32(16).op(OP.i32Add).set(3);
  f.op(OP.br, 0, OP.end, OP.end);
  f.get(4).simd(SIMD.extract, 0).get(4).simd(SIMD.extract, 1).op(OP.f32Add);
  f.get(4).simd(SIMD.extract, 2).get(4).simd(SIMD.extract, 3).op(OP.f32Add);
  f.op(OP.f32Add);
  return f;
}

/** axpy(s, a, out, kb): out[c] += s · a[c]. */
function emitAxpy(): Body {
  // params: 0 s (f32), 1 a, 2 out, 3 kb; locals: 4 offset, 5 splat (v128), 6 address
  const f = new Body();
  f.get(0).simd(SIMD.splat).set(5);
  f.i32(0).set(4);
  f.op(...OP.block, ...OP.loop);
  f.get(4).get(3).op(OP.i32GeU).op(OP.brIf, 1);
  f.get(2).get(4).op(OP.i32Add).tee(6);
  f.get(6).simd(SIMD.load, ...MEMARG);
  f.get(5)
    .get(1)
    .get(4)
    .op(OP.i32Add)
    .simd(SIMD.load, ...MEMARG)
    .simd(SIMD.mul);
  f.simd(SIMD.add).simd(SIMD.store, ...MEMARG);
  f.get(4).i32(16).op(OP.i32Add).set(4);
  f.op(OP.br, 0, OP.end, OP.end);
  return f;
}

/** gemv(g, v, out, kb, sign): out[i] = sign · dot(row i of G, v). */
function emitGemv(): Body {
  // params: 0 g, 1 v, 2 out, 3 kb, 4 sign (f32); locals: 5 outOffset, 6 rowPtr
  const f = new Body();
  f.i32(0).set(5);
  f.get(0).set(6);
  f.op(...OP.block, ...OP.loop);
  f.get(5).get(3).op(OP.i32GeU).op(OP.brIf, 1);
  f.get(2).get(5).op(OP.i32Add);
  f.get(6).get(1).get(3).call(DOT).get(4).op(OP.f32Mul);
  f.op(OP.f32Store, ...MEMARG);
  f.get(6).get(3).op(OP.i32Add).set(6);
  f.get(5).i32(4).op(OP.i32Add).set(5);
  f.op(OP.br, 0, OP.end, OP.end);
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
  f.op(...OP.block, ...OP.loop);
  f.get(8).get(1).op(OP.i32GeU).op(OP.brIf, 1);
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
  f.get(8).i32(1).op(OP.i32Add).set(8);
  f.op(OP.br, 0, OP.end, OP.end);
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
  const bytes: number[] = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  section(1, vector(types), bytes);
  // import env.memory (memory type: limits flag 0, min 1)
  section(2, vector([[...name('env'), ...name('memory'), 0x02, 0x00, 0x01]]), bytes);
  section(3, vector([[0], [1], [2], [3], [3]]), bytes);
  section(
    7,
    vector([
      [...name('gemv'), 0x00, 2],
      [...name('residual'), 0x00, 3],
      [...name('apply'), 0x00, 4],
    ]),
    bytes,
  );
  section(
    10,
    vector([
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
    ]),
    bytes,
  );
  return Uint8Array.from(bytes);
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

/** One instance with its memory; grown (re-instantiated views) on demand. */
export class AlsCgSimd {
  readonly memory: WasmMemory;
  readonly exports: AlsCgSimdExports;
  constructor(api: WasmApi, module: WasmModule) {
    this.memory = new api.Memory({ initial: 1 });
    const instance = new api.Instance(module, { env: { memory: this.memory } });
    this.exports = instance.exports as unknown as AlsCgSimdExports;
  }
  /** Ensures at least `bytes` bytes of memory (existing views become detached when it grows). */
  reserve(bytes: number): void {
    const have = this.memory.buffer.byteLength;
    if (bytes > have) this.memory.grow(Math.ceil((bytes - have) / 65536));
  }
}

let cached: AlsCgSimd | null | undefined;

/** The shared kernel instance, or null where WebAssembly SIMD is unavailable (then callers use scalar loops). */
export function alsCgSimd(): AlsCgSimd | null {
  if (cached !== undefined) return cached;
  try {
    const api = wasmApi();
    const bytes = alsCgSimdModuleBytes();
    if (api === undefined || !api.validate(bytes)) {
      cached = null;
      return cached;
    }
    cached = new AlsCgSimd(api, new api.Module(bytes));
  } catch {
    cached = null;
  }
  return cached;
}
