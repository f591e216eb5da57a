import {
  Body,
  F64,
  I32,
  V128,
  type WasmMemory,
  type WasmModule,
  body,
  functionType,
  name,
  section,
  vector,
  wasmApi,
} from './wasm-bytecode.js';

/**
 * WebAssembly SIMD kernels for the two k-loops of one LearnBPR step (seed 001 eq. 10; see `bprSgdPairs`), emitted
 * as bytes at run time. They work on float32 factor rows but compute in f64x2 lanes (two factors per
 * instruction): every operand is promoted to float64, combined with the same operations in the same order as the
 * scalar JS loop (no fused multiply-add exists in wasm SIMD), and rounded once to float32 on store — so the
 * result is bit-identical to the scalar kernel, only with half the instructions and no bounds checks.
 *
 * - `margin(u, i, j, kb)` → f64: ⟨p_u, q_i − q_j⟩ with the four accumulators of `bprMargin` (lanes c ≡ 0, 1 mod 4
 *   in one f64x2, c ≡ 2, 3 in the other), summed (a0 + a1) + (a2 + a3).
 * - `update(u, i, j, kb, step, keep)`: p_u ← keep p_u + step (q_i − q_j), q_i ← keep q_i + step p_u,
 *   q_j ← keep q_j − step p_u (with the old p_u).
 *
 * Pointers are byte offsets of the rows in the imported memory, kb = 4k with k a multiple of 4.
 */

const OP = {
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  end: 0x0b,
  br: 0x0c,
  brIf: 0x0d,
  i32GeU: 0x4f,
  i32Add: 0x6a,
  f64Add: 0xa0,
} as const;
const SIMD = {
  load64Zero: 0x5d,
  store64Lane: 0x5b,
  demote: 0x5e,
  promote: 0x5f,
  splatF64: 0x14,
  extractF64: 0x21,
  addF64: 0xf0,
  subF64: 0xf1,
  mulF64: 0xf2,
} as const;

/** Pushes promote(load64_zero(base + c + offset)): two float32 factors as an f64x2. */
function loadPair(f: Body, base: number, c: number, offset: number): void {
  f.get(base).get(c).op(OP.i32Add).simd(SIMD.load64Zero, 2, offset).simd(SIMD.promote);
}

function emitMargin(): Body {
  // params: 0 u, 1 i, 2 j, 3 kb; locals: 4 c (i32), 5 A, 6 B (v128)
  const f = new Body();
  f.op(...OP.block, ...OP.loop);
  f.get(4).get(3).op(OP.i32GeU).op(OP.brIf, 1);
  for (const [accumulator, offset] of [
    [5, 0],
    [6, 8],
  ] as const) {
    f.get(accumulator);
    loadPair(f, 0, 4, offset);
    loadPair(f, 1, 4, offset);
    loadPair(f, 2, 4, offset);
    f.simd(SIMD.subF64).simd(SIMD.mulF64).simd(SIMD.addF64).set(accumulator);
  }
  f.get(4).i32(16).op(OP.i32Add).set(4);
  f.op(OP.br, 0, OP.end, OP.end);
  f.get(5).simd(SIMD.extractF64, 0).get(5).simd(SIMD.extractF64, 1).op(OP.f64Add);
  f.get(6).simd(SIMD.extractF64, 0).get(6).simd(SIMD.extractF64, 1).op(OP.f64Add);
  f.op(OP.f64Add);
  return f;
}

function emitUpdate(): Body {
  // params: 0 u, 1 i, 2 j, 3 kb, 4 step (f64), 5 keep (f64); locals: 6 c (i32), 7 step², 8 keep², 9 pu, 10 qi, 11 qj
  const f = new Body();
  f.get(4).simd(SIMD.splatF64).set(7);
  f.get(5).simd(SIMD.splatF64).set(8);
  f.op(...OP.block, ...OP.loop);
  f.get(6).get(3).op(OP.i32GeU).op(OP.brIf, 1);
  for (const offset of [0, 8]) {
    loadPair(f, 0, 6, offset);
    f.set(9);
    loadPair(f, 1, 6, offset);
    f.set(10);
    loadPair(f, 2, 6, offset);
    f.set(11);
    // p_u ← pu·keep + step·(qi − qj)
    f.get(0).get(6).op(OP.i32Add);
    f.get(9).get(8).simd(SIMD.mulF64).get(7).get(10).get(11).simd(SIMD.subF64).simd(SIMD.mulF64).simd(SIMD.addF64);
    f.simd(SIMD.demote).simd(SIMD.store64Lane, 2, offset, 0);
    // q_i ← qi·keep + step·pu
    f.get(1).get(6).op(OP.i32Add);
    f.get(10).get(8).simd(SIMD.mulF64).get(7).get(9).simd(SIMD.mulF64).simd(SIMD.addF64);
    f.simd(SIMD.demote).simd(SIMD.store64Lane, 2, offset, 0);
    // q_j ← qj·keep − step·pu
    f.get(2).get(6).op(OP.i32Add);
    f.get(11).get(8).simd(SIMD.mulF64).get(7).get(9).simd(SIMD.mulF64).simd(SIMD.subF64);
    f.simd(SIMD.demote).simd(SIMD.store64Lane, 2, offset, 0);
  }
  f.get(6).i32(16).op(OP.i32Add).set(6);
  f.op(OP.br, 0, OP.end, OP.end);
  return f;
}

/**
 * The module's bytes. `shared`: the imported memory is a shared WebAssembly.Memory (limits flag 3, maximum
 * 65536 pages), for the Hogwild worker threads.
 */
export function bprSimdModuleBytes(shared = false): Uint8Array {
  const bytes: number[] = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  section(
    1,
    vector([functionType([I32, I32, I32, I32], [F64]), functionType([I32, I32, I32, I32, F64, F64], [])]),
    bytes,
  );
  const limits = shared ? [0x03, 0x01, 0x80, 0x80, 0x04] : [0x00, 0x01];
  section(2, vector([[...name('env'), ...name('memory'), 0x02, ...limits]]), bytes);
  section(3, vector([[0], [1]]), bytes);
  section(
    7,
    vector([
      [...name('margin'), 0x00, 0],
      [...name('update'), 0x00, 1],
    ]),
    bytes,
  );
  section(
    10,
    vector([
      body(emitMargin(), [
        [1, I32],
        [2, V128],
      ]),
      body(emitUpdate(), [
        [1, I32],
        [5, V128],
      ]),
    ]),
    bytes,
  );
  return Uint8Array.from(bytes);
}

export interface BprSimdKernel {
  readonly memory: WasmMemory;
  margin(u: number, i: number, j: number, kb: number): number;
  update(u: number, i: number, j: number, kb: number, step: number, keep: number): void;
  /** Ensures at least `bytes` bytes of memory (existing views become detached when it grows). */
  reserve(bytes: number): void;
}

let cachedModule: WasmModule | null | undefined;

/** A fresh kernel instance with its own memory, or null where WebAssembly SIMD is unavailable. */
export function createBprSimdKernel(): BprSimdKernel | null {
  const api = wasmApi();
  if (cachedModule === undefined) {
    try {
      const bytes = bprSimdModuleBytes();
      cachedModule = api?.validate(bytes) ? new api.Module(bytes) : null;
    } catch {
      cachedModule = null;
    }
  }
  if (cachedModule === null || api === undefined) return null;
  const memory = new api.Memory({ initial: 1 });
  const instance = new api.Instance(cachedModule, { env: { memory } });
  const exports = instance.exports as unknown as Pick<BprSimdKernel, 'margin' | 'update'>;
  return {
    memory,
    margin: exports.margin,
    update: exports.update,
    reserve(bytes: number): void {
      const have = memory.buffer.byteLength;
      if (bytes > have) memory.grow(Math.ceil((bytes - have) / 65536));
    },
  };
}
