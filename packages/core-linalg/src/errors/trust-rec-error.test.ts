import { describe, expect, test } from 'vitest';
import { ERROR_CODES } from './error-codes.js';
import { TrustRecError, argumentError, shapeError } from './trust-rec-error.js';
import { requireFinite, requireInteger } from './validate.js';

function thrown(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('TrustRecError', () => {
  test('carries code, message, details and cause; is an Error named TrustRecError', () => {
    const cause = new Error('disk full');
    const error = new TrustRecError({ code: 'E_IO', message: 'write failed', cause, details: { file: 'a.bin' } });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('TrustRecError');
    expect(error.code).toBe('E_IO');
    expect(error.message).toBe('write failed');
    expect(error.cause).toBe(cause);
    expect(error.details).toEqual({ file: 'a.bin' });
    expect(new TrustRecError({ code: 'E_SHAPE', message: 'x' }).details).toEqual({});
    expect('cause' in new TrustRecError({ code: 'E_SHAPE', message: 'x' })).toBe(false);
  });

  test('isInstance checks the marker and optionally the code, and rejects look-alikes', () => {
    const error = shapeError('gemm', 'bad');
    expect(TrustRecError.isInstance(error)).toBe(true);
    expect(TrustRecError.isInstance(error, 'E_SHAPE')).toBe(true);
    expect(TrustRecError.isInstance(error, 'E_ARGUMENT')).toBe(false);
    for (const value of [
      new Error('E_SHAPE'),
      { code: 'E_SHAPE', name: 'TrustRecError' },
      null,
      undefined,
      'E_SHAPE',
      3,
    ]) {
      expect(TrustRecError.isInstance(value)).toBe(false);
    }
  });

  test('isInstance works across duplicate package copies (a Symbol.for marker, not instanceof)', () => {
    const foreign = Object.assign(new Error('from another copy'), {
      code: 'E_CONFIG',
      [Symbol.for('trustrec.error')]: true,
    });
    expect(foreign instanceof TrustRecError).toBe(false);
    expect(TrustRecError.isInstance(foreign, 'E_CONFIG')).toBe(true);
  });

  test('shapeError and argumentError prefix the location and keep details', () => {
    const shape = shapeError('rowDots', 'A has 3 columns', { columns: 3 });
    expect(shape.code).toBe('E_SHAPE');
    expect(shape.message).toBe('rowDots: A has 3 columns');
    expect(shape.details).toEqual({ columns: 3 });
    const argument = argumentError('createRng', 'seed must be ...');
    expect(argument.code).toBe('E_ARGUMENT');
    expect(argument.message).toBe('createRng: seed must be ...');
  });

  test('ERROR_CODES maps every code to itself', () => {
    for (const [key, value] of Object.entries(ERROR_CODES)) expect(value).toBe(key);
    expect(Object.keys(ERROR_CODES)).toEqual(
      expect.arrayContaining([
        'E_SHAPE',
        'E_ARGUMENT',
        'E_CONFIG',
        'E_DATASET_PARSE',
        'E_BACKEND',
        'E_NUMERIC',
        'E_NOT_FITTED',
        'E_FORMAT',
        'E_PRIVACY_BUDGET',
      ]),
    );
  });
});

describe('requireInteger / requireFinite', () => {
  test('requireInteger accepts [min, max] integers and rejects the rest with E_ARGUMENT naming the option', () => {
    expect(() => requireInteger('f', 'k', 0)).not.toThrow();
    expect(() => requireInteger('f', 'k', 5, 5, 5)).not.toThrow();
    for (const value of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53]) {
      const error = thrown(() => requireInteger('f', 'k', value));
      expect(TrustRecError.isInstance(error, 'E_ARGUMENT'), String(value)).toBe(true);
    }
    const error = thrown(() => requireInteger('topK', 'k', 11, 1, 10)) as TrustRecError;
    expect(error.message).toBe('topK: k must be an integer in [1, 10], got 11');
    expect(error.details).toEqual({ option: 'k', value: 11 });
  });

  test('requireFinite honours the constraint', () => {
    expect(() => requireFinite('f', 'x', -3)).not.toThrow();
    expect(() => requireFinite('f', 'x', 0, 'non-negative')).not.toThrow();
    expect(
      TrustRecError.isInstance(
        thrown(() => requireFinite('f', 'x', 0, 'positive')),
        'E_ARGUMENT',
      ),
    ).toBe(true);
    expect(
      TrustRecError.isInstance(
        thrown(() => requireFinite('f', 'x', -1e-300, 'non-negative')),
        'E_ARGUMENT',
      ),
    ).toBe(true);
    expect(
      TrustRecError.isInstance(
        thrown(() => requireFinite('f', 'x', Number.NaN)),
        'E_ARGUMENT',
      ),
    ).toBe(true);
    expect(
      (thrown(() => requireFinite('sgd', 'learningRate', Number.POSITIVE_INFINITY, 'positive')) as Error).message,
    ).toBe('sgd: learningRate must be a finite positive number, got Infinity');
  });
});
