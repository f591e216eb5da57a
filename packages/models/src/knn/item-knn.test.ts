import { CsrMatrix } from '@trustrec/core-linalg';
import { describe, expect, it } from 'vitest';
import { loadModel } from '../registry/default-registry.js';
import { decodeModel, encodeModel } from '../serialization/model-format.js';
import { recommenderConformanceSuite } from '../testing/recommender-conformance-suite.js';
import { createSyntheticInteractions } from '../testing/synthetic-interactions.js';
import { ItemKnn, computeItemSimilarity } from './item-knn.js';

recommenderConformanceSuite({
  name: 'ItemKNN',
  create: (hyperParameters) => new ItemKnn(hyperParameters),
  hyperParameters: { neighbours: 20 },
  invalidHyperParameters: [{ neighbours: 0 }, { shrinkage: -1 }],
  multiEpoch: false,
});

describe('ItemKNN similarity', () => {
  it('matches hand-computed cosine with shrinkage and keeps the top-N neighbours', () => {
    // Users × items: u0 = {0, 1}, u1 = {0, 1, 2}, u2 = {2}.
    const train = CsrMatrix.fromCoo(
      { rows: Int32Array.of(0, 0, 1, 1, 1, 2), columns: Int32Array.of(0, 1, 0, 1, 2, 2) },
      { numRows: 3, numColumns: 3, duplicates: 'error' },
    );
    const full = computeItemSimilarity(train, 10, 1);
    // ‖r_0‖ = ‖r_1‖ = ‖r_2‖ = √2; ⟨r_0, r_1⟩ = 2, ⟨r_0, r_2⟩ = ⟨r_1, r_2⟩ = 1.
    expect(Array.from(full.row(0).indices)).toEqual([1, 2]);
    expect(full.get(0, 1)).toBeCloseTo(2 / 3, 6);
    expect(full.get(0, 2)).toBeCloseTo(1 / 3, 6);
    expect(full.get(2, 1)).toBeCloseTo(1 / 3, 6);
    const top1 = computeItemSimilarity(train, 1, 1);
    expect(Array.from(top1.row(0).indices)).toEqual([1]);
    const model = new ItemKnn({ neighbours: 10, shrinkage: 1 });
    return model.fit(train).then(() => {
      // u2 has item 2 only: scores = sim(2, ·).
      const scores = model.scoreUser(2);
      expect(scores[0]).toBeCloseTo(1 / 3, 6);
      expect(scores[1]).toBeCloseTo(1 / 3, 6);
      expect(scores[2]).toBe(0);
    });
  });

  it('a refit with an already-aborted signal is E_ABORTED and leaves the fitted model exactly as it was', async () => {
    const first = createSyntheticInteractions({ numUsers: 12, numItems: 9, interactionsPerUser: 3, seed: 4 });
    const second = createSyntheticInteractions({ numUsers: 20, numItems: 15, interactionsPerUser: 4, seed: 5 });
    const model = new ItemKnn({ neighbours: 3 });
    await model.fit(first.train);
    const bytes = model.save();
    const scores = Array.from(model.scoreUser(11));
    const controller = new AbortController();
    controller.abort();
    await expect(model.fit(second.train, { signal: controller.signal })).rejects.toMatchObject({
      code: 'E_ABORTED',
      message: expect.stringMatching(/^itemknn\.fit: .*already aborted.*as it was/),
    });
    expect([model.isFitted, model.numUsers, model.numItems]).toEqual([true, 12, 9]);
    expect(model.similarityMatrix.numRows).toBe(9);
    expect(Array.from(model.scoreUser(11))).toEqual(scores);
    expect(Array.from(model.save())).toEqual(Array.from(bytes));
    const unfitted = new ItemKnn({ neighbours: 3 });
    await expect(unfitted.fit(second.train, { signal: controller.signal })).rejects.toMatchObject({
      code: 'E_ABORTED',
    });
    expect([unfitted.isFitted, unfitted.numUsers, unfitted.numItems]).toEqual([false, 0, 0]);
  });

  it('loading bytes whose stored matrices are malformed is E_FORMAT naming the matrix, not E_SHAPE from CsrMatrix', async () => {
    const { train } = createSyntheticInteractions({ numUsers: 10, numItems: 8, interactionsPerUser: 3, seed: 2 });
    const model = new ItemKnn({ neighbours: 3 });
    await model.fit(train);
    const decoded = decodeModel(model.save());
    const indices = (decoded.arrays.historyIndices as Int32Array).slice();
    indices[0] = 99;
    const bytes = encodeModel({
      model: 'itemknn',
      modelVersion: 1,
      hyperParameters: decoded.header.hyperParameters,
      state: decoded.header.state,
      arrays: { ...decoded.arrays, historyIndices: indices },
    });
    for (const load of [() => loadModel(bytes), () => new ItemKnn({ neighbours: 3 }).restore(bytes)]) {
      expect(load).toThrow(
        expect.objectContaining({
          code: 'E_FORMAT',
          message: expect.stringMatching(/malformed history matrix .*column index 99/),
        }),
      );
    }
  });
});
