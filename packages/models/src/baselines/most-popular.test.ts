import { CsrMatrix } from '@trustrec/core-linalg';
import { describe, expect, it } from 'vitest';
import type { RecommendOptions } from '../recommender/recommender.js';
import { recommenderConformanceSuite } from '../testing/recommender-conformance-suite.js';
import { MostPopular } from './most-popular.js';

recommenderConformanceSuite({
  name: 'MostPopular',
  create: (hyperParameters) => new MostPopular(hyperParameters),
  invalidHyperParameters: [{ weighting: 'median' }],
  beatsPopularity: false,
  multiEpoch: false,
});

describe('MostPopular', () => {
  it('scores items by interaction count (or value sum) and recommends unseen popular items', async () => {
    const train = CsrMatrix.fromCoo(
      {
        rows: Int32Array.of(0, 1, 1, 2, 2, 2),
        columns: Int32Array.of(2, 2, 0, 2, 0, 3),
        values: Float32Array.of(1, 5, 1, 2, 1, 4),
      },
      { numRows: 3, numColumns: 4, duplicates: 'error' },
    );
    const model = new MostPopular();
    await model.fit(train);
    expect(Array.from(model.scoreUser(0))).toEqual([2, 0, 3, 1]);
    expect(Array.from(model.recommend(Int32Array.of(0), 2, { exclude: train })[0].indices)).toEqual([0, 3]);
    const summed = new MostPopular({ weighting: 'sum' });
    await summed.fit(train);
    expect(Array.from(summed.scoreUser(1))).toEqual([2, 0, 8, 4]);
  });

  it('recommend refuses an unknown option name (a misspelt exclude would recommend seen items) with E_CONFIG', async () => {
    const train = CsrMatrix.fromCoo(
      { rows: Int32Array.of(0, 1, 1), columns: Int32Array.of(2, 2, 0) },
      { numRows: 2, numColumns: 3, duplicates: 'error' },
    );
    const model = new MostPopular();
    await model.fit(train);
    expect(() => model.recommend(Int32Array.of(0), 2, { excluded: train } as RecommendOptions)).toThrow(
      expect.objectContaining({
        code: 'E_CONFIG',
        message: expect.stringMatching(
          /pop\.recommend: option 'excluded' must be one of the known options \(exclude\)/,
        ),
      }),
    );
    expect(() => model.recommend(Int32Array.of(0), 2, null as unknown as RecommendOptions)).toThrow(
      expect.objectContaining({ code: 'E_CONFIG' }),
    );
    expect(Array.from(model.recommend(Int32Array.of(0), 2, { exclude: undefined })[0].indices)).toEqual([2, 0]);
  });
});
