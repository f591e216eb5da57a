import { expectArraysClose, expectClose } from '@trustrec/test-utils';
import { describe, expect, test } from 'vitest';
import { TrustRecError } from '../errors/trust-rec-error.js';
import { createRng } from '../random/rng.js';
import { axpy, dot, nrm2, scal } from './vector-kernels.js';

const LENGTHS = [0, 1, 2, 3, 4, 5, 7, 8, 13, 64, 255, 1000];

function randomArray(seed: number, length: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length }, () => rng.normal());
}

function expectShapeError(action: () => unknown): void {
  let caught: unknown;
  try {
    action();
  } catch (error) {
    caught = error;
  }
  expect(TrustRecError.isInstance(caught, 'E_SHAPE'), String(caught)).toBe(true);
}

describe('dot', () => {
  test('matches a naive sum for lengths around the 4-way unrolling, with offsets', () => {
    for (const length of LENGTHS) {
      const x = randomArray(length, length + 3);
      const y = randomArray(length + 100, length + 5);
      let expected = 0;
      for (let i = 0; i < length; i++) expected += x[i] * y[i];
      expectClose(dot(x, y, length), expected, { atol: 1e-9, rtol: 1e-12 });
      let shifted = 0;
      for (let i = 0; i < length; i++) shifted += x[3 + i] * y[5 + i];
      expectClose(dot(x, y, length, 3, 5), shifted, { atol: 1e-9, rtol: 1e-12 });
    }
    expect(dot(new Float32Array([1, 2, 3]), new Float64Array([4, 5, 6]))).toBe(32);
  });

  test('accumulates in double precision (a float32 accumulator would lose the small terms)', () => {
    const x = new Float32Array(4097).fill(1);
    x[0] = 2 ** 24;
    const y = new Float32Array(4097).fill(1);
    expect(dot(x, y)).toBe(2 ** 24 + 4096);
  });

  test('a range beyond either array is E_SHAPE', () => {
    const x = new Float32Array(4);
    expectShapeError(() => dot(x, new Float32Array(3)));
    expectShapeError(() => dot(x, x, 3, 2));
    expectShapeError(() => dot(x, x, 2, 0, 3));
    expectShapeError(() => dot(x, x, -1));
    expectShapeError(() => dot(x, x, 2, -1));
  });
});

describe('axpy and scal', () => {
  test('axpy matches y + αx element-wise, in place, touching only the range', () => {
    for (const length of LENGTHS) {
      const x = randomArray(1, length + 2);
      const y = randomArray(2, length + 4);
      const expected = Array.from(y);
      for (let i = 0; i < length; i++) expected[4 + i] = Math.fround(y[4 + i] + 0.5 * x[2 + i]);
      axpy(0.5, x, y, length, 2, 4);
      expectArraysClose(y, expected, { atol: 0, rtol: 0 });
    }
  });

  test('scal multiplies the range in place; α = 0 zeroes it', () => {
    const x = new Float64Array([1, 2, 3, 4, 5]);
    scal(-2, x, 3, 1);
    expect(Array.from(x)).toEqual([1, -4, -6, -8, 5]);
    scal(0, x);
    expect(Array.from(x)).toEqual([0, -0, -0, -0, 0]);
  });

  test('ranges beyond the arrays are E_SHAPE (no silently dropped writes)', () => {
    expectShapeError(() => axpy(1, new Float32Array(3), new Float32Array(2)));
    expectShapeError(() => axpy(1, new Float32Array(3), new Float32Array(3), 2, 2));
    expectShapeError(() => scal(2, new Float32Array(3), 4));
    expectShapeError(() => scal(2, new Float32Array(3), 1, 3));
  });
});

describe('nrm2', () => {
  test('matches √Σx² on random vectors with offsets', () => {
    for (const length of LENGTHS) {
      const x = randomArray(length * 7, length + 1);
      let sum = 0;
      for (let i = 0; i < length; i++) sum += x[1 + i] * x[1 + i];
      expectClose(nrm2(x, length, 1), Math.sqrt(sum), { atol: 1e-12, rtol: 1e-12 });
    }
    expect(nrm2(new Float64Array([3, -4]))).toBe(5);
    expect(nrm2(new Float64Array(0))).toBe(0);
    expect(nrm2(new Float64Array([0, 0, 0]))).toBe(0);
  });

  test('neither overflows on huge values nor underflows on tiny ones', () => {
    // Naively squaring 1e200 gives Infinity, and squaring 1e-200 gives 0.
    expectClose(nrm2(new Float64Array([3e200, -4e200])), 5e200, { atol: 0, rtol: 1e-15 });
    expectClose(nrm2(new Float64Array([3e-200, 4e-200])), 5e-200, { atol: 0, rtol: 1e-15 });
    expectClose(nrm2(new Float64Array([1e300, 1e300, 1e300, 1e300])), 2e300, { atol: 0, rtol: 1e-15 });
    expectClose(nrm2(new Float64Array([Number.MIN_VALUE, Number.MIN_VALUE])), Number.MIN_VALUE, { atol: 0, rtol: 0.5 });
    expect(nrm2(new Float64Array([Number.MAX_VALUE, Number.MAX_VALUE]))).toBe(Number.POSITIVE_INFINITY);
    expectClose(nrm2(new Float32Array([3e38, 3e38])), 3e38 * Math.SQRT2, { atol: 0, rtol: 1e-7 });
    expectClose(nrm2(new Float64Array([1e200, 1, 1e-200])), 1e200, { atol: 0, rtol: 1e-15 });
  });

  test('non-finite input propagates: Infinity gives Infinity (also twice), NaN gives NaN', () => {
    expect(nrm2(new Float64Array([1, Number.POSITIVE_INFINITY, 2]))).toBe(Number.POSITIVE_INFINITY);
    expect(nrm2(new Float64Array([Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY]))).toBe(Number.POSITIVE_INFINITY);
    expect(nrm2(new Float64Array([1, Number.NaN]))).toBeNaN();
    expect(nrm2(new Float64Array([Number.NaN, 1]))).toBeNaN();
  });

  test('a range beyond the array is E_SHAPE', () => {
    expectShapeError(() => nrm2(new Float32Array(3), 4));
    expectShapeError(() => nrm2(new Float32Array(3), 3, 1));
  });
});
