import { CsrMatrix, TopKSelector, TrustRecError, createDenseMatrix, createRng, gemm } from '@trustrec/core-linalg';
import { describe, expect, it } from 'vitest';
import {
  aucPerUser,
  hitRatioAtK,
  mapAtK,
  mrrAtK,
  ndcgAtK,
  precisionAtK,
  recallAtK,
  relevanceOfRanking,
} from '../ranking/ranking-metrics.js';
import { evaluateFullRanking, sortPositives } from './evaluate-full-ranking.js';
import type { EvaluationResult } from './evaluation-result.js';

function csr(numRows: number, numColumns: number, rows: number[][]): CsrMatrix {
  const r: number[] = [];
  const c: number[] = [];
  rows.forEach((items, row) => {
    for (const item of items) {
      r.push(row);
      c.push(item);
    }
  });
  return CsrMatrix.fromCoo(
    { rows: Int32Array.from(r), columns: Int32Array.from(c) },
    { numRows, numColumns, duplicates: 'error' },
  );
}

function scorer(scores: Float32Array, numItems: number) {
  return (users: Int32Array, out: Float32Array) => {
    for (let t = 0; t < users.length; t++)
      out.set(scores.subarray(users[t] * numItems, (users[t] + 1) * numItems), t * numItems);
  };
}

async function expectCode(promise: Promise<unknown>, code: string, pattern: RegExp): Promise<void> {
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  expect(TrustRecError.isInstance(caught), String(caught)).toBe(true);
  expect((caught as TrustRecError).code).toBe(code);
  expect((caught as Error).message).toMatch(pattern);
}

describe('evaluateFullRanking (hand-computed)', () => {
  it('ranks positives among non-excluded items, ties to the lower index, AUC ties half', async () => {
    // items:                      0    1    2    3    4    5
    const scores = new Float32Array([0.9, 0.5, 0.7, 0.5, 0.2, 0.95]);
    // exclude item 5 (train). positives {1, 3}. Order: 0 (0.9), 2 (0.7), 1 (0.5, lower index), 3 (0.5), 4 (0.2).
    // ranks of positives: 3 and 4. negatives 0, 2, 4. AUC pairs: (1,0) 0 (1,2) 0 (1,4) 1 (3,0) 0 (3,2) 0 (3,4) 1 → 2/6.
    const result = await evaluateFullRanking({
      numUsers: 1,
      numItems: 6,
      score: scorer(scores, 6),
      test: csr(1, 6, [[1, 3]]),
      exclude: csr(1, 6, [[5]]),
      ks: [3, 1, 10],
    });
    const d = (rank: number) => 1 / Math.log2(rank + 1);
    expect(result.protocol).toBe('full');
    expect(result.ks).toEqual([1, 3, 10]);
    expect(result.usersEvaluated).toBe(1);
    expect(result.usersSkipped).toBe(0);
    expect(result.mean.hr[1]).toBe(0);
    expect(result.mean.hr[3]).toBe(1);
    expect(result.mean.ndcg[3]).toBeCloseTo(d(3) / (1 + d(2)), 6);
    expect(result.mean.ndcg[10]).toBeCloseTo((d(3) + d(4)) / (1 + d(2)), 6);
    expect(result.mean.precision[3]).toBeCloseTo(1 / 3, 6);
    expect(result.mean.precision[10]).toBeCloseTo(2 / 10, 6);
    expect(result.mean.recall[3]).toBeCloseTo(0.5, 6);
    expect(result.mean.recall[10]).toBe(1);
    expect(result.mean.mrr[3]).toBeCloseTo(1 / 3, 6);
    expect(result.mean.mrr[1]).toBe(0);
    expect(result.mean.map[3]).toBeCloseTo(1 / 3 / 2, 6);
    expect(result.mean.map[10]).toBeCloseTo((1 / 3 + 2 / 4) / 2, 6);
    expect(result.auc).toBeCloseTo(2 / 6, 6);
    expect(result.perUser.auc[0]).toBeCloseTo(2 / 6, 6);
    expect(Array.from(result.perUser.users)).toEqual([0]);
  });

  it('skips users with no positives and counts them; a user whose every candidate is positive has NaN AUC', async () => {
    const scores = new Float32Array([1, 2, 3, 3, 2, 1, 0, 0, 0]);
    const result = await evaluateFullRanking({
      numUsers: 3,
      numItems: 3,
      score: scorer(scores, 3),
      test: csr(3, 3, [[0], [], [0, 1, 2]]),
      ks: [1, 2],
    });
    expect(result.usersEvaluated).toBe(2);
    expect(result.usersSkipped).toBe(1);
    expect(Array.from(result.perUser.users)).toEqual([0, 2]);
    expect(result.perUser.auc[0]).toBe(0);
    expect(result.perUser.auc[1]).toBeNaN();
    expect(result.auc).toBe(0); // mean over users with a defined AUC
    // User 2: all items positive, ranks 1..3 → perfect NDCG/MAP, precision 1.
    expect(result.perUser.ndcg[2][1]).toBeCloseTo(1, 6);
    expect(result.perUser.map[2][1]).toBeCloseTo(1, 6);
    expect(result.perUser.precision[2][1]).toBe(1);
    expect(result.perUser.recall[2][1]).toBeCloseTo(2 / 3, 6);
    // User 0: positive 0 scores lowest → rank 3, a miss at K ≤ 2.
    expect(result.perUser.hr[2][0]).toBe(0);
  });

  it('evaluates only the requested users and reports progress per batch', async () => {
    const scores = new Float32Array([1, 0, 0, 1, 1, 0]);
    const progress: [number, number][] = [];
    const result = await evaluateFullRanking({
      numUsers: 3,
      numItems: 2,
      score: async (users, out) => scorer(scores, 2)(users, out),
      test: csr(3, 2, [[0], [0], [1]]),
      ks: [1],
      users: Int32Array.of(2, 1),
      batchSize: 1,
      onProgress: (done, total) => progress.push([done, total]),
    });
    expect(Array.from(result.perUser.users)).toEqual([2, 1]);
    expect(Array.from(result.perUser.hr[1])).toEqual([0, 0]);
    expect(progress).toEqual([
      [1, 2],
      [2, 2],
    ]);
  });

  it('rejects bad input with codes that name the user and item', async () => {
    const base = { numUsers: 1, numItems: 3, ks: [1], test: csr(1, 3, [[1]]) };
    const ok = scorer(new Float32Array([1, 2, 3]), 3);
    await expectCode(
      evaluateFullRanking({ ...base, score: ok, exclude: csr(1, 3, [[1]]) }),
      'E_ARGUMENT',
      /user 0: test item 1 is also in exclude/,
    );
    await expectCode(
      evaluateFullRanking({ ...base, score: scorer(new Float32Array([Number.NaN, 2, 3]), 3) }),
      'E_NUMERIC',
      /user 0, item 0 is NaN/,
    );
    await expectCode(
      evaluateFullRanking({
        ...base,
        test: csr(1, 3, [[0, 1]]),
        score: scorer(new Float32Array([1, 2, Number.NaN]), 3),
      }),
      'E_NUMERIC',
      /user 0, item 2 is NaN/,
    );
    await expectCode(
      evaluateFullRanking({
        ...base,
        test: csr(1, 3, [[0, 1]]),
        score: scorer(new Float32Array([1, Number.NaN, 0]), 3),
      }),
      'E_NUMERIC',
      /user 0, item 1 is NaN/,
    );
    await expectCode(evaluateFullRanking({ ...base, score: ok, test: csr(2, 3, [[1], []]) }), 'E_SHAPE', /test is 2×3/);
    await expectCode(evaluateFullRanking({ ...base, score: ok, ks: [0] }), 'E_ARGUMENT', /ks\[0\]/);
    await expectCode(evaluateFullRanking({ ...base, score: ok, ks: [5, 5] }), 'E_ARGUMENT', /twice/);
    await expectCode(
      evaluateFullRanking({ ...base, score: ok, users: Int32Array.of(3) }),
      'E_ARGUMENT',
      /users\[0\] = 3/,
    );
  });

  it('rejects an unknown option name (E_CONFIG) and a callback that is not a function, before scoring', async () => {
    const base = { numUsers: 1, numItems: 3, ks: [1], test: csr(1, 3, [[1]]) };
    let calls = 0;
    const counted = (users: Int32Array, out: Float32Array) => {
      calls++;
      scorer(new Float32Array([1, 2, 3]), 3)(users, out);
    };
    // A misspelt `exclude` used to be ignored, ranking the training items as candidates.
    await expectCode(
      evaluateFullRanking({ ...base, score: counted, exlude: csr(1, 3, [[0]]) } as Parameters<
        typeof evaluateFullRanking
      >[0]),
      'E_CONFIG',
      /evaluateFullRanking: option 'exlude' must be one of the known options \(numUsers, numItems, score, test, exclude, ks, batchSize, users, onProgress\)/,
    );
    await expectCode(
      evaluateFullRanking({ ...base, score: counted, onProgress: 1 as unknown as () => void }),
      'E_ARGUMENT',
      /onProgress must be a function/,
    );
    expect(calls).toBe(0);
  });
});

/** Reference: TopKSelector top-maxK list → relevance → the pure metric functions; naive pair-counting AUC. */
function referenceEvaluate(
  scores: Float32Array,
  numUsers: number,
  numItems: number,
  test: CsrMatrix,
  exclude: CsrMatrix,
  ks: number[],
) {
  const selector = new TopKSelector(numItems);
  const maxK = Math.max(...ks);
  const rows: { user: number; values: Record<string, number> }[] = [];
  for (let u = 0; u < numUsers; u++) {
    const positives = test.row(u).indices;
    if (positives.length === 0) continue;
    const row = scores.subarray(u * numItems, (u + 1) * numItems);
    const excluded = exclude.row(u).indices;
    const top = selector.select(row, maxK, excluded);
    const { relevance, numPositives } = relevanceOfRanking(top.indices, positives);
    const values: Record<string, number> = {};
    for (const k of ks) {
      values[`hr${k}`] = hitRatioAtK(relevance, numPositives, k);
      values[`ndcg${k}`] = ndcgAtK(relevance, numPositives, k);
      values[`precision${k}`] = precisionAtK(relevance, numPositives, k);
      values[`recall${k}`] = recallAtK(relevance, numPositives, k);
      values[`mrr${k}`] = mrrAtK(relevance, numPositives, k);
      values[`map${k}`] = mapAtK(relevance, numPositives, k);
    }
    // Naive AUC over all (positive, negative) pairs.
    const isPositive = new Set(positives);
    const isExcluded = new Set(excluded);
    let pairs = 0;
    let wins = 0;
    for (const p of positives) {
      for (let i = 0; i < numItems; i++) {
        if (isPositive.has(i) || isExcluded.has(i)) continue;
        pairs++;
        if (row[p] > row[i]) wins++;
        else if (row[p] === row[i]) wins += 0.5;
      }
    }
    values.auc = pairs === 0 ? Number.NaN : wins / pairs;
    values.aucFast = aucPerUser(row, positives, excluded);
    rows.push({ user: u, values });
  }
  return rows;
}

function randomProblem(seed: number, numUsers: number, numItems: number, levels: number) {
  const rng = createRng(seed);
  const scores = new Float32Array(numUsers * numItems);
  // Quantised scores: many ties, which exercise the lower-index rule and half-counted AUC pairs.
  for (let i = 0; i < scores.length; i++) scores[i] = rng.nextInt(levels) / levels;
  const testRows: number[][] = [];
  const trainRows: number[][] = [];
  for (let u = 0; u < numUsers; u++) {
    const order = rng.shuffle(Int32Array.from({ length: numItems }, (_, i) => i));
    const numTest = u % 7 === 0 ? 0 : 1 + rng.nextInt(Math.min(40, numItems - 2));
    const numTrain = rng.nextInt(numItems - numTest);
    testRows.push(Array.from(order.subarray(0, numTest)));
    trainRows.push(Array.from(order.subarray(numTest, numTest + numTrain)));
  }
  return { scores, test: csr(numUsers, numItems, testRows), exclude: csr(numUsers, numItems, trainRows) };
}

function compare(result: EvaluationResult, reference: ReturnType<typeof referenceEvaluate>, ks: number[]) {
  expect(result.usersEvaluated).toBe(reference.length);
  const means: Record<string, number> = {};
  reference.forEach((row, slot) => {
    expect(result.perUser.users[slot]).toBe(row.user);
    for (const k of ks) {
      for (const name of ['hr', 'ndcg', 'precision', 'recall', 'mrr', 'map'] as const) {
        const expected = row.values[`${name}${k}`];
        const actual = result.perUser[name][k][slot];
        if (Math.abs(actual - expected) > 1e-6)
          expect.fail(`user ${row.user} ${name}@${k}: ${actual} vs reference ${expected}`);
        means[`${name}${k}`] = (means[`${name}${k}`] ?? 0) + expected / reference.length;
      }
    }
    if (Number.isNaN(row.values.auc)) expect(result.perUser.auc[slot]).toBeNaN();
    else {
      expect(Math.abs(result.perUser.auc[slot] - row.values.auc)).toBeLessThan(1e-6);
      expect(Math.abs(row.values.aucFast - row.values.auc)).toBeLessThan(1e-12);
    }
  });
  for (const k of ks)
    for (const name of ['hr', 'ndcg', 'map'] as const)
      expect(result.mean[name][k]).toBeCloseTo(means[`${name}${k}`], 9);
  // Invariants per user: NDCG ≤ 1, HR and recall monotone in K.
  for (let slot = 0; slot < result.usersEvaluated; slot++) {
    for (let t = 0; t < ks.length; t++) {
      expect(result.perUser.ndcg[ks[t]][slot]).toBeLessThanOrEqual(1 + 1e-6);
      if (t > 0) {
        expect(result.perUser.hr[ks[t]][slot]).toBeGreaterThanOrEqual(result.perUser.hr[ks[t - 1]][slot]);
        expect(result.perUser.recall[ks[t]][slot]).toBeGreaterThanOrEqual(result.perUser.recall[ks[t - 1]][slot]);
      }
    }
  }
}

describe('evaluateFullRanking agrees with TopKSelector + the pure metrics + naive AUC', () => {
  it('on 600 random users with heavy ties, several positives, exclusions and odd batch sizes', async () => {
    const numUsers = 600;
    const numItems = 120;
    const ks = [1, 5, 20, 200];
    const { scores, test, exclude } = randomProblem(7, numUsers, numItems, 12);
    const reference = referenceEvaluate(scores, numUsers, numItems, test, exclude, ks);
    for (const batchSize of [1, 37, 1000]) {
      const result = await evaluateFullRanking({
        numUsers,
        numItems,
        score: scorer(scores, numItems),
        test,
        exclude,
        ks,
        batchSize,
      });
      expect(result.usersSkipped).toBe(numUsers - reference.length);
      compare(result, reference, ks);
    }
  });

  it('with ±Infinity scores among positives and negatives (the search pads with −∞)', async () => {
    const numUsers = 300;
    const numItems = 50;
    const ks = [1, 5, 10];
    const { scores, test, exclude } = randomProblem(13, numUsers, numItems, 4);
    const rng = createRng(14);
    for (let t = 0; t < 2000; t++)
      scores[rng.nextInt(scores.length)] = rng.nextInt(2) === 0 ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
    const reference = referenceEvaluate(scores, numUsers, numItems, test, exclude, ks);
    const result = await evaluateFullRanking({
      numUsers,
      numItems,
      score: scorer(scores, numItems),
      test,
      exclude,
      ks,
    });
    compare(result, reference, ks);
  });

  it('with continuous gemm scores (no ties) and many positives per user (heapsort path)', async () => {
    const numUsers = 200;
    const numItems = 300;
    const ks = [10, 50, 100];
    const rng = createRng(9);
    const userFactors = createDenseMatrix(numUsers, 8);
    const itemFactors = createDenseMatrix(numItems, 8);
    for (let i = 0; i < userFactors.data.length; i++) userFactors.data[i] = rng.normal();
    for (let i = 0; i < itemFactors.data.length; i++) itemFactors.data[i] = rng.normal();
    const scores = gemm(userFactors, itemFactors, { transposeB: true }).data;
    const testRows: number[][] = [];
    for (let u = 0; u < numUsers; u++) {
      const order = rng.shuffle(Int32Array.from({ length: numItems }, (_, i) => i));
      testRows.push(Array.from(order.subarray(0, 30 + rng.nextInt(60))));
    }
    const test = csr(numUsers, numItems, testRows);
    const exclude = CsrMatrix.empty(numUsers, numItems);
    const reference = referenceEvaluate(scores, numUsers, numItems, test, exclude, ks);
    const result = await evaluateFullRanking({ numUsers, numItems, score: scorer(scores, numItems), test, ks });
    compare(result, reference, ks);
    // AUC of reversed scores is 1 − AUC, per user.
    const reversed = await evaluateFullRanking({
      numUsers,
      numItems,
      score: scorer(
        scores.map((s) => -s),
        numItems,
      ),
      test,
      ks,
    });
    for (let slot = 0; slot < numUsers; slot++)
      expect(result.perUser.auc[slot] + reversed.perUser.auc[slot]).toBeCloseTo(1, 5);
  });
});

describe('sortPositives', () => {
  it('orders by score descending then index ascending, for short and long inputs', () => {
    const rng = createRng(3);
    for (const length of [0, 1, 5, 24, 25, 200]) {
      const scores = new Float64Array(length).map(() => rng.nextInt(5));
      const items = rng.shuffle(Int32Array.from({ length }, (_, i) => i));
      const pairs = Array.from(items, (item, t) => [scores[t], item]).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
      sortPositives(scores, items, length);
      expect(Array.from(items)).toEqual(pairs.map((pair) => pair[1]));
    }
  });
});
