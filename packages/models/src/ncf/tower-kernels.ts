import { TrustRecError } from '@trustrec/core-linalg';
import { SimdArena, isSimdGemmAvailable } from './wasm-simd-gemm.js';

/** Which kernels run the NCF MLP tower: WebAssembly SIMD (default where available) or plain typed-array loops. */
export type TowerKernelName = 'wasm-simd' | 'typed-array';
export type TowerKernelPreference = 'auto' | TowerKernelName;

/**
 * The three batched dense-layer products of a hand-written MLP forward/backward pass (He et al. 2017, eq. 10
 * for the tower; the backward pass is the chain rule written out):
 *
 * - forward:        Y = act(X·W + b)                 X: rows×inputs, W: inputs×outputs
 * - weight grad:    ∂W = Xᵀ·∂Z                        (overwrites `gradient`)
 * - input grad:     ∂X = (∂Z·Wᵀ) ⊙ [mask > 0]        Wᵀ stored outputs×inputs; no mask for the embedding input
 *
 * All matrices are row-major float32. Buffers the kernels touch must come from {@link TowerKernels.allocate}
 * (the WebAssembly kernels read their own linear memory).
 */
export interface TowerKernels {
  readonly name: TowerKernelName;
  allocate(length: number): Float32Array;
  allocateInt32(length: number): Int32Array;
  /**
   * Lazy Adam over rows (see `adamRows` in wasm-simd-gemm.ts) on buffers from {@link allocate}; returns false when
   * these kernels have no such routine or `length` does not fit it (then the caller runs its own loop).
   */
  adamRows(
    theta: Float32Array,
    m: Float32Array,
    v: Float32Array,
    g: Float32Array,
    rows: Int32Array,
    count: number,
    gradientOffset: number,
    length: number,
    gradientStride: number,
    beta1: number,
    beta2: number,
    epsilon: number,
    stepSize: number,
    inverseCorrection2: number,
  ): boolean;
  denseForward(
    x: Float32Array,
    weights: Float32Array,
    bias: Float32Array,
    y: Float32Array,
    rows: number,
    inputs: number,
    outputs: number,
    relu: boolean,
  ): void;
  weightGradient(
    x: Float32Array,
    delta: Float32Array,
    gradient: Float32Array,
    rows: number,
    inputs: number,
    outputs: number,
  ): void;
  inputGradient(
    delta: Float32Array,
    weightsTransposed: Float32Array,
    dx: Float32Array,
    rows: number,
    outputs: number,
    inputs: number,
    mask: Float32Array | null,
  ): void;
}

/** Plain typed-array loops (four accumulators over output columns). The reference the SIMD kernels are tested against. */
export class TypedArrayTowerKernels implements TowerKernels {
  readonly name = 'typed-array' as const;

  allocate(length: number): Float32Array {
    return new Float32Array(length);
  }

  allocateInt32(length: number): Int32Array {
    return new Int32Array(length);
  }

  adamRows(): boolean {
    return false;
  }

  denseForward(
    x: Float32Array,
    w: Float32Array,
    b: Float32Array,
    y: Float32Array,
    rows: number,
    inputs: number,
    outputs: number,
    relu: boolean,
  ): void {
    for (let s = 0; s < rows; s++) {
      const xBase = s * inputs;
      const yBase = s * outputs;
      let j = 0;
      // Four output columns per pass, accumulated in registers (one read of x per four multiply-adds).
      for (; j + 3 < outputs; j += 4) {
        let a0 = b[j];
        let a1 = b[j + 1];
        let a2 = b[j + 2];
        let a3 = b[j + 3];
        for (let p = 0; p < inputs; p++) {
          const value = x[xBase + p];
          const wBase = p * outputs + j;
          a0 += value * w[wBase];
          a1 += value * w[wBase + 1];
          a2 += value * w[wBase + 2];
          a3 += value * w[wBase + 3];
        }
        y[yBase + j] = relu && a0 < 0 ? 0 : a0;
        y[yBase + j + 1] = relu && a1 < 0 ? 0 : a1;
        y[yBase + j + 2] = relu && a2 < 0 ? 0 : a2;
        y[yBase + j + 3] = relu && a3 < 0 ? 0 : a3;
      }
      for (; j < outputs; j++) {
        let sum = b[j];
        for (let p = 0; p < inputs; p++) sum += x[xBase + p] * w[p * outputs + j];
        y[yBase + j] = relu && sum < 0 ? 0 : sum;
      }
    }
  }

  weightGradient(
    x: Float32Array,
    delta: Float32Array,
    gradient: Float32Array,
    rows: number,
    inputs: number,
    outputs: number,
  ): void {
    for (let p = 0; p < inputs; p++) {
      const gBase = p * outputs;
      let j = 0;
      for (; j + 3 < outputs; j += 4) {
        let a0 = 0;
        let a1 = 0;
        let a2 = 0;
        let a3 = 0;
        for (let s = 0; s < rows; s++) {
          const value = x[s * inputs + p];
          if (value === 0) continue;
          const dBase = s * outputs + j;
          a0 += value * delta[dBase];
          a1 += value * delta[dBase + 1];
          a2 += value * delta[dBase + 2];
          a3 += value * delta[dBase + 3];
        }
        gradient[gBase + j] = a0;
        gradient[gBase + j + 1] = a1;
        gradient[gBase + j + 2] = a2;
        gradient[gBase + j + 3] = a3;
      }
      for (; j < outputs; j++) {
        let sum = 0;
        for (let s = 0; s < rows; s++) sum += x[s * inputs + p] * delta[s * outputs + j];
        gradient[gBase + j] = sum;
      }
    }
  }

  inputGradient(
    delta: Float32Array,
    wt: Float32Array,
    dx: Float32Array,
    rows: number,
    outputs: number,
    inputs: number,
    mask: Float32Array | null,
  ): void {
    for (let s = 0; s < rows; s++) {
      const xBase = s * inputs;
      const dBase = s * outputs;
      let p = 0;
      for (; p + 3 < inputs; p += 4) {
        let a0 = 0;
        let a1 = 0;
        let a2 = 0;
        let a3 = 0;
        for (let j = 0; j < outputs; j++) {
          const value = delta[dBase + j];
          const wBase = j * inputs + p;
          a0 += value * wt[wBase];
          a1 += value * wt[wBase + 1];
          a2 += value * wt[wBase + 2];
          a3 += value * wt[wBase + 3];
        }
        dx[xBase + p] = a0;
        dx[xBase + p + 1] = a1;
        dx[xBase + p + 2] = a2;
        dx[xBase + p + 3] = a3;
      }
      for (; p < inputs; p++) {
        let sum = 0;
        for (let j = 0; j < outputs; j++) sum += delta[dBase + j] * wt[j * inputs + p];
        dx[xBase + p] = sum;
      }
      if (mask) for (let q = 0; q < inputs; q++) if (!(mask[xBase + q] > 0)) dx[xBase + q] = 0;
    }
  }
}

/** The same products on the WebAssembly SIMD gemm of {@link SimdArena} (4 lanes, 16-column register blocks). */
export class SimdTowerKernels implements TowerKernels {
  readonly name = 'wasm-simd' as const;
  private readonly arena: SimdArena;

  constructor(floats: number) {
    this.arena = new SimdArena(floats, 128);
  }

  allocate(length: number): Float32Array {
    return this.arena.allocate(length);
  }

  allocateInt32(length: number): Int32Array {
    return this.arena.allocateInt32(length);
  }

  adamRows(
    theta: Float32Array,
    m: Float32Array,
    v: Float32Array,
    g: Float32Array,
    rows: Int32Array,
    count: number,
    gradientOffset: number,
    length: number,
    gradientStride: number,
    beta1: number,
    beta2: number,
    epsilon: number,
    stepSize: number,
    inverseCorrection2: number,
  ): boolean {
    if (length % 4 !== 0) return false;
    const buffer = this.arena.memory.buffer;
    if (
      theta.buffer !== buffer ||
      m.buffer !== buffer ||
      v.buffer !== buffer ||
      g.buffer !== buffer ||
      rows.buffer !== buffer
    )
      return false;
    this.arena.adamRows(
      theta.byteOffset,
      m.byteOffset,
      v.byteOffset,
      g.byteOffset,
      rows.byteOffset,
      count,
      gradientOffset * 4,
      length,
      gradientStride * 4,
      beta1,
      beta2,
      epsilon,
      stepSize,
      inverseCorrection2,
    );
    return true;
  }

  denseForward(
    x: Float32Array,
    w: Float32Array,
    b: Float32Array,
    y: Float32Array,
    rows: number,
    inputs: number,
    outputs: number,
    relu: boolean,
  ): void {
    const kernel = relu ? this.arena.kernels.biasRelu : this.arena.kernels.bias;
    kernel(x.byteOffset, inputs * 4, 4, w.byteOffset, y.byteOffset, rows, inputs, outputs, b.byteOffset);
  }

  weightGradient(
    x: Float32Array,
    delta: Float32Array,
    gradient: Float32Array,
    rows: number,
    inputs: number,
    outputs: number,
  ): void {
    // C (inputs×outputs) = Xᵀ·∂Z: A is X read column-wise (row stride 1 float, column stride `inputs` floats).
    this.arena.kernels.zero(
      x.byteOffset,
      4,
      inputs * 4,
      delta.byteOffset,
      gradient.byteOffset,
      inputs,
      rows,
      outputs,
      0,
    );
  }

  inputGradient(
    delta: Float32Array,
    wt: Float32Array,
    dx: Float32Array,
    rows: number,
    outputs: number,
    inputs: number,
    mask: Float32Array | null,
  ): void {
    if (mask)
      this.arena.kernels.zeroMask(
        delta.byteOffset,
        outputs * 4,
        4,
        wt.byteOffset,
        dx.byteOffset,
        rows,
        outputs,
        inputs,
        mask.byteOffset,
      );
    else
      this.arena.kernels.zero(delta.byteOffset, outputs * 4, 4, wt.byteOffset, dx.byteOffset, rows, outputs, inputs, 0);
  }
}

/**
 * Picks the tower kernels. `auto` takes WebAssembly SIMD when the runtime has it and every layer width is a
 * multiple of 4 (the SIMD kernels' lane constraint), and the typed-array loops otherwise. Asking for
 * `wasm-simd` where it cannot run throws `E_CONFIG` (never a silent fallback on an explicit request).
 * `floats` sizes the arena: the total of every buffer that will be allocated.
 */
export function createTowerKernels(
  preference: TowerKernelPreference,
  widths: readonly number[],
  floats: number,
): TowerKernels {
  const lanesOk = widths.every((width) => width % 4 === 0);
  if (preference === 'typed-array') return new TypedArrayTowerKernels();
  const available = isSimdGemmAvailable();
  if (preference === 'wasm-simd' && (!available || !lanesOk)) {
    throw new TrustRecError({
      code: 'E_CONFIG',
      message: !available
        ? "NCF: option 'kernels' is 'wasm-simd' but this runtime has no WebAssembly SIMD; use 'auto' or 'typed-array'"
        : `NCF: option 'kernels' is 'wasm-simd' but the layer widths [${widths.join(', ')}] are not all multiples of 4; use 'auto' or 'typed-array'`,
      details: { option: 'kernels', value: preference },
    });
  }
  return available && lanesOk ? new SimdTowerKernels(floats) : new TypedArrayTowerKernels();
}
