import { TrustRecError, createRng } from '@trustrec/core-linalg';
import { describe, expect, it } from 'vitest';
import { loadModel } from '../registry/default-registry.js';
import { recommenderConformanceSuite } from '../testing/recommender-conformance-suite.js';
import { createSyntheticInteractions } from '../testing/synthetic-interactions.js';
import { expandRows } from '../training/batch-sampler.js';
import { encodeNegative, logisticSgdExamples, logisticTrainingExamples } from './logistic-sgd-kernel.js';
import { MatrixFactorizationLogistic } from './matrix-factorization-logistic.js';

recommenderConformanceSuite({
  name: 'MF (logistic, sampled negatives)',
  create: (hyperParameters) => new MatrixFactorizationLogistic(hyperParameters),
  hyperParameters: { factors: 8, epochs: 20, learningRate: 0.02, regularization: 0.005, negatives: 4 },
  invalidHyperParameters: [
    { factors: 0 },
    { negatives: 0 },
    { negatives: 2.5 },
    { learningRate: -1 },
    { learningRate: 0 },
    { regularization: -0.1 },
    { initStd: Number.NaN },
    { epochs: 1.5 },
    { seed: -1 },
  ],
  otherSeed: { seed: 43 },
});

const sigmoid = (y: number): number => 1 / (1 + Math.exp(-y));

describe('MF (logistic) kernel', () => {
  it('one SGD step on a positive and then a negative example matches the hand-computed update', () => {
    // 1 user, 2 items, K = 2; example 1: (0, item 0, label 1), example 2: (0, item 1, label 0).
    const p = Float32Array.of(0.5, -0.25);
    const q = Float32Array.of(0.1, 0.2, -0.3, 0.4);
    const userBias = Float32Array.of(0.05);
    const itemBias = Float32Array.of(-0.1, 0.2);
    const globalBias = Float64Array.of(0.3);
    const eta = 0.1;
    const lambda = 0.01;
    const examples = Int32Array.of(0, 0, 0, encodeNegative(1));

    // Step 1 (label 1): y = 0.3 + 0.05 − 0.1 + (0.05 − 0.05) = 0.25.
    const y1 = 0.3 + 0.05 - 0.1 + (0.5 * 0.1 + -0.25 * 0.2);
    const g1 = 1 - sigmoid(y1);
    const expected = {
      p0: 0.5 + eta * (g1 * 0.1 - lambda * 0.5),
      p1: -0.25 + eta * (g1 * 0.2 - lambda * -0.25),
      q0: 0.1 + eta * (g1 * 0.5 - lambda * 0.1),
      q1: 0.2 + eta * (g1 * -0.25 - lambda * 0.2),
      bu: 0.05 + eta * (g1 - lambda * 0.05),
      bi0: -0.1 + eta * (g1 - lambda * -0.1),
      b: 0.3 + eta * (g1 - lambda * 0.3),
    };
    const loss1 = logisticSgdExamples(examples, 0, 1, p, q, userBias, itemBias, globalBias, 2, eta, lambda);
    expect(loss1).toBeCloseTo(Math.log(1 + Math.exp(-y1)), 6);
    expect(p[0]).toBeCloseTo(expected.p0, 6);
    expect(p[1]).toBeCloseTo(expected.p1, 6);
    expect(q[0]).toBeCloseTo(expected.q0, 6);
    expect(q[1]).toBeCloseTo(expected.q1, 6);
    expect(q[2]).toBe(Math.fround(-0.3));
    expect(userBias[0]).toBeCloseTo(expected.bu, 6);
    expect(itemBias[0]).toBeCloseTo(expected.bi0, 6);
    expect(itemBias[1]).toBe(Math.fround(0.2));
    expect(globalBias[0]).toBeCloseTo(expected.b, 6);
    // Guard against a test that cannot fail: the step moved p_u by more than the tolerance.
    expect(Math.abs(p[0] - 0.5)).toBeGreaterThan(1e-3);

    // Step 2 (label 0) on item 1, from the values after step 1 (p_u as updated; q_i for q's update uses old p_u).
    const pu = [p[0], p[1]];
    const y2 = globalBias[0] + userBias[0] + itemBias[1] + (pu[0] * -0.3 + pu[1] * 0.4);
    const g2 = 0 - sigmoid(y2);
    const bu2 = userBias[0];
    const b2 = globalBias[0];
    const loss2 = logisticSgdExamples(examples, 1, 2, p, q, userBias, itemBias, globalBias, 2, eta, lambda);
    expect(loss2).toBeCloseTo(Math.log(1 + Math.exp(y2)), 6);
    expect(p[0]).toBeCloseTo(pu[0] + eta * (g2 * -0.3 - lambda * pu[0]), 6);
    expect(p[1]).toBeCloseTo(pu[1] + eta * (g2 * 0.4 - lambda * pu[1]), 6);
    expect(q[2]).toBeCloseTo(-0.3 + eta * (g2 * pu[0] - lambda * -0.3), 6);
    expect(q[3]).toBeCloseTo(0.4 + eta * (g2 * pu[1] - lambda * 0.4), 6);
    expect(userBias[0]).toBeCloseTo(bu2 + eta * (g2 - lambda * bu2), 6);
    expect(itemBias[1]).toBeCloseTo(0.2 + eta * (g2 - lambda * 0.2), 6);
    expect(globalBias[0]).toBeCloseTo(b2 + eta * (g2 - lambda * b2), 6);
  });

  it('the unrolled kernel (K = 7: one block of 4 plus a tail) equals a plain per-coordinate reference', () => {
    const k = 7;
    const init = createRng(5);
    const p = Float32Array.from({ length: 3 * k }, () => init.normal(0, 0.3));
    const q = Float32Array.from({ length: 4 * k }, () => init.normal(0, 0.3));
    const examples = Int32Array.of(0, 1, 2, encodeNegative(3), 1, 1, 0, encodeNegative(1), 2, 0);
    const run = (reference: boolean) => {
      const state = {
        p: p.slice(),
        q: q.slice(),
        bu: new Float32Array(3),
        bi: new Float32Array(4),
        b: new Float64Array(1),
        loss: 0,
      };
      if (!reference) {
        state.loss = logisticSgdExamples(examples, 0, 5, state.p, state.q, state.bu, state.bi, state.b, k, 0.3, 0.02);
        return state;
      }
      for (let t = 0; t < 5; t++) {
        const u = examples[2 * t];
        const label = examples[2 * t + 1] >= 0 ? 1 : 0;
        const i = label === 1 ? examples[2 * t + 1] : ~examples[2 * t + 1];
        let dot = 0;
        for (let c = 0; c < k; c++) dot += state.p[u * k + c] * state.q[i * k + c];
        const y = state.b[0] + state.bu[u] + state.bi[i] + dot;
        state.loss += label === 1 ? Math.log1p(Math.exp(-y)) : Math.log1p(Math.exp(y));
        const g = label - sigmoid(y);
        for (let c = 0; c < k; c++) {
          const pu = state.p[u * k + c];
          const qi = state.q[i * k + c];
          state.p[u * k + c] = pu + 0.3 * (g * qi - 0.02 * pu);
          state.q[i * k + c] = qi + 0.3 * (g * pu - 0.02 * qi);
        }
        state.bu[u] += 0.3 * (g - 0.02 * state.bu[u]);
        state.bi[i] += 0.3 * (g - 0.02 * state.bi[i]);
        state.b[0] += 0.3 * (g - 0.02 * state.b[0]);
      }
      return state;
    };
    const fused = run(false);
    const reference = run(true);
    expect(fused.loss).toBeCloseTo(reference.loss, 5);
    for (let c = 0; c < p.length; c++) expect(fused.p[c]).toBeCloseTo(reference.p[c], 6);
    for (let c = 0; c < q.length; c++) expect(fused.q[c]).toBeCloseTo(reference.q[c], 6);
    for (let i = 0; i < 4; i++) expect(fused.bi[i]).toBeCloseTo(reference.bi[i], 6);
    expect(fused.b[0]).toBeCloseTo(reference.b[0], 6);
    expect(fused.p[0]).not.toBe(p[0]);
  });

  it('stays finite (stable σ and loss) at extreme logits', () => {
    const p = Float32Array.of(30, 30);
    const q = Float32Array.of(30, 30);
    const loss = logisticSgdExamples(
      Int32Array.of(0, encodeNegative(0)),
      0,
      1,
      p,
      q,
      new Float32Array(1),
      new Float32Array(1),
      new Float64Array(1),
      2,
      1e-6,
      0,
    );
    // y = 1800: ln(1 + e^1800) = 1800 + ln(1 + e^-1800) ≈ 1800.
    expect(loss).toBeCloseTo(1800, 6);
    expect(Number.isFinite(p[0])).toBe(true);
  });

  it('each epoch has one positive and `negatives` uniform negatives per entry, shuffled, reproducibly', () => {
    const { train } = createSyntheticInteractions({ numUsers: 30, numItems: 25, interactionsPerUser: 5, seed: 2 });
    const negatives = 3;
    const userOfEntry = expandRows(train);
    const build = (seed: number) => {
      const out = new Int32Array(2 * train.nnz * (1 + negatives));
      const words = Int32Array.from(createRng(seed).getState().words);
      logisticTrainingExamples(userOfEntry, train.indices, negatives, train.numColumns, words, out);
      return out;
    };
    const examples = build(11);
    const positives = new Map<string, number>();
    const negativesPerUser = new Int32Array(train.numRows);
    let negativesOnPositives = 0;
    for (let t = 0; t < examples.length / 2; t++) {
      const u = examples[2 * t];
      const stored = examples[2 * t + 1];
      if (stored >= 0) {
        const key = `${u}:${stored}`;
        positives.set(key, (positives.get(key) ?? 0) + 1);
      } else {
        const j = ~stored;
        expect(j).toBeGreaterThanOrEqual(0);
        expect(j).toBeLessThan(train.numColumns);
        negativesPerUser[u]++;
        if (train.has(u, j)) negativesOnPositives++;
      }
    }
    // Every training entry appears exactly once as a positive.
    expect(positives.size).toBe(train.nnz);
    for (const count of positives.values()) expect(count).toBe(1);
    for (let u = 0; u < train.numRows; u++)
      expect(negativesPerUser[u]).toBe(negatives * (train.indptr[u + 1] - train.indptr[u]));
    // Negatives are drawn from all items (as in the reference code), so some hit training positives.
    expect(negativesOnPositives).toBeGreaterThan(0);
    // Shuffled: the first example is not the first training entry followed by its negatives in CSR order.
    let inOrder = 0;
    for (let t = 0; t < 50; t++) if (examples[2 * t] === userOfEntry[Math.floor(t / (1 + negatives))]) inOrder++;
    expect(inOrder).toBeLessThan(50);
    expect(Array.from(build(11))).toEqual(Array.from(examples));
    expect(Array.from(build(12))).not.toEqual(Array.from(examples));
  });
});

describe('MF (logistic) model', () => {
  it('the logistic loss decreases over epochs; reports (1 + negatives)·nnz samples per epoch', async () => {
    const { train } = createSyntheticInteractions({ numUsers: 60, numItems: 40, interactionsPerUser: 8, seed: 4 });
    const model = new MatrixFactorizationLogistic({ factors: 8, epochs: 8, learningRate: 0.02, negatives: 4 });
    const report = await model.fit(train);
    const losses = report.history.map((record) => record.loss);
    // The first epoch averages from ln 2 (y ≈ 0 at initialisation) down towards the base-rate entropy.
    expect(losses[0]).toBeLessThan(Math.LN2);
    expect(losses[0]).toBeGreaterThan(0.4);
    // Sampled negatives make the epoch loss noisy, so: every epoch below the first, and a clear overall drop.
    for (let e = 1; e < losses.length; e++) expect(losses[e]).toBeLessThan(losses[0]);
    expect(losses[7]).toBeLessThan(losses[0] - 0.03);
    // Below the best constant predictor (the binary entropy of the base rate 1/5, ≈ 0.5004): the factors learn.
    const baseRate = 0.2;
    expect(losses[7]).toBeLessThan(-(baseRate * Math.log(baseRate) + (1 - baseRate) * Math.log(1 - baseRate)) - 0.02);
    expect(report.samples).toBe(8 * 5 * train.nnz);
    expect(report.history[0].learningRate).toBe(0.02);
    // With 4 negatives per positive, the global bias goes negative (the base rate is 1/5).
    expect(model.globalBias).toBeLessThan(0);
  });

  it('scores are ⟨p_u, q_i⟩ + b_i; logits add b + b_u; save/load keeps the biases bit-for-bit', async () => {
    const { train } = createSyntheticInteractions({ numUsers: 25, numItems: 20, interactionsPerUser: 5, seed: 8 });
    const model = new MatrixFactorizationLogistic({ factors: 4, epochs: 3, learningRate: 0.05, negatives: 2 });
    await model.fit(train);
    const users = Int32Array.of(0, 3, 24, 3);
    const items = Int32Array.of(5, 0, 19, 7);
    const scores = model.scorePairs(users, items);
    const logits = model.logits(users, items);
    for (let t = 0; t < users.length; t++) {
      const constant = model.globalBias + model.userBias[users[t]];
      expect(logits[t]).toBeCloseTo(scores[t] + constant, 5);
    }
    expect(model.userBias.some((value) => value !== 0)).toBe(true);
    const restored = loadModel(model.save());
    expect(restored).toBeInstanceOf(MatrixFactorizationLogistic);
    const typed = restored as MatrixFactorizationLogistic;
    expect(Object.is(typed.globalBias, model.globalBias)).toBe(true);
    expect(Array.from(typed.userBias)).toEqual(Array.from(model.userBias));
    expect(Array.from(typed.logits(users, items))).toEqual(Array.from(logits));
    expect(() => model.logits(Int32Array.of(0), Int32Array.of(20))).toThrow();
  });

  it('rejects bad options with E_CONFIG when constructed', () => {
    for (const bad of [{ negatives: 0 }, { learningRate: -1 }, { factors: 1.5 }, { noSuchOption: true }]) {
      let caught: unknown;
      try {
        new MatrixFactorizationLogistic(bad);
      } catch (error) {
        caught = error;
      }
      expect(TrustRecError.isInstance(caught, 'E_CONFIG'), JSON.stringify(bad)).toBe(true);
    }
    expect(new MatrixFactorizationLogistic().describe().hyperParameters).toEqual({
      factors: 64,
      epochs: 48,
      learningRate: 0.01,
      regularization: 0.005,
      negatives: 8,
      initStd: 0.1,
      seed: 42,
    });
  });
});
