import { CsrMatrix, createRng } from '@trustrec/core-linalg';
import { thrownError } from '@trustrec/test-utils';
import { describe, expect, it } from 'vitest';
import { type BprTriples, bprLossGradient, sampleBprTriples } from './bpr-gradient.js';

function tinyModel(seed: number, withBias: boolean) {
  const rng = createRng(seed);
  const k = 3;
  const userFactors = Float32Array.from({ length: 3 * k }, () => rng.normal(0, 0.7));
  const itemFactors = Float32Array.from({ length: 4 * k }, () => rng.normal(0, 0.7));
  const itemBias = withBias ? Float32Array.from({ length: 4 }, () => rng.normal(0, 0.3)) : undefined;
  return { userFactors, itemFactors, itemBias, factors: k };
}

const triples: BprTriples = {
  users: Int32Array.from([0, 0, 1, 2, 2]),
  positives: Int32Array.from([1, 2, 0, 3, 3]),
  negatives: Int32Array.from([3, 0, 2, 1, 0]),
};

describe('bprLossGradient', () => {
  it('computes −Σ ln σ(x̂_uij) by hand on one triple', () => {
    const parameters = {
      userFactors: Float32Array.from([1, 2]),
      itemFactors: Float32Array.from([0.5, 0.25, -1, 0]),
      factors: 2,
    };
    const one = { users: Int32Array.from([0]), positives: Int32Array.from([0]), negatives: Int32Array.from([1]) };
    // x = 1·(0.5 + 1) + 2·(0.25 − 0) = 2; loss = ln(1 + e^-2); z = σ(−2)
    const gradient = { users: new Float64Array(2), items: new Float64Array(4) };
    const loss = bprLossGradient(parameters, one, gradient);
    const z = 1 / (1 + Math.exp(2));
    expect(loss).toBeCloseTo(Math.log(1 + Math.exp(-2)), 12);
    expect(Array.from(gradient.users)).toEqual([-z * 1.5, -z * 0.25].map((v) => expect.closeTo(v, 12)));
    expect(Array.from(gradient.items)).toEqual([-z * 1, -z * 2, z * 1, z * 2].map((v) => expect.closeTo(v, 12)));
  });

  for (const withBias of [false, true]) {
    it(`matches central finite differences on every parameter (item bias: ${withBias})`, () => {
      const model = tinyModel(3, withBias);
      const gradient = {
        users: new Float64Array(model.userFactors.length),
        items: new Float64Array(model.itemFactors.length),
      };
      bprLossGradient(model, triples, gradient);
      for (const [table, analytic] of [
        [model.userFactors, gradient.users],
        [model.itemFactors, gradient.items],
      ] as const) {
        for (let p = 0; p < table.length; p++) {
          const original = table[p];
          table[p] = original + 1e-2;
          const plusStep = table[p] - original;
          const lossPlus = bprLossGradient(model, triples, undefined);
          table[p] = original - 1e-2;
          const minusStep = original - table[p];
          const lossMinus = bprLossGradient(model, triples, undefined);
          table[p] = original;
          const numeric = (lossPlus - lossMinus) / (plusStep + minusStep);
          expect(Math.abs(numeric - analytic[p])).toBeLessThan(2e-4 * (1 + Math.abs(analytic[p])));
        }
      }
    });
  }

  it('rejects triples outside the model and mismatched buffers (E_SHAPE)', () => {
    const model = tinyModel(1, false);
    const bad = { users: Int32Array.from([3]), positives: Int32Array.from([0]), negatives: Int32Array.from([1]) };
    expect(() => bprLossGradient(model, bad, undefined)).toThrow(expect.objectContaining({ code: 'E_SHAPE' }));
    expect(() => bprLossGradient(model, triples, { users: new Float64Array(2), items: new Float64Array(12) })).toThrow(
      expect.objectContaining({ code: 'E_SHAPE' }),
    );
  });

  it('checks factors and table lengths once per call (a short itemBias was read past its end: NaN loss)', () => {
    const model = tinyModel(1, true);
    expect(() => bprLossGradient({ ...model, itemBias: new Float32Array(3) }, triples, undefined)).toThrow(
      expect.objectContaining({ code: 'E_SHAPE', message: expect.stringMatching(/^bprLossGradient: itemBias has 3/) }),
    );
    // 9 and 12 floats are not whole rows of 2 factors / a factor count of 0 or NaN summed ln 2 per triple.
    expect(() => bprLossGradient({ ...model, factors: 2 }, triples, undefined)).toThrow(
      expect.objectContaining({ code: 'E_SHAPE' }),
    );
    for (const factors of [0, Number.NaN, 1.5]) {
      expect(() => bprLossGradient({ ...model, factors }, triples, undefined), String(factors)).toThrow(
        expect.objectContaining({ code: 'E_ARGUMENT', details: { option: 'factors', value: factors } }),
      );
    }
  });
});

describe('sampleBprTriples', () => {
  const train = CsrMatrix.fromCoo(
    { rows: Int32Array.from([0, 0, 1, 2, 2, 2]), columns: Int32Array.from([0, 3, 1, 0, 1, 2]) },
    { numRows: 3, numColumns: 5, duplicates: 'error' },
  );

  it('pairs every training positive with negativesPerPositive true negatives, deterministically per seed', () => {
    const triples = sampleBprTriples(train, 3, createRng(5));
    expect(triples.users.length).toBe(train.nnz * 3);
    const seen = new Map<string, number>();
    for (let t = 0; t < triples.users.length; t++) {
      const u = triples.users[t];
      expect(train.has(u, triples.positives[t])).toBe(true);
      expect(train.has(u, triples.negatives[t])).toBe(false);
      const key = `${u}:${triples.positives[t]}`;
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
    expect(seen.size).toBe(train.nnz);
    expect([...seen.values()].every((count) => count === 3)).toBe(true);
    const again = sampleBprTriples(train, 3, createRng(5));
    expect(Array.from(again.negatives)).toEqual(Array.from(triples.negatives));
    expect(Array.from(again.users)).toEqual(Array.from(triples.users));
  });

  it('refuses a missing or non-Rng rng, a bad negativesPerPositive and a non-matrix train with E_ARGUMENT', () => {
    // A missing rng used to fail with "TypeError: Cannot read properties of undefined (reading 'shuffle')".
    for (const [action, option] of [
      [() => sampleBprTriples(train, 1, undefined as never), 'rng'],
      [() => sampleBprTriples(train, 1, 5 as never), 'rng'],
      [() => sampleBprTriples(train, 1, { nextFloat: () => 0.5 } as never), 'rng'],
      [() => sampleBprTriples(train, 0, createRng(1)), 'negativesPerPositive'],
      [() => sampleBprTriples(undefined as never, 1, createRng(1)), 'train'],
    ] as const) {
      const error = thrownError(action);
      expect([error.code, error.details?.option], option).toEqual(['E_ARGUMENT', option]);
      expect(error.message).toMatch(new RegExp(`^sampleBprTriples: ${option} must be`));
    }
  });
});
