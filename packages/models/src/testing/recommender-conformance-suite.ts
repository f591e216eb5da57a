import { TrustRecError } from '@trustrec/core-linalg';
import { describe, expect, it } from 'vitest';
import { MostPopular } from '../baselines/most-popular.js';
import { type Recommender, isFactorModel, supportsRestore } from '../recommender/recommender.js';
import { loadModel } from '../registry/default-registry.js';
import { decodeModel, encodeModel } from '../serialization/model-format.js';
import { type SyntheticInteractions, createSyntheticInteractions, heldOutRanking } from './synthetic-interactions.js';

export interface RecommenderConformanceOptions {
  /** Suite title, e.g. "MF-BPR". */
  readonly name: string;
  /** Creates an unfitted model with the given hyper-parameters (merged over `hyperParameters`). */
  readonly create: (hyperParameters?: Readonly<Record<string, unknown>>) => Recommender;
  /** Hyper-parameters for the small synthetic data (keep the suite fast). */
  readonly hyperParameters?: Readonly<Record<string, unknown>>;
  /** Each must make `create` (or `fit`) throw E_CONFIG. */
  readonly invalidHyperParameters: readonly Readonly<Record<string, unknown>>[];
  /** Restores a saved model (default: `loadModel` with the default registry). */
  readonly load?: (bytes: Uint8Array) => Recommender;
  /** Data to fit on (default: 120 users × 80 items × 15 interactions, synthetic, seed 7). */
  readonly data?: SyntheticInteractions;
  /** Whether the model should beat MostPopular's NDCG@10 on the held-out items (default true). */
  readonly beatsPopularity?: boolean;
  /** Whether the model trains for several epochs (so `onEpoch` returning 'stop' can end it early). */
  readonly multiEpoch?: boolean;
  /** Hyper-parameters for a second model with another seed (to check the seed matters); omit to skip. */
  readonly otherSeed?: Readonly<Record<string, unknown>>;
  /** Per-test timeout in ms (default 20 000). */
  readonly timeout?: number;
}

/**
 * The conformance suite every TrustRec recommender passes (implicit's `RecommenderBaseTestMixin`, as vitest
 * tests): not-fitted errors, E_CONFIG for bad options, learning (beats popularity), recommend excludes seen
 * items and agrees with scores, batch = single, save/load round trip with identical scores, restore into a live
 * model (when it has `restore`), same seed gives identical parameters, epoch callbacks and abort.
 */
export function recommenderConformanceSuite(options: RecommenderConformanceOptions): void {
  const data =
    options.data ?? createSyntheticInteractions({ numUsers: 120, numItems: 80, interactionsPerUser: 15, seed: 7 });
  const create = (extra: Readonly<Record<string, unknown>> = {}): Recommender =>
    options.create({ ...(options.hyperParameters ?? {}), ...extra });
  const load = options.load ?? ((bytes: Uint8Array) => loadModel(bytes));
  const timeout = options.timeout ?? 20_000;
  const { train, testItems } = data;
  let fittedPromise: Promise<Recommender> | undefined;
  const fitted = (): Promise<Recommender> => {
    fittedPromise ??= (async () => {
      const model = create();
      await model.fit(train);
      return model;
    })();
    return fittedPromise;
  };

  describe(`${options.name} — recommender conformance`, () => {
    it('throws E_NOT_FITTED before fit', () => {
      const model = create();
      expect(model.isFitted).toBe(false);
      const expectNotFitted = (action: () => unknown): void => {
        try {
          action();
        } catch (error) {
          expect(TrustRecError.isInstance(error, 'E_NOT_FITTED')).toBe(true);
          return;
        }
        expect.fail('expected E_NOT_FITTED, but the call succeeded');
      };
      expectNotFitted(() => model.scoreUser(0));
      expectNotFitted(() => model.scoreUsers(Int32Array.of(0)));
      expectNotFitted(() => model.recommend(Int32Array.of(0), 5));
      expectNotFitted(() => model.save());
    });

    it('rejects invalid hyper-parameters with E_CONFIG', async () => {
      expect(options.invalidHyperParameters.length).toBeGreaterThan(0);
      for (const invalid of options.invalidHyperParameters) {
        let caught: unknown;
        try {
          await create(invalid).fit(train);
        } catch (error) {
          caught = error;
        }
        expect(
          TrustRecError.isInstance(caught, 'E_CONFIG'),
          `expected E_CONFIG for ${JSON.stringify(invalid)}, got ${String(caught)}`,
        ).toBe(true);
      }
      let unknown: unknown;
      try {
        create({ noSuchOption: 1 });
      } catch (error) {
        unknown = error;
      }
      expect(TrustRecError.isInstance(unknown, 'E_CONFIG')).toBe(true);
    });

    it(
      'fits, reports epochs, and beats popularity on held-out items',
      async () => {
        const model = await fitted();
        expect(model.isFitted).toBe(true);
        expect(model.numUsers).toBe(train.numRows);
        expect(model.numItems).toBe(train.numColumns);
        const ours = heldOutRanking((u, out) => model.scoreUser(u, out), train, testItems);
        const popularity = new MostPopular();
        await popularity.fit(train);
        const baseline = heldOutRanking((u, out) => popularity.scoreUser(u, out), train, testItems);
        if (options.beatsPopularity ?? true) expect(ours.ndcg).toBeGreaterThan(baseline.ndcg);
        const description = model.describe();
        expect(description.name).toBe(model.name);
        expect(description.fitted).toBe(true);
        expect(description.reference.citation.length).toBeGreaterThan(10);
      },
      timeout,
    );

    it(
      'recommend excludes seen items, is sorted, and agrees with scoreUser',
      async () => {
        const model = await fitted();
        const users = Int32Array.of(0, 3, 17, train.numRows - 1);
        const results = model.recommend(users, 10, { exclude: train });
        expect(results).toHaveLength(users.length);
        for (let t = 0; t < users.length; t++) {
          const { indices, scores } = results[t];
          expect(indices.length).toBe(10);
          const all = model.scoreUser(users[t]);
          let best = Number.NEGATIVE_INFINITY;
          for (let i = 0; i < all.length; i++) if (!train.has(users[t], i)) best = Math.max(best, all[i]);
          expect(scores[0]).toBe(Math.fround(best));
          for (let r = 0; r < indices.length; r++) {
            expect(train.has(users[t], indices[r])).toBe(false);
            expect(scores[r]).toBe(all[indices[r]]);
            if (r > 0) expect(scores[r]).toBeLessThanOrEqual(scores[r - 1]);
          }
        }
        const unfiltered = model.recommend(Int32Array.of(0), train.numColumns);
        expect(unfiltered[0].indices.length).toBe(train.numColumns);
      },
      timeout,
    );

    it(
      'batch scoring equals single-user scoring',
      async () => {
        const model = await fitted();
        const users = Int32Array.of(5, 0, 5, 42);
        const batch = model.scoreUsers(users);
        const m = model.numItems;
        expect(batch.length).toBe(users.length * m);
        const pairsUsers = new Int32Array(users.length * 3);
        const pairsItems = new Int32Array(users.length * 3);
        for (let t = 0; t < users.length; t++) {
          const single = model.scoreUser(users[t]);
          for (let i = 0; i < m; i++) expect(batch[t * m + i]).toBeCloseTo(single[i], 4);
          for (let s = 0; s < 3; s++) {
            pairsUsers[t * 3 + s] = users[t];
            pairsItems[t * 3 + s] = (t * 7 + s * 13) % m;
          }
        }
        const pairs = model.scorePairs(pairsUsers, pairsItems);
        for (let p = 0; p < pairs.length; p++)
          expect(pairs[p]).toBeCloseTo(model.scoreUser(pairsUsers[p])[pairsItems[p]], 4);
        const out = new Float32Array(m);
        expect(model.scoreUser(3, out)).toBe(out);
        const batched = model.recommend(users, 5, { exclude: train });
        for (let t = 0; t < users.length; t++) {
          expect(Array.from(batched[t].indices)).toEqual(
            Array.from(model.recommend(users.subarray(t, t + 1), 5, { exclude: train })[0].indices),
          );
        }
      },
      timeout,
    );

    it(
      'fit with an already-aborted signal is E_ABORTED and leaves the model as it was (fitted or not)',
      async () => {
        const controller = new AbortController();
        controller.abort();
        // Another shape, so that a fit that changed the counts or parameters before the abort check shows.
        const other = createSyntheticInteractions({ numUsers: 30, numItems: 20, interactionsPerUser: 4, seed: 3 });
        const abortedFit = async (model: Recommender): Promise<unknown> => {
          try {
            await model.fit(other.train, { signal: controller.signal });
          } catch (error) {
            return error;
          }
          return undefined;
        };
        const unfitted = create();
        expect(TrustRecError.isInstance(await abortedFit(unfitted), 'E_ABORTED')).toBe(true);
        expect(unfitted.isFitted).toBe(false);
        expect(() => unfitted.scoreUser(0)).toThrow(expect.objectContaining({ code: 'E_NOT_FITTED' }));
        const bytes = (await fitted()).save();
        const model = load(bytes);
        const users = Int32Array.from({ length: model.numUsers }, (_, u) => u);
        const scores = Array.from(model.scoreUsers(users));
        const numbers = [model.numUsers, model.numItems];
        expect(TrustRecError.isInstance(await abortedFit(model), 'E_ABORTED')).toBe(true);
        expect(model.isFitted).toBe(true);
        expect([model.numUsers, model.numItems]).toEqual(numbers);
        expect(Array.from(model.scoreUsers(users))).toEqual(scores);
        expect(Array.from(model.save())).toEqual(Array.from(bytes));
      },
      timeout,
    );

    it(
      'save/load round trip gives identical scores',
      async () => {
        const model = await fitted();
        const bytes = model.save();
        const restored = load(bytes);
        expect(restored.name).toBe(model.name);
        expect(restored.numUsers).toBe(model.numUsers);
        expect(restored.numItems).toBe(model.numItems);
        expect(restored.describe().hyperParameters).toEqual(model.describe().hyperParameters);
        const users = Int32Array.from({ length: model.numUsers }, (_, u) => u);
        expect(Array.from(restored.scoreUsers(users))).toEqual(Array.from(model.scoreUsers(users)));
        if (isFactorModel(model)) {
          expect(isFactorModel(restored)).toBe(true);
          if (isFactorModel(restored)) {
            expect(Array.from(restored.userFactors)).toEqual(Array.from(model.userFactors));
            expect(Array.from(restored.itemFactors)).toEqual(Array.from(model.itemFactors));
          }
        }
        expect(Array.from(restored.save())).toEqual(Array.from(bytes));
      },
      timeout,
    );

    it(
      'restore brings a saved state into a live model, in place, and refuses another model’s bytes',
      async () => {
        const model = await fitted();
        if (!supportsRestore(model)) return;
        const users = Int32Array.from({ length: model.numUsers }, (_, u) => u);
        const bytes = model.save();
        const scores = Array.from(model.scoreUsers(users));
        const fresh = create();
        // restore is a capability of the class, not of a fitted instance.
        expect(supportsRestore(fresh)).toBe(true);
        if (!supportsRestore(fresh)) return;
        fresh.restore(bytes);
        expect(fresh.isFitted).toBe(true);
        expect(Array.from(fresh.scoreUsers(users))).toEqual(scores);
        expect(Array.from(fresh.save())).toEqual(Array.from(bytes));
        if (options.otherSeed) {
          const other = create(options.otherSeed);
          await other.fit(train);
          const otherScores = Array.from(other.scoreUsers(users));
          const liveUsers = isFactorModel(fresh) ? fresh.userFactors : undefined;
          const otherBytes = other.save();
          fresh.restore(otherBytes);
          expect(Array.from(fresh.scoreUsers(users))).toEqual(otherScores);
          // The learned state is the other model's; the header keeps this model's hyper-parameters (its seed).
          expect(learnedState(fresh.save())).toEqual(learnedState(otherBytes));
          fresh.restore(bytes);
          expect(Array.from(fresh.scoreUsers(users))).toEqual(scores);
          expect(Array.from(fresh.save())).toEqual(Array.from(bytes));
          if (isFactorModel(fresh)) expect(fresh.userFactors).toBe(liveUsers);
        }
        const foreign = encodeModel({
          model: `not-${model.name}`,
          modelVersion: 1,
          hyperParameters: {},
          state: { numUsers: model.numUsers, numItems: model.numItems },
          arrays: {},
        });
        let caught: unknown;
        try {
          fresh.restore(foreign);
        } catch (error) {
          caught = error;
        }
        expect(TrustRecError.isInstance(caught, 'E_FORMAT')).toBe(true);
        expect((caught as Error).message).toContain(`not-${model.name}`);
        expect(Array.from(fresh.scoreUsers(users))).toEqual(scores);
      },
      timeout * 2,
    );

    it(
      'the same seed gives identical parameters and scores',
      async () => {
        const model = await fitted();
        const again = create();
        await again.fit(train);
        const users = Int32Array.from({ length: model.numUsers }, (_, u) => u);
        expect(Array.from(again.scoreUsers(users))).toEqual(Array.from(model.scoreUsers(users)));
        if (isFactorModel(model) && isFactorModel(again)) {
          expect(Array.from(again.userFactors)).toEqual(Array.from(model.userFactors));
          expect(Array.from(again.itemFactors)).toEqual(Array.from(model.itemFactors));
        }
        if (options.otherSeed) {
          const other = create(options.otherSeed);
          await other.fit(train);
          expect(Array.from(other.scoreUsers(users))).not.toEqual(Array.from(model.scoreUsers(users)));
        }
      },
      timeout * 2,
    );

    if (options.multiEpoch ?? true) {
      it(
        "calls onEpoch, stops on 'stop', and rejects an aborted signal with E_ABORTED",
        async () => {
          const model = create();
          const seen: number[] = [];
          const report = await model.fit(train, {
            onEpoch: (event) => {
              seen.push(event.epoch);
              expect(event.model).toBe(model);
              return event.epoch === 1 ? 'stop' : undefined;
            },
          });
          expect(seen).toEqual([1]);
          expect(report.epochs).toBe(1);
          expect(report.stopReason).toBe('callback');
          const controller = new AbortController();
          controller.abort();
          let caught: unknown;
          try {
            await create().fit(train, { signal: controller.signal });
          } catch (error) {
            caught = error;
          }
          expect(TrustRecError.isInstance(caught, 'E_ABORTED')).toBe(true);
        },
        timeout,
      );
    }

    it(
      'factor models expose live factor arrays',
      async () => {
        const model = create();
        await model.fit(train);
        if (!isFactorModel(model)) return;
        expect(model.userFactors.length).toBe(model.numUsers * model.factors);
        expect(model.itemFactors.length).toBe(model.numItems * model.factors);
        model.userFactors.fill(0);
        model.itemFactors.fill(0);
        const scores = model.scoreUser(1);
        const bias = model.itemBias;
        for (let i = 0; i < scores.length; i++) expect(scores[i]).toBe(bias ? bias[i] : 0);
        expect(() => {
          model.userFactors = new Float32Array(3);
        }).toThrow();
      },
      timeout,
    );
  });
}

/** A saved model's state and arrays (without the header's hyper-parameters), comparable with `toEqual`. */
function learnedState(bytes: Uint8Array): { state: unknown; arrays: Record<string, number[]> } {
  const decoded = decodeModel(bytes);
  const arrays: Record<string, number[]> = {};
  for (const [name, array] of Object.entries(decoded.arrays)) arrays[name] = Array.from(array);
  return { state: decoded.header.state, arrays };
}
