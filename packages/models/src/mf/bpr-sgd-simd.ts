import { F64, I32, OP, SIMD, V128 } from '../wasm/opcodes.js';
import {
  Body,
  type WasmMemory,
  assembleModule,
  body,
  functionType,
  instantiateWithMemory,
  lazyWasmModule,
  reserveMemory,
  wasmApi,
} from '../wasm/wasm-module-builder.js';

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

/** Pushes promote(load64_zero(base + c + offset)): two float32 factors as an f64x2. */
function loadPair(f: Body, base: number, c: number, offset: number): void {
  f.get(base).get(c).op(OP.i32Add).simd(SIMD.v128Load64Zero, 2, offset).simd(SIMD.f64x2PromoteLowF32x4);
}

function emitMargin(): Body {
  // params: 0 u, 1 i, 2 j, 3 kb; locals: 4 c (i32), 5 A, 6 B (v128)
  const f = new Body();
  f.forLoop(4, 3, 16, () => {
    for (const [accumulator, offset] of [
      [5, 0],
      [6, 8],
    ] as const) {
      f.get(accumulator);
      loadPair(f, 0, 4, offset);
      loadPair(f, 1, 4, offset);
      loadPair(f, 2, 4, offset);
      f.simd(SIMD.f64x2Sub).simd(SIMD.f64x2Mul).simd(SIMD.f64x2Add).set(accumulator);
    }
  });
  f.addLanes(5, SIMD.f64x2ExtractLane, OP.f64Add, 0, 1);
  f.addLanes(6, SIMD.f64x2ExtractLane, OP.f64Add, 0, 1).op(OP.f64Add);
  return f;
}

function emitUpdate(): Body {
  // params: 0 u, 1 i, 2 j, 3 kb, 4 step (f64), 5 keep (f64); locals: 6 c (i32), 7 step², 8 keep², 9 pu, 10 qi, 11 qj
  const f = new Body();
  f.get(4).simd(SIMD.f64x2Splat).set(7);
  f.get(5).simd(SIMD.f64x2Splat).set(8);
  f.forLoop(6, 3, 16, () => {
    for (const offset of [0, 8]) {
      loadPair(f, 0, 6, offset);
      f.set(9);
      loadPair(f, 1, 6, offset);
      f.set(10);
      loadPair(f, 2, 6, offset);
      f.set(11);
      // p_u ← pu·keep + step·(qi − qj)
      f.get(0).get(6).op(OP.i32Add);
      f.get(9)
        .get(8)
        .simd(SIMD.f64x2Mul)
        .get(7)
        .get(10)
        .get(11)
        .simd(SIMD.f64x2Sub)
        .simd(SIMD.f64x2Mul)
        .simd(SIMD.f64x2Add);
      f.simd(SIMD.f32x4DemoteF64x2Zero).simd(SIMD.v128Store64Lane, 2, offset, 0);
      // q_i ← qi·keep + step·pu
      f.get(1).get(6).op(OP.i32Add);
      f.get(10).get(8).simd(SIMD.f64x2Mul).get(7).get(9).simd(SIMD.f64x2Mul).simd(SIMD.f64x2Add);
      f.simd(SIMD.f32x4DemoteF64x2Zero).simd(SIMD.v128Store64Lane, 2, offset, 0);
      // q_j ← qj·keep − step·pu
      f.get(2).get(6).op(OP.i32Add);
      f.get(11).get(8).simd(SIMD.f64x2Mul).get(7).get(9).simd(SIMD.f64x2Mul).simd(SIMD.f64x2Sub);
      f.simd(SIMD.f32x4DemoteF64x2Zero).simd(SIMD.v128Store64Lane, 2, offset, 0);
    }
  });
  return f;
}

/**
 * The module's bytes. `shared`: the imported memory is a shared WebAssembly.Memory (limits flag 3, maximum
 * 65536 pages), for the Hogwild worker threads.
 */
export function bprSimdModuleBytes(shared = false): Uint8Array {
  return assembleModule({
    types: [functionType([I32, I32, I32, I32], [F64]), functionType([I32, I32, I32, I32, F64, F64], [])],
    sharedMemory: shared,
    functions: [0, 1],
    exports: [
      ['margin', 0],
      ['update', 1],
    ],
    bodies: [
      body(emitMargin(), [
        [1, I32],
        [2, V128],
      ]),
      body(emitUpdate(), [
        [1, I32],
        [5, V128],
      ]),
    ],
  });
}

export interface BprSimdKernel {
  readonly memory: WasmMemory;
  margin(u: number, i: number, j: number, kb: number): number;
  update(u: number, i: number, j: number, kb: number, step: number, keep: number): void;
  /** Ensures at least `bytes` bytes of memory (existing views become detached when it grows). */
  reserve(bytes: number): void;
}

const bprSimdModule = lazyWasmModule(() => bprSimdModuleBytes());

/** A fresh kernel instance with its own memory, or null where WebAssembly SIMD is unavailable. */
export function createBprSimdKernel(): BprSimdKernel | null {
  const module = bprSimdModule();
  const api = wasmApi();
  if (module === null || api === undefined) return null;
  const memory = new api.Memory({ initial: 1 });
  const exports = instantiateWithMemory(api, module, memory) as unknown as Pick<BprSimdKernel, 'margin' | 'update'>;
  return {
    memory,
    margin: exports.margin,
    update: exports.update,
    reserve: (bytes) => reserveMemory(memory, bytes),
  };
}
