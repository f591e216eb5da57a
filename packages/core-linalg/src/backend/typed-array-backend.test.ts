import { expect, test } from 'vitest';
import { createDenseMatrix } from '../dense/dense-matrix.js';
import { TrustRecError } from '../errors/trust-rec-error.js';
import { TypedArrayBackend, applyBiasAndActivation } from './typed-array-backend.js';

test('applyBiasAndActivation: hand-computed linear, relu and sigmoid; a wrong bias length is E_SHAPE', () => {
  const make = () => createDenseMatrix(2, 2, new Float32Array([1, -2, -3, 4]));
  const bias = new Float32Array([0.5, 1]);
  const linear = make();
  applyBiasAndActivation(linear, bias, 'linear');
  expect(Array.from(linear.data)).toEqual([1.5, -1, -2.5, 5]);
  const relu = make();
  applyBiasAndActivation(relu, bias, 'relu');
  expect(Array.from(relu.data)).toEqual([1.5, 0, 0, 5]);
  const sigmoid = make();
  applyBiasAndActivation(sigmoid, new Float32Array([-1, 2]), 'sigmoid');
  expect(sigmoid.data[0]).toBe(0.5);
  expect(sigmoid.data[1]).toBe(0.5);
  expect(sigmoid.data[3]).toBeCloseTo(1 / (1 + Math.exp(-6)), 6);
  let caught: unknown;
  try {
    applyBiasAndActivation(make(), new Float32Array(3), 'linear');
  } catch (error) {
    caught = error;
  }
  expect(TrustRecError.isInstance(caught, 'E_SHAPE')).toBe(true);
  const untouched = make();
  expect(() => applyBiasAndActivation(untouched, bias, 'tanh' as unknown as 'linear')).toThrow(
    'dense: activation must be one of linear, relu, sigmoid, got tanh',
  );
  expect(Array.from(untouched.data)).toEqual([1, -2, -3, 4]);
});

test('TypedArrayBackend returns new arrays and never modifies its inputs', async () => {
  const backend = new TypedArrayBackend();
  expect(backend.name).toBe('typed-array');
  const target = createDenseMatrix(2, 2, new Float32Array([1, 2, 3, 4]));
  const result = await backend.scatterAddRows(
    target,
    new Int32Array([1, 1]),
    createDenseMatrix(2, 2, new Float32Array([1, 1, 2, 2])),
  );
  expect(Array.from(result.data)).toEqual([1, 2, 6, 7]);
  expect(Array.from(target.data)).toEqual([1, 2, 3, 4]);
  const normalized = await backend.normalizeRows(target);
  expect(normalized.data).not.toBe(target.data);
  expect(Array.from(target.data)).toEqual([1, 2, 3, 4]);
});
