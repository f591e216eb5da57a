import { TrustRecError } from '@trustrec/core-linalg';
import { F32, I32, OP, SIMD, V128 } from '../wasm/opcodes.js';
import {
  Body,
  type WasmMemory,
  assembleModule,
  body,
  functionType,
  instantiateWithMemory,
  lazyWasmModule,
  wasmApi,
} from '../wasm/wasm-module-builder.js';

/**
 * A tiny WebAssembly SIMD (128-bit) matrix-product kernel for the NCF towers, emitted as bytes at run time
 * (no toolchain, no binary blob in the repository: the bytecode below is the source).
 *
 * Every variant computes, for row-major C (n×m) and B (k×m) and a strided A,
 *
 *     C[i, j] = init(i, j) + Σ_p A[i·rowStrideA + p·columnStrideA] · B[p, j]        (then an epilogue)
 *
 * with four f32 lanes per instruction, 16 columns (4 vectors) per register block and a 4-column tail, so m
 * must be a multiple of 4. The init and epilogue are chosen per exported function, so the inner loops carry
 * no branches:
 *
 * - `zero`: init 0 (C = A·B).
 * - `accumulate`: init C (C += A·B).
 * - `biasRelu`: init bias[j], epilogue max(·, 0): a fused dense layer with ReLU, y = relu(x·W + b).
 * - `bias`: init bias[j] (a linear layer).
 * - `zeroMask`: init 0, epilogue keeps C[i, j] only where mask[i, j] > 0: the back-propagated delta
 *   through a ReLU whose output is `mask` (∂relu(z)/∂z = [z > 0] = [relu(z) > 0]).
 *
 * A sixth export, `adamRows`, is the lazy Adam update over a list of embedding rows (see {@link emitAdamRows}).
 *
 * All pointers and strides are in bytes; all buffers are float32 in the module's imported memory.
 */
export type SimdGemmVariant = 'zero' | 'accumulate' | 'biasRelu' | 'bias' | 'zeroMask';

/** (a, rowStrideA, columnStrideA, b, c, n, k, m, extra) → void; `extra` is the bias or mask pointer. */
export type SimdGemmFunction = (
  a: number,
  rowStrideA: number,
  columnStrideA: number,
  b: number,
  c: number,
  n: number,
  k: number,
  m: number,
  extra: number,
) => void;

const VARIANTS: readonly SimdGemmVariant[] = ['zero', 'accumulate', 'biasRelu', 'bias', 'zeroMask'];

// Parameter and local indices of every gemm function.
const P_A = 0;
const P_RSA = 1;
const P_CSA = 2;
const P_B = 3;
const P_C = 4;
const P_N = 5;
const P_K = 6;
const P_M = 7;
const P_EXTRA = 8;
const L_I = 9; // row counter
const L_J = 10; // column (bytes) within the row
const L_P = 11; // inner counter
const L_AP = 12; // running A pointer
const L_BP = 13; // running B pointer
const L_CROW = 14; // C row pointer
const L_XROW = 15; // extra row pointer (mask rows) / extra base (bias)
const L_AROW = 16;
const L_MBYTES = 17; // m * 4
const L_X = 18; // v128 broadcast of A element
const L_ACC = 19; // v128 accumulators 19..22
const I32_LOCALS = 9; // 9..17
const V128_LOCALS = 5; // 18..22

function emitGemm(variant: SimdGemmVariant): number[] {
  const code = new Body();
  // mBytes = m << 2; i = 0; aRow = a; cRow = c; xRow = extra
  code.get(P_M).i32(2).op(OP.i32Shl).set(L_MBYTES);
  code.i32(0).set(L_I);
  code.get(P_A).set(L_AROW);
  code.get(P_C).set(L_CROW);
  code.get(P_EXTRA).set(L_XROW);
  // if n <= 0 skip everything: block { loop over rows }
  code.block();
  code.get(L_I).get(P_N).op(OP.i32GeS, OP.brIf, 0);
  code.loop(); // row loop
  code.i32(0).set(L_J);
  emitColumnBlocks(code, variant, 4); // 16 columns at a time
  emitColumnBlocks(code, variant, 1); // 4-column tail
  // next row
  code.get(L_AROW).get(P_RSA).op(OP.i32Add).set(L_AROW);
  code.get(L_CROW).get(L_MBYTES).op(OP.i32Add).set(L_CROW);
  if (variant === 'zeroMask') code.get(L_XROW).get(L_MBYTES).op(OP.i32Add).set(L_XROW);
  code.get(L_I).i32(1).op(OP.i32Add).tee(L_I).get(P_N).op(OP.i32GeS, OP.brIf, 1);
  code.op(OP.br, 0);
  code.op(OP.end); // loop
  code.op(OP.end); // block
  return body(code, [
    [I32_LOCALS, I32],
    [V128_LOCALS, V128],
  ]);
}

/** While j + 16·vectors ≤ m (bytes): one register block of `vectors` accumulators over the whole k loop. */
function emitColumnBlocks(code: Body, variant: SimdGemmVariant, vectors: number): void {
  const width = vectors * 16; // bytes
  code.block();
  code.loop();
  // exit when j + width > mBytes
  code.get(L_J).i32(width).op(OP.i32Add).get(L_MBYTES).op(OP.i32GtS, OP.brIf, 1);
  // init accumulators
  for (let v = 0; v < vectors; v++) {
    if (variant === 'zero' || variant === 'zeroMask') code.zeroVector();
    else if (variant === 'accumulate')
      code
        .get(L_CROW)
        .get(L_J)
        .op(OP.i32Add)
        .load(v * 16);
    else
      code
        .get(P_EXTRA)
        .get(L_J)
        .op(OP.i32Add)
        .load(v * 16);
    code.set(L_ACC + v);
  }
  // aP = aRow; bP = b + j; p = 0
  code.get(L_AROW).set(L_AP);
  code.get(P_B).get(L_J).op(OP.i32Add).set(L_BP);
  code.i32(0).set(L_P);
  code.block();
  code.get(L_P).get(P_K).op(OP.i32GeS, OP.brIf, 0);
  code.loop();
  // x = splat(f32 load aP)
  code.get(L_AP).op(OP.f32Load, 2, 0).simd(SIMD.f32x4Splat).set(L_X);
  for (let v = 0; v < vectors; v++) {
    code
      .get(L_ACC + v)
      .get(L_X)
      .get(L_BP)
      .load(v * 16)
      .simd(SIMD.f32x4Mul)
      .simd(SIMD.f32x4Add)
      .set(L_ACC + v);
  }
  code.get(L_AP).get(P_CSA).op(OP.i32Add).set(L_AP);
  code.get(L_BP).get(L_MBYTES).op(OP.i32Add).set(L_BP);
  code.get(L_P).i32(1).op(OP.i32Add).tee(L_P).get(P_K).op(OP.i32GeS, OP.brIf, 1);
  code.op(OP.br, 0);
  code.op(OP.end); // loop
  code.op(OP.end); // block
  // epilogue + store
  for (let v = 0; v < vectors; v++) {
    code.get(L_CROW).get(L_J).op(OP.i32Add); // address
    code.get(L_ACC + v);
    if (variant === 'biasRelu') code.zeroVector().simd(SIMD.f32x4Max);
    if (variant === 'zeroMask') {
      code
        .get(L_XROW)
        .get(L_J)
        .op(OP.i32Add)
        .load(v * 16)
        .zeroVector()
        .simd(SIMD.f32x4Gt)
        .simd(SIMD.v128And);
    }
    code.store(v * 16);
  }
  code.get(L_J).i32(width).op(OP.i32Add).set(L_J);
  code.op(OP.br, 0);
  code.op(OP.end); // loop
  code.op(OP.end); // block
}

/**
 * Lazy Adam (Kingma & Ba 2015, alg. 1) over a list of rows, four lanes at a time, in float32 (as PyTorch):
 * for t < count, row r = rows[t] of theta/m/v (`length` floats, a multiple of 4) with gradient at
 * g + t·gradientStride + gradientOffset:
 *   m ← β1·m + (1 − β1)·g;  v ← β2·v + (1 − β2)·g²;  θ ← θ − stepSize·m / (√(v·c2) + ε)
 * where stepSize = η / (1 − β1^t) and c2 = 1 / (1 − β2^t) are computed by the caller once per step.
 * Params: theta, m, v, g, rows (byte pointers), count, gradientOffset (bytes), length (floats),
 * gradientStride (bytes), then f32 β1, β2, ε, stepSize, c2.
 */
function emitAdamRows(): number[] {
  const [THETA, M, V, G, ROWS, COUNT, GOFF, LENGTH, GSTRIDE, B1, B2, EPS, STEP, C2] = [
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13,
  ];
  const [T, BASE, GP, C, LBYTES] = [14, 15, 16, 17, 18];
  const [VB1, VB2, VOB1, VOB2, VEPS, VSTEP, VC2, VG, VFIRST, VSECOND] = [19, 20, 21, 22, 23, 24, 25, 26, 27, 28];
  const code = new Body();
  const splatLocal = (local: number, target: number): void => {
    code.get(local).simd(SIMD.f32x4Splat).set(target);
  };
  const oneMinus = (local: number, target: number): void => {
    code.op(OP.f32Const, 0x00, 0x00, 0x80, 0x3f); // 1.0f
    code.get(local).op(OP.f32Sub).simd(SIMD.f32x4Splat).set(target);
  };
  splatLocal(B1, VB1);
  splatLocal(B2, VB2);
  oneMinus(B1, VOB1);
  oneMinus(B2, VOB2);
  splatLocal(EPS, VEPS);
  splatLocal(STEP, VSTEP);
  splatLocal(C2, VC2);
  code.get(LENGTH).i32(2).op(OP.i32Shl).set(LBYTES);
  code.i32(0).set(T);
  code.block();
  code.get(T).get(COUNT).op(OP.i32GeS, OP.brIf, 0);
  code.loop();
  // base = rows[t] * lengthBytes; gp = g + t * stride + offset; c = 0
  code.get(ROWS).get(T).i32(2).op(OP.i32Shl).op(OP.i32Add).op(OP.i32Load, 2, 0).get(LBYTES).op(OP.i32Mul).set(BASE);
  code.get(G).get(T).get(GSTRIDE).op(OP.i32Mul).op(OP.i32Add).get(GOFF).op(OP.i32Add).set(GP);
  code.i32(0).set(C);
  code.block();
  code.get(C).get(LBYTES).op(OP.i32GeS, OP.brIf, 0);
  code.loop();
  const address = (pointer: number): void => {
    code.get(pointer).get(BASE).op(OP.i32Add).get(C).op(OP.i32Add);
  };
  code.get(GP).get(C).op(OP.i32Add).load(0).set(VG);
  // first = b1 * m + (1 - b1) * g
  address(M);
  code.get(VB1);
  address(M);
  code.load(0).simd(SIMD.f32x4Mul).get(VOB1).get(VG).simd(SIMD.f32x4Mul).simd(SIMD.f32x4Add).tee(VFIRST).store(0);
  // second = b2 * v + (1 - b2) * g * g
  address(V);
  code.get(VB2);
  address(V);
  code
    .load(0)
    .simd(SIMD.f32x4Mul)
    .get(VOB2)
    .get(VG)
    .simd(SIMD.f32x4Mul)
    .get(VG)
    .simd(SIMD.f32x4Mul)
    .simd(SIMD.f32x4Add)
    .tee(VSECOND)
    .store(0);
  // theta -= step * first / (sqrt(second * c2) + eps)
  address(THETA);
  address(THETA);
  code.load(0);
  code.get(VSTEP).get(VFIRST).simd(SIMD.f32x4Mul);
  code.get(VSECOND).get(VC2).simd(SIMD.f32x4Mul).simd(SIMD.f32x4Sqrt).get(VEPS).simd(SIMD.f32x4Add);
  code.simd(SIMD.f32x4Div).simd(SIMD.f32x4Sub).store(0);
  code.get(C).i32(16).op(OP.i32Add).tee(C).get(LBYTES).op(OP.i32GeS, OP.brIf, 1);
  code.op(OP.br, 0);
  code.op(OP.end);
  code.op(OP.end);
  code.get(T).i32(1).op(OP.i32Add).tee(T).get(COUNT).op(OP.i32GeS, OP.brIf, 1);
  code.op(OP.br, 0);
  code.op(OP.end);
  code.op(OP.end);
  return body(code, [
    [5, I32],
    [10, V128],
  ]);
}

/** (theta, m, v, g, rows, count, gradientOffset, length, gradientStride, β1, β2, ε, stepSize, c2) → void. */
export type SimdAdamRowsFunction = (
  theta: number,
  m: number,
  v: number,
  g: number,
  rows: number,
  count: number,
  gradientOffset: number,
  length: number,
  gradientStride: number,
  beta1: number,
  beta2: number,
  epsilon: number,
  stepSize: number,
  inverseCorrection2: number,
) => void;

/** The module's bytes: imports `env.memory`, exports one function per {@link SimdGemmVariant}. */
export function buildSimdGemmModuleBytes(): Uint8Array {
  return assembleModule({
    types: [
      functionType(new Array<number>(9).fill(I32), []), // 0 gemm
      functionType([...new Array<number>(9).fill(I32), ...new Array<number>(5).fill(F32)], []), // 1 adamRows
    ],
    functions: [...VARIANTS.map(() => 0), 1],
    exports: [...VARIANTS.map((variant, index) => [variant, index] as const), ['adamRows', VARIANTS.length]],
    bodies: [...VARIANTS.map(emitGemm), emitAdamRows()],
  });
}

const compiledGemmModule = lazyWasmModule(buildSimdGemmModuleBytes);

/** The compiled module, or null where WebAssembly SIMD is unavailable (then the typed-array kernels run). */
export function simdGemmModule(): object | null {
  return compiledGemmModule();
}

/** True when the WebAssembly SIMD kernels can run in this process. */
export function isSimdGemmAvailable(): boolean {
  return simdGemmModule() !== null;
}

/**
 * A float32 arena in one WebAssembly memory plus the gemm variants bound to it. Buffers are carved once
 * (16-byte aligned) before any kernel runs and never move, so the `Float32Array` views stay valid.
 */
export class SimdArena {
  readonly memory: WasmMemory;
  readonly kernels: Readonly<Record<SimdGemmVariant, SimdGemmFunction>>;
  readonly adamRows: SimdAdamRowsFunction;
  private used = 0;
  private readonly capacity: number;

  /** `floats` is the total number of float32 elements that will be allocated; `buffers` bounds the alignment padding. */
  constructor(floats: number, buffers = 64) {
    const module = simdGemmModule();
    const api = wasmApi();
    if (module === null || api === undefined) {
      throw new TrustRecError({
        code: 'E_BACKEND',
        message:
          "SimdArena: WebAssembly SIMD is not available in this runtime; use the 'typed-array' kernels (option kernels: 'typed-array')",
      });
    }
    this.capacity = (floats + buffers * 4) * 4;
    const pages = Math.max(1, Math.ceil(this.capacity / 65536));
    this.memory = new api.Memory({ initial: pages, maximum: pages });
    const exports = instantiateWithMemory(api, module, this.memory);
    this.kernels = exports as unknown as Record<SimdGemmVariant, SimdGemmFunction>;
    this.adamRows = exports.adamRows as SimdAdamRowsFunction;
  }

  /** A zeroed float32 buffer of `length` elements; its `byteOffset` is what the kernels take as a pointer. */
  allocate(length: number): Float32Array {
    return new Float32Array(this.memory.buffer, this.reserve(length), length);
  }

  /** A zeroed int32 buffer (row lists for {@link SimdArena.adamRows}). */
  allocateInt32(length: number): Int32Array {
    return new Int32Array(this.memory.buffer, this.reserve(length), length);
  }

  private reserve(length: number): number {
    const start = this.used;
    const end = start + Math.ceil((length * 4) / 16) * 16;
    if (end > this.capacity) {
      throw new TrustRecError({
        code: 'E_SHAPE',
        message: `SimdArena.allocate: ${length} elements exceed the arena (${this.capacity} bytes); size it larger`,
      });
    }
    this.used = end;
    return start;
  }
}
