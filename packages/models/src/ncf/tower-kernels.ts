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
  denseForward(x: Float32Array, weights: Float32Array, bias: Float32Array, y: Float32Array, rows: number, inputs: number, outputs: number, relu: boolean): void;
  weightGradient(x: Float32Array, delta: Float32Array, gradient: Float32Array, rows: number, inputs: number, outputs: number): void;
  inputGradient(delta: Float32Array, weightsTransposed: Float32Array, dx: Float32Array, rows: number, outputs: number, inputs: number, mask: Float32Array | null): void;
}

/** Plain typed-array loops (four accumulators over output columns). The reference the SIMD kernels are tested against. */
export class TypedArrayTowerKernels implements TowerKernels {
  readonly name = 'typed-array' as const;

  allocate(length: number): Float32Array {
    return new Float32Array(length);
  }

  denseForward(x: Float32Array, w: Float32Array, b: Float32Array, y: Float32Array, rows: number, inputs: number, outputs: number, relu: boolean): void {
    for (let s = 0; s < rows; s++) {
      const xBase = s * inputs;
      const yBase = s * outputs;
      for (let j = 0; j < outputs; j++) y[yBase + j] = b[j];
      for (let p = 0; p < inputs; p++) {
        const value = x[xBase + p];
        if (value === 0) continue;
        const wBase = p * outputs;
        for (let j = 0; j < outputs; j++) y[yBase + j] += value * w[wBase + j];
      }
      if (relu) for (let j = 0; j < outputs; j++) if (y[yBase + j] < 0) y[yBase + j] = 0;
    }
  }

  weightGradient(x: Float32Array, delta: Float32Array, gradient: Float32Array, rows: number, inputs: number, outputs: number): void {
    gradient.fill(0, 0, inputs * outputs);
    for (let s = 0; s < rows; s++) {
      const xBase = s * inputs;
      const dBase = s * outputs;
      for (let p = 0; p < inputs; p++) {
        const value = x[xBase + p];
        if (value === 0) continue;
        const gBase = p * outputs;
        for (let j = 0; j < outputs; j++) gradient[gBase + j] += value * delta[dBase + j];
      }
    }
  }

  inputGradient(delta: Float32Array, wt: Float32Array, dx: Float32Array, rows: number, outputs: number, inputs: number, mask: Float32Array | null): void {
    for (let s = 0; s < rows; s++) {
      const xBase = s * inputs;
      const dBase = s * outputs;
      dx.fill(0, xBase, xBase + inputs);
      for (let j = 0; j < outputs; j++) {
        const value = delta[dBase + j];
        if (value === 0) continue;
        const wBase = j * inputs;
        for (let p = 0; p < inputs; p++) dx[xBase + p] += value * wt[wBase + p];
      }
      if (mask) for (let p = 0; p < inputs; p++) if (!(mask[xBase + p] > 0)) dx[xBase + p] = 0;
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

  denseForward(x: Float32Array, w: Float32Array, b: Float32Array, y: Float32Array, rows: number, inputs: number, outputs: number, relu: boolean): void {
    const kernel = relu ? this.arena.kernels.biasRelu : this.arena.kernels.bias;
    kernel(x.byteOffset, inputs * 4, 4, w.byteOffset, y.byteOffset, rows, inputs, outputs, b.byteOffset);
  }

  weightGradient(x: Float32Array, delta: Float32Array, gradient: Float32Array, rows: number, inputs: number, outputs: number): void {
    // C (inputs×outputs) = Xᵀ·∂Z: A is X read column-wise (row stride 1 float, column stride `inputs` floats).
    this.arena.kernels.zero(x.byteOffset, 4, inputs * 4, delta.byteOffset, gradient.byteOffset, inputs, rows, outputs, 0);
  }

  inputGradient(delta: Float32Array, wt: Float32Array, dx: Float32Array, rows: number, outputs: number, inputs: number, mask: Float32Array | null): void {
    if (mask) this.arena.kernels.zeroMask(delta.byteOffset, outputs * 4, 4, wt.byteOffset, dx.byteOffset, rows, outputs, inputs, mask.byteOffset);
    else this.arena.kernels.zero(delta.byteOffset, outputs * 4, 4, wt.byteOffset, dx.byteOffset, rows, outputs, inputs, 0);
  }
}

/**
 * Picks the tower kernels. `auto` takes WebAssembly SIMD when the runtime has it and every layer width is a
 * multiple of 4 (the SIMD kernels' lane constraint), and the typed-array loops otherwise. Asking for
 * `wasm-simd` where it cannot run throws `E_CONFIG` (never a silent fallback on an explicit request).
 * `floats` sizes the arena: the total of every buffer that will be allocated.
 */
export function createTowerKernels(preference: TowerKernelPreference, widths: readonly number[], floats: number): TowerKernels {
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
