import { describe, expect, test } from 'vitest';
import { expectArraysClose, expectClose, maxAbsDifference } from './close.js';
import { describeEachBackend, toleranceFor } from './describe-each-backend.js';

function fails(action: () => void): string | undefined {
  try {
    action();
  } catch (error) {
    return (error as Error).message;
  }
  return undefined;
}

describe('expectArraysClose', () => {
  test('passes within atol + rtol·|expected| and fails just outside, naming the index', () => {
    expect(fails(() => expectArraysClose([1, 2, 3], new Float32Array([1, 2, 3])))).toBeUndefined();
    expect(fails(() => expectArraysClose([1.5, 100.9], [1, 100], { atol: 0.5, rtol: 0.01 }))).toBeUndefined();
    const message = fails(() => expectArraysClose([1, 2.2], [1, 2], { atol: 0.1, rtol: 0.01 }));
    expect(message).toContain('index 1');
    expect(fails(() => expectArraysClose([1e6 + 5], [1e6], { atol: 0, rtol: 1e-5 }))).toBeUndefined();
    expect(fails(() => expectArraysClose([1e6 + 5], [1e6], { atol: 0, rtol: 1e-6 }))).toBeDefined();
  });

  test('fails on length mismatch and on NaN (a NaN difference is never close)', () => {
    expect(fails(() => expectArraysClose([1, 2], [1, 2, 3]))).toBeDefined();
    expect(fails(() => expectArraysClose([1, 2, 3], [1, 2]))).toBeDefined();
    expect(fails(() => expectArraysClose([Number.NaN], [1]))).toBeDefined();
    expect(fails(() => expectArraysClose([1], [Number.NaN]))).toBeDefined();
    expect(fails(() => expectClose(1.000001, 1))).toBeUndefined();
    expect(fails(() => expectClose(1.1, 1))).toBeDefined();
  });

  test('maxAbsDifference is the largest gap, Infinity for NaN', () => {
    expect(maxAbsDifference([1, 5, 3], [1, 2, 3.5])).toBe(3);
    expect(maxAbsDifference([], [])).toBe(0);
    expect(maxAbsDifference([Number.NaN], [0])).toBe(Number.POSITIVE_INFINITY);
  });
});

const seen: string[] = [];
describeEachBackend(
  'describeEachBackend',
  [
    { name: 'single', floatPrecision: 32 as const },
    { name: 'double', floatPrecision: 64 as const },
  ],
  (backend, tolerance) => {
    test(`runs the suite for ${backend.name} with its tolerance`, () => {
      seen.push(backend.name);
      expect(tolerance).toBe(toleranceFor(backend));
      expect(tolerance).toBe(backend.floatPrecision === 64 ? 1e-9 : 1e-4);
    });
  },
);

test('describeEachBackend ran one suite per backend, in order', () => {
  expect(seen).toEqual(['single', 'double']);
});
