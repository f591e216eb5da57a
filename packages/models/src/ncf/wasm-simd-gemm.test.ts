import { createRng } from '@trustrec/core-linalg';
import { describe, expect, it } from 'vitest';
import { SimdArena, buildSimdGemmModuleBytes, isSimdGemmAvailable } from './wasm-simd-gemm.js';

/** C = A·B in float64 with A read through strides (the kernels' definition). */
function reference(
  a: Float32Array,
  rowStride: number,
  columnStride: number,
  b: Float32Array,
  n: number,
  k: number,
  m: number,
): Float64Array {
  const c = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      let sum = 0;
      for (let p = 0; p < k; p++) sum += a[i * rowStride + p * columnStride] * b[p * m + j];
      c[i * m + j] = sum;
    }
  }
  return c;
}

function maxError(expected: ArrayLike<number>, actual: ArrayLike<number>): number {
  let error = 0;
  for (let i = 0; i < expected.length; i++) error = Math.max(error, Math.abs(expected[i] - actual[i]));
  return error;
}

describe('WebAssembly SIMD gemm', () => {
  it('emits a valid module (magic, version) and compiles here', () => {
    const bytes = buildSimdGemmModuleBytes();
    expect(Array.from(bytes.subarray(0, 8))).toEqual([0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);
    expect(isSimdGemmAvailable()).toBe(true);
  });

  // Shapes cover: 16-column blocks only, 4-column tails only, both, k = 1, n = 1, and the NCF tower shapes.
  const shapes: [number, number, number][] = [
    [3, 5, 4],
    [1, 1, 8],
    [5, 7, 20],
    [7, 3, 36],
    [256, 64, 32],
    [64, 256, 32],
    [256, 8, 16],
  ];
  for (const [n, k, m] of shapes) {
    it(`every variant matches float64 on ${n}×${k}·${k}×${m} (plain and transposed A)`, () => {
      const arena = new SimdArena(n * k * 2 + k * m + n * m * 2 + m + 64);
      const rng = createRng(n * 1000 + k * 10 + m);
      const a = arena.allocate(n * k);
      const b = arena.allocate(k * m);
      const c = arena.allocate(n * m);
      const bias = arena.allocate(m);
      const mask = arena.allocate(n * m);
      for (const array of [a, b, bias]) for (let i = 0; i < array.length; i++) array[i] = rng.normal();
      for (let i = 0; i < mask.length; i++) mask[i] = rng.nextFloat() < 0.5 ? 0 : rng.nextFloat();
      const tolerance = 1e-5 * Math.sqrt(k) * 4;
      const kernels = arena.kernels;
      const plain = reference(a, k, 1, b, n, k, m);

      kernels.zero(a.byteOffset, k * 4, 4, b.byteOffset, c.byteOffset, n, k, m, 0);
      expect(maxError(plain, c)).toBeLessThan(tolerance);

      kernels.accumulate(a.byteOffset, k * 4, 4, b.byteOffset, c.byteOffset, n, k, m, 0);
      expect(
        maxError(
          plain.map((value) => 2 * value),
          c,
        ),
      ).toBeLessThan(2 * tolerance);

      kernels.bias(a.byteOffset, k * 4, 4, b.byteOffset, c.byteOffset, n, k, m, bias.byteOffset);
      expect(
        maxError(
          plain.map((value, index) => value + bias[index % m]),
          c,
        ),
      ).toBeLessThan(tolerance);

      kernels.biasRelu(a.byteOffset, k * 4, 4, b.byteOffset, c.byteOffset, n, k, m, bias.byteOffset);
      expect(
        maxError(
          plain.map((value, index) => Math.max(0, value + bias[index % m])),
          c,
        ),
      ).toBeLessThan(tolerance);
      expect(c.every((value) => value >= 0)).toBe(true);

      kernels.zeroMask(a.byteOffset, k * 4, 4, b.byteOffset, c.byteOffset, n, k, m, mask.byteOffset);
      expect(
        maxError(
          plain.map((value, index) => (mask[index] > 0 ? value : 0)),
          c,
        ),
      ).toBeLessThan(tolerance);

      // A read column-wise: C (n×m) = Aᵀ·B with A stored k×n.
      const transposed = reference(a, 1, n, b, n, k, m);
      kernels.zero(a.byteOffset, 4, n * 4, b.byteOffset, c.byteOffset, n, k, m, 0);
      expect(maxError(transposed, c)).toBeLessThan(tolerance);
    });
  }

  it('adamRows applies lazy Adam (alg. 1) to the listed rows only, matching float64', () => {
    const rowsTotal = 6;
    const length = 8;
    const arena = new SimdArena(4 * rowsTotal * length + 64);
    const rng = createRng(5);
    // Fill in place: the kernels address the arena, so copies (e.g. from .map) would not be seen.
    const filled = (array: Float32Array, draw: () => number): Float32Array => {
      for (let i = 0; i < array.length; i++) array[i] = draw();
      return array;
    };
    const theta = filled(arena.allocate(rowsTotal * length), () => rng.normal());
    const m = filled(arena.allocate(rowsTotal * length), () => rng.normal(0, 0.1));
    const v = filled(arena.allocate(rowsTotal * length), () => rng.nextFloat() * 0.01);
    // gradients: 2 slots of stride 12 floats, the row's part at offset 4
    const g = filled(arena.allocate(2 * 12), () => rng.normal());
    const rows = arena.allocateInt32(2);
    rows.set([4, 1]);
    const [theta0, m0, v0] = [theta.slice(), m.slice(), v.slice()];
    const [beta1, beta2, epsilon, stepSize, c2] = [0.9, 0.999, 1e-8, 0.01 / (1 - 0.9 ** 3), 1 / (1 - 0.999 ** 3)];
    arena.adamRows(
      theta.byteOffset,
      m.byteOffset,
      v.byteOffset,
      g.byteOffset,
      rows.byteOffset,
      2,
      4 * 4,
      length,
      12 * 4,
      beta1,
      beta2,
      epsilon,
      stepSize,
      c2,
    );
    for (let row = 0; row < rowsTotal; row++) {
      const slot = row === 4 ? 0 : row === 1 ? 1 : -1;
      for (let c = 0; c < length; c++) {
        const index = row * length + c;
        if (slot < 0) {
          expect([theta[index], m[index], v[index]]).toEqual([theta0[index], m0[index], v0[index]]);
          continue;
        }
        const gradient = g[slot * 12 + 4 + c];
        const first = beta1 * m0[index] + (1 - beta1) * gradient;
        const second = beta2 * v0[index] + (1 - beta2) * gradient * gradient;
        expect(m[index]).toBeCloseTo(first, 6);
        expect(v[index]).toBeCloseTo(second, 6);
        expect(theta[index]).toBeCloseTo(theta0[index] - (stepSize * first) / (Math.sqrt(second * c2) + epsilon), 5);
      }
    }
  });

  it('leaves memory outside C untouched', () => {
    const arena = new SimdArena(1024);
    const a = arena.allocate(8);
    const b = arena.allocate(8);
    const before = arena.allocate(4).fill(7);
    const c = arena.allocate(4);
    const after = arena.allocate(4).fill(9);
    a.fill(1);
    b.fill(2);
    arena.kernels.zero(a.byteOffset, 8 * 4, 4, b.byteOffset, c.byteOffset, 1, 2, 4, 0);
    expect(Array.from(c)).toEqual([4, 4, 4, 4]);
    expect(Array.from(before)).toEqual([7, 7, 7, 7]);
    expect(Array.from(after)).toEqual([9, 9, 9, 9]);
  });
});
