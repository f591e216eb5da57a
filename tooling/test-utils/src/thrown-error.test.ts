import { expect, test } from 'vitest';
import { thrownError } from './thrown-error.js';

test('thrownError returns what the action throws, and fails when it throws nothing or a non-Error', () => {
  const error = Object.assign(new Error('f: bad'), { code: 'E_ARGUMENT', details: { option: 'k' } });
  expect(
    thrownError(() => {
      throw error;
    }),
  ).toBe(error);
  expect(() => thrownError(() => 1)).toThrow('expected an error, but nothing was thrown');
  expect(() =>
    thrownError(() => {
      throw 'text';
    }),
  ).toThrow('expected an Error to be thrown, got text');
});
