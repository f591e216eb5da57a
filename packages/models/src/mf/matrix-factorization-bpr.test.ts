import { CsrMatrix, TrustRecError, createRng } from '@trustrec/core-linalg';
import { describe, expect, it } from 'vitest';
import { recommenderConformanceSuite } from '../testing/recommender-conformance-suite.js';
import { createSyntheticInteractions } from '../testing/synthetic-interactions.js';
import { AdamOptimizer } from '../training/optimizer.js';
import { InteractionLookup } from '../training/interaction-lookup.js';
import { bprSgdEpoch } from './bpr-sgd-kernel.js';
import { MatrixFactorizationBpr } from './matrix-factorization-bpr.js';

recommenderConformanceSuite({
  name: 'MF-BPR (fused SGD)',
  create: (hyperParameters) => new MatrixFactorizationBpr(hyperParameters),
  hyperParameters: { factors: 8, epochs: 20, learningRate: 0.05, regularization: 0.01 },
  invalidHyperParameters: [
    { factors: 0 },
    { learningRate: -1 },
    { optimizer: 'rmsprop' },
    { epochs: 1.5 },
    { itemBias: 'yes' },
  ],
  otherSeed: { seed: 43 },
});

recommenderConformanceSuite({
  name: 'MF-BPR (generic loop, Adam, batch 64)',
  create: (hyperParameters) => new MatrixFactorizationBpr(hyperParameters),
  hyperParameters: {
    factors: 8,
    epochs: 20,
    learningRate: 0.02,
    regularization: 0.001,
    optimizer: 'adam',
    batchSize: 64,
  },
  invalidHyperParameters: [{ batchSize: 0 }],
});

describe('MF-BPR kernel', () => {
  it('one fused step matches the hand-computed LearnBPR update (seed 001 eq. 10)', () => {
    // 1 user, 2 items: the user has item 0, so the only negative is item 1.
    const train = CsrMatrix.fromCoo(
      { rows: Int32Array.of(0), columns: Int32Array.of(0) },
      { numRows: 1, numColumns: 2, duplicates: 'error' },
    );
    const p = Float32Array.of(0.5, -0.25);
    const q = Float32Array.of(0.1, 0.2, -0.3, 0.4);
    const eta = 0.1;
    const lambda = 0.01;
    const x = 0.5 * (0.1 + 0.3) + -0.25 * (0.2 - 0.4); // 0.25
    const z = 1 / (1 + Math.exp(x));
    const loss = bprSgdEpoch({
      train,
      userOfEntry: Int32Array.of(0),
      order: Int32Array.of(0),
      userFactors: p,
      itemFactors: q,
      itemBias: undefined,
      factors: 2,
      learningRate: eta,
      regularization: lambda,
      rng: createRng(1),
      lookup: new InteractionLookup(train),
    });
    expect(loss).toBeCloseTo(Math.log(1 + Math.exp(-x)), 6);
    expect(p[0]).toBeCloseTo(0.5 + eta * (z * (0.1 + 0.3) - lambda * 0.5), 6);
    expect(p[1]).toBeCloseTo(-0.25 + eta * (z * (0.2 - 0.4) + lambda * 0.25), 6);
    expect(q[0]).toBeCloseTo(0.1 + eta * (z * 0.5 - lambda * 0.1), 6);
    expect(q[1]).toBeCloseTo(0.2 + eta * (z * -0.25 - lambda * 0.2), 6);
    expect(q[2]).toBeCloseTo(-0.3 + eta * (-z * 0.5 + lambda * 0.3), 6);
    expect(q[3]).toBeCloseTo(0.4 + eta * (z * 0.25 - lambda * 0.4), 6);
  });

  it('the fused kernel and the generic loop (SGD, batch 1, weight decay transform) give the same factors', async () => {
    const { train } = createSyntheticInteractions({ numUsers: 40, numItems: 30, interactionsPerUser: 6, seed: 3 });
    const hyperParameters = { factors: 6, epochs: 3, learningRate: 0.05, regularization: 0.01, seed: 9 };
    const fused = new MatrixFactorizationBpr(hyperParameters);
    expect(fused.usesFusedKernel).toBe(true);
    // An identity transform forces the generic path without changing the update.
    const generic = new MatrixFactorizationBpr(hyperParameters, {
      transforms: [{ name: 'identity', apply: () => {} }],
    });
    expect(generic.usesFusedKernel).toBe(false);
    const fusedReport = await fused.fit(train);
    const genericReport = await generic.fit(train);
    expect(genericReport.finalLoss).toBeCloseTo(fusedReport.finalLoss, 4);
    let maxDifference = 0;
    for (let p = 0; p < fused.itemFactors.length; p++)
      maxDifference = Math.max(maxDifference, Math.abs(fused.itemFactors[p] - generic.itemFactors[p]));
    for (let p = 0; p < fused.userFactors.length; p++)
      maxDifference = Math.max(maxDifference, Math.abs(fused.userFactors[p] - generic.userFactors[p]));
    expect(maxDifference).toBeLessThan(1e-4);
    expect(maxDifference).toBeGreaterThanOrEqual(0);
  });

  it('training lowers the BPR loss and uses the learning-rate schedule', async () => {
    const { train } = createSyntheticInteractions({ numUsers: 60, numItems: 40, interactionsPerUser: 8, seed: 4 });
    const model = new MatrixFactorizationBpr({
      factors: 8,
      epochs: 6,
      schedule: 'exponential',
      learningRateDecay: 0.5,
      learningRate: 0.08,
    });
    const report = await model.fit(train);
    expect(report.history.map((record) => record.learningRate)).toEqual([0.08, 0.04, 0.02, 0.01, 0.005, 0.0025]);
    expect(report.history[5].loss).toBeLessThan(report.history[0].loss);
    expect(report.samples).toBe(6 * train.nnz);
    expect(report.samplesPerSecond).toBeGreaterThan(0);
  });

  it('accepts an optimizer instance and rejects users with no possible negative', async () => {
    const { train } = createSyntheticInteractions({ numUsers: 30, numItems: 20, interactionsPerUser: 5, seed: 5 });
    const model = new MatrixFactorizationBpr(
      { factors: 4, epochs: 2, batchSize: 16 },
      { optimizer: new AdamOptimizer(0.9, 0.99) },
    );
    await model.fit(train);
    expect(model.isFitted).toBe(true);
    const full = CsrMatrix.fromCoo(
      { rows: Int32Array.of(0, 0), columns: Int32Array.of(0, 1) },
      { numRows: 1, numColumns: 2, duplicates: 'error' },
    );
    await expect(new MatrixFactorizationBpr({ factors: 2, epochs: 1 }).fit(full)).rejects.toSatisfy((error) =>
      TrustRecError.isInstance(error, 'E_ARGUMENT'),
    );
  });
});
