import { createRng } from '@trustrec/core-linalg';
import { thrownError } from '@trustrec/test-utils';
import { describe, expect, it } from 'vitest';
import { kolmogorovSmirnovCritical, kolmogorovSmirnovStatistic } from '../internal/kolmogorov-smirnov.js';
import { normalCdf } from '../math/special-functions.js';
import { addGaussianNoiseInPlace, addLaplaceNoiseInPlace } from './vector-noise.js';

describe('in-place vector noise', () => {
  it('adds N(0, σ²) to a Float32Array in place, only inside the range', () => {
    const n = 20_000;
    const vector = new Float32Array(n + 10).fill(1);
    const returned = addGaussianNoiseInPlace(vector, {
      standardDeviation: 0.5,
      rng: createRng(8),
      offset: 5,
      length: n,
    });
    expect(returned).toBe(vector);
    for (const i of [0, 4, n + 5, n + 9]) expect(vector[i]).toBe(1);
    const noise = new Float64Array(n);
    for (let i = 0; i < n; i++) noise[i] = vector[i + 5] - 1;
    expect(kolmogorovSmirnovStatistic(noise, (x) => normalCdf(x / 0.5))).toBeLessThan(kolmogorovSmirnovCritical(n));
  });

  it('is reproducible for a seed and adds Laplace noise with mean 0 and variance 2b²', () => {
    const a = addLaplaceNoiseInPlace(new Float32Array(20_000), { scale: 2, rng: createRng(4) });
    const b = addLaplaceNoiseInPlace(new Float32Array(20_000), { scale: 2, rng: createRng(4) });
    let mismatches = 0;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) mismatches++;
    expect(mismatches).toBe(0);
    let sum = 0;
    let sumSquares = 0;
    for (const x of a) {
      sum += x;
      sumSquares += x * x;
    }
    const n = a.length;
    expect(Math.abs(sum / n)).toBeLessThan((5 * 2 * Math.SQRT2) / Math.sqrt(n));
    expect(Math.abs(sumSquares / n - 8)).toBeLessThan((5 * Math.sqrt(20) * 4) / Math.sqrt(n));
  });

  it('rejects ranges outside the vector', () => {
    expect(() =>
      addGaussianNoiseInPlace(new Float32Array(4), { standardDeviation: 1, rng: createRng(1), offset: 2, length: 3 }),
    ).toThrow(/offset/);
    expect(() => addLaplaceNoiseInPlace(new Float32Array(4), { scale: 0, rng: createRng(1) })).toThrow(/scale/);
  });

  it('refuses an unknown option name (E_CONFIG) or a missing rng (E_ARGUMENT) before touching the vector', () => {
    const vector = new Float32Array(4).fill(1);
    // A misspelt `offset` used to perturb the whole vector.
    expect(() =>
      addGaussianNoiseInPlace(vector, { standardDeviation: 1, rng: createRng(1), offest: 2 } as never),
    ).toThrow(expect.objectContaining({ code: 'E_CONFIG', details: { option: 'offest', value: 2 } }));
    expect(() => addLaplaceNoiseInPlace(vector, { scale: 1, rng: createRng(1), lenght: 1 } as never)).toThrow(
      expect.objectContaining({ code: 'E_CONFIG', details: { option: 'lenght', value: 1 } }),
    );
    for (const call of [
      () => addGaussianNoiseInPlace(vector, { standardDeviation: 1 } as never),
      () => addLaplaceNoiseInPlace(vector, { scale: 1, rng: 7 } as never),
    ]) {
      expect(call).toThrow(
        expect.objectContaining({ code: 'E_ARGUMENT', message: expect.stringMatching(/rng must be an Rng/) }),
      );
    }
    expect(Array.from(vector)).toEqual([1, 1, 1, 1]);
  });

  it('a bad range names the argument that is wrong: offset or length', () => {
    const vector = new Float64Array(4).fill(1);
    const rng = createRng(1);
    const gaussian = (range: { offset?: number; length?: number }) => () =>
      addGaussianNoiseInPlace(vector, { standardDeviation: 1, rng, ...range });
    const laplace = (range: { offset?: number; length?: number }) => () =>
      addLaplaceNoiseInPlace(vector, { scale: 1, rng, ...range });
    // The range errors used to name `offset` whatever was wrong.
    for (const [call, where] of [
      [gaussian, 'addGaussianNoiseInPlace'],
      [laplace, 'addLaplaceNoiseInPlace'],
    ] as const) {
      for (const [range, option] of [
        [{ offset: 2, length: 3 }, 'length'],
        [{ length: 5 }, 'length'],
        [{ length: 1.5 }, 'length'],
        [{ length: -1 }, 'length'],
        [{ offset: 5 }, 'offset'],
        [{ offset: -1, length: 1 }, 'offset'],
        [{ offset: 0.5 }, 'offset'],
      ] as const) {
        const error = thrownError(call(range));
        expect([error.code, error.details?.option], JSON.stringify(range)).toEqual(['E_ARGUMENT', option]);
        expect(error.message).toMatch(new RegExp(`^${where}: ${option} must be an integer in \\[0, `));
      }
    }
    expect(Array.from(vector)).toEqual([1, 1, 1, 1]);
  });

  it('a vector that is not a Float32Array or Float64Array is E_ARGUMENT naming the function and vector', () => {
    // undefined used to fail with a TypeError; a number[] was perturbed without the documented Float32 rounding.
    const rng = createRng(1);
    const plain = [1, 1, 1];
    for (const vector of [undefined, null, 3, plain, new Int32Array(3), new Float64Array(3).buffer]) {
      for (const [action, where] of [
        [() => addGaussianNoiseInPlace(vector as never, { standardDeviation: 1, rng }), 'addGaussianNoiseInPlace'],
        [() => addLaplaceNoiseInPlace(vector as never, { scale: 1, rng }), 'addLaplaceNoiseInPlace'],
      ] as const) {
        const error = thrownError(action);
        expect([error.code, error.details?.option], `${where}(${String(vector)})`).toEqual(['E_ARGUMENT', 'vector']);
        expect(error.message).toMatch(new RegExp(`^${where}: vector must be a Float32Array or a Float64Array`));
      }
    }
    expect(plain).toEqual([1, 1, 1]);
  });
});
