import { CsrMatrix, type ErrorCode, TrustRecError, createRng } from '@trustrec/core-linalg';
import { describe, expect, it } from 'vitest';
import { recommenderConformanceSuite } from '../testing/recommender-conformance-suite.js';
import { createSyntheticInteractions } from '../testing/synthetic-interactions.js';
import { AdamOptimizer } from '../training/optimizer.js';
import { InteractionLookup } from '../training/interaction-lookup.js';
import { bprSgdEpoch, bprSgdPairs, bprSgdPairsScalar, shuffledBprPairs } from './bpr-sgd-kernel.js';
import { bprSimdModuleBytes, createBprSimdKernel } from './bpr-sgd-simd.js';
import { wasmApi } from '../wasm/wasm-module-builder.js';
import { UniformNegativeSampler } from '../training/batch-sampler.js';
import { SparseGradientBatch } from '../training/sparse-gradient-batch.js';
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
    { workers: 0 },
    { workers: 1.5 },
    { negativeCandidates: 0 },
    { negativeCandidates: 2.5 },
  ],
  otherSeed: { seed: 43 },
});

recommenderConformanceSuite({
  name: 'MF-BPR (fused SGD, dynamic negative sampling over 4 candidates)',
  create: (hyperParameters) => new MatrixFactorizationBpr(hyperParameters),
  hyperParameters: { factors: 8, epochs: 20, learningRate: 0.05, regularization: 0.02, negativeCandidates: 4 },
  invalidHyperParameters: [{ negativeCandidates: 1025 }],
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
    const p = Float32Array.of(0.5, -0.25);
    const q = Float32Array.of(0.1, 0.2, -0.3, 0.4);
    const eta = 0.1;
    const lambda = 0.01;
    const x = 0.5 * (0.1 + 0.3) + -0.25 * (0.2 - 0.4); // 0.25
    const z = 1 / (1 + Math.exp(x));
    const loss = stepOnItemZero(p, q, 1, 1);
    expect(loss).toBeCloseTo(Math.log(1 + Math.exp(-x)), 6);
    expect(p[0]).toBeCloseTo(0.5 + eta * (z * (0.1 + 0.3) - lambda * 0.5), 6);
    expect(p[1]).toBeCloseTo(-0.25 + eta * (z * (0.2 - 0.4) + lambda * 0.25), 6);
    expect(q[0]).toBeCloseTo(0.1 + eta * (z * 0.5 - lambda * 0.1), 6);
    expect(q[1]).toBeCloseTo(0.2 + eta * (z * -0.25 - lambda * 0.2), 6);
    expect(q[2]).toBeCloseTo(-0.3 + eta * (-z * 0.5 + lambda * 0.3), 6);
    expect(q[3]).toBeCloseTo(0.4 + eta * (z * 0.25 - lambda * 0.4), 6);
  });

  it('dynamic negative sampling steps on the highest-scoring of the drawn candidates (Zhang et al. 2013)', () => {
    // 1 user, 5 items; the user has item 0. Scores ŷ_uj = ⟨p, q_j⟩ of the negatives 1…4: 0.1, 0.4, −0.2, 0.3.
    const q0 = Float32Array.of(0.5, 0, 0.1, 0, 0.4, 0.3, -0.2, 0, 0.3, 0.9);
    const step = (negativeCandidates: number, seed: number) => {
      const p = Float32Array.of(1, 0);
      const q = q0.slice();
      const loss = stepOnItemZero(p, q, negativeCandidates, seed);
      const changed = [1, 2, 3, 4].filter((j) => q[2 * j] !== q0[2 * j] || q[2 * j + 1] !== q0[2 * j + 1]);
      return { p, q, loss, changed };
    };
    // 64 draws over 4 negatives: every negative is drawn, and the step must use item 2 (score 0.4).
    const hard = step(64, 1);
    expect(hard.changed).toEqual([2]);
    const x = 0.5 - 0.4;
    const z = 1 / (1 + Math.exp(x));
    const keep = 1 - 0.1 * 0.01;
    expect(hard.loss).toBeCloseTo(Math.log1p(Math.exp(-x)), 6);
    expect(hard.p[0]).toBeCloseTo(keep + 0.1 * z * (0.5 - 0.4), 6);
    expect(hard.p[1]).toBeCloseTo(0.1 * z * (0 - 0.3), 6);
    expect(hard.q[4]).toBeCloseTo(0.4 * keep - 0.1 * z, 6);
    expect(hard.q[5]).toBeCloseTo(0.3 * keep, 6);
    // One candidate is LearnBPR's uniform draw: over seeds, every negative gets picked.
    const picked = new Set<number>();
    for (let seed = 0; seed < 40; seed++) picked.add(step(1, seed).changed[0]);
    expect([...picked].sort()).toEqual([1, 2, 3, 4]);
  });

  it('the fused kernel and the generic loop (SGD, batch 1, weight decay transform) give the same factors', async () => {
    const { train } = createSyntheticInteractions({ numUsers: 40, numItems: 30, interactionsPerUser: 6, seed: 3 });
    for (const negativeCandidates of [1, 3]) await expectFusedEqualsGeneric(train, negativeCandidates);
  });

  it('computeGradients with negativeCandidates > 1 makes one example per positive, on its highest-scoring negative', async () => {
    const { train } = createSyntheticInteractions({ numUsers: 20, numItems: 15, interactionsPerUser: 4, seed: 8 });
    const dns = new MatrixFactorizationBpr({ factors: 4, epochs: 1, negativeCandidates: 3, optimizer: 'adam' });
    await dns.fit(train);
    const uniform = new MatrixFactorizationBpr({ factors: 4, epochs: 1, optimizer: 'adam' });
    await uniform.fit(train);
    const [examples] = new UniformNegativeSampler(train, { negativesPerPositive: 2 }).epoch(createRng(1), 4);
    const touchedItems = (model: MatrixFactorizationBpr) => {
      const out = new SparseGradientBatch(model.parameterTables(), 64);
      model.computeGradients(examples, out);
      const items: number[] = [];
      for (let e = 0; e < out.count; e++) if (out.tableOf[e] === 1) items.push(out.rowOf[e]);
      return { examples: out.numExamples, items };
    };
    // Uniform: one example per negative (4 positives × 2); DNS: one per positive, on the higher-scoring negative.
    expect(touchedItems(uniform).examples).toBe(8);
    const chosen = touchedItems(dns);
    expect(chosen.examples).toBe(4);
    const score = (u: number, j: number) => {
      let sum = dns.itemBias?.[j] ?? 0;
      for (let c = 0; c < 4; c++) sum += dns.userFactors[u * 4 + c] * dns.itemFactors[j * 4 + c];
      return sum;
    };
    for (let t = 0; t < 4; t++) {
      const [a, b] = [examples.negatives[2 * t], examples.negatives[2 * t + 1]];
      const u = examples.users[t];
      expect(chosen.items[2 * t]).toBe(examples.positives[t]);
      expect(chosen.items[2 * t + 1]).toBe(score(u, b) > score(u, a) ? b : a);
    }
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

  it('the inline-RNG pair shuffle visits exactly the entries UniformNegativeSampler.epochOrder draws', () => {
    const { train } = createSyntheticInteractions({ numUsers: 50, numItems: 40, interactionsPerUser: 7, seed: 6 });
    for (const order of ['shuffle', 'with-replacement'] as const) {
      const sampler = new UniformNegativeSampler(train, { order });
      const reference = createRng(77);
      const expected = sampler.epochOrder(reference).slice();
      const rng = createRng(77);
      const words = Int32Array.from(rng.getState().words);
      const pairs = new Int32Array(2 * train.nnz);
      shuffledBprPairs(sampler.userOfEntry, train.indices, order, words, pairs);
      for (let t = 0; t < train.nnz; t++) {
        expect(pairs[2 * t]).toBe(sampler.userOfEntry[expected[t]]);
        expect(pairs[2 * t + 1]).toBe(train.indices[expected[t]]);
      }
      // The stream continues where Rng.nextInt left it.
      expect(Array.from(words, (word) => word >>> 0)).toEqual([...reference.getState().words]);
    }
  });

  it('the WebAssembly SIMD kernel is bit-identical to the scalar kernel (f64x2 lanes, one rounding per store)', () => {
    expect(wasmApi()?.validate(bprSimdModuleBytes())).toBe(true);
    expect(createBprSimdKernel()).not.toBeNull();
    const { train } = createSyntheticInteractions({ numUsers: 60, numItems: 45, interactionsPerUser: 9, seed: 12 });
    const k = 12;
    const init = createRng(3);
    const p = Float32Array.from({ length: 60 * k }, () => init.normal(0, 0.3));
    const q = Float32Array.from({ length: 45 * k }, () => init.normal(0, 0.3));
    const bias = Float32Array.from({ length: 45 }, () => init.normal(0, 0.1));
    const sampler = new UniformNegativeSampler(train);
    const lookup = new InteractionLookup(train);
    const pairs = new Int32Array(2 * train.nnz);
    shuffledBprPairs(sampler.userOfEntry, train.indices, 'shuffle', Int32Array.of(1, 2, 3, 4), pairs);
    const run = (scalar: boolean, candidates: number) => {
      const state = { p: p.slice(), q: q.slice(), bias: bias.slice(), words: Int32Array.of(5, 6, 7, 8) };
      const kernel = scalar ? bprSgdPairsScalar : bprSgdPairs;
      let loss = 0;
      for (let epoch = 0; epoch < 3; epoch++)
        loss = kernel(
          pairs,
          0,
          train.nnz,
          state.p,
          state.q,
          state.bias,
          k,
          0.2,
          0.01,
          candidates,
          45,
          lookup.bits,
          lookup,
          state.words,
        );
      return { ...state, loss };
    };
    // Uniform negatives (LearnBPR) and dynamic negative sampling over 4 candidates.
    for (const candidates of [1, 4]) {
      const simd = run(false, candidates);
      const scalar = run(true, candidates);
      expect(simd.loss).toBe(scalar.loss);
      expect(Array.from(simd.words)).toEqual(Array.from(scalar.words));
      expect(Array.from(simd.p)).toEqual(Array.from(scalar.p));
      expect(Array.from(simd.q)).toEqual(Array.from(scalar.q));
      expect(Array.from(simd.bias)).toEqual(Array.from(scalar.bias));
      // Training moved the factors (the comparison above is not between two untouched copies).
      expect(simd.p[0]).not.toBe(p[0]);
    }
    // DNS draws 4 candidates per positive, so it leaves the stream elsewhere than uniform sampling.
    expect(Array.from(run(true, 4).words)).not.toEqual(Array.from(run(true, 1).words));
  });

  it('Hogwild workers (shared memory, worker threads) train as well as one thread; bad combinations are E_CONFIG', async () => {
    const { train } = createSyntheticInteractions({ numUsers: 80, numItems: 50, interactionsPerUser: 8, seed: 21 });
    const hyperParameters = { factors: 8, epochs: 8, learningRate: 0.05, regularization: 0.01, seed: 5 };
    const single = new MatrixFactorizationBpr(hyperParameters);
    const parallel = new MatrixFactorizationBpr({ ...hyperParameters, workers: 2 });
    const singleReport = await single.fit(train);
    const parallelReport = await parallel.fit(train);
    expect(parallelReport.samples).toBe(8 * train.nnz);
    // Same pairs per epoch, other negative streams and racing updates: the loss curve agrees only statistically.
    expect(parallelReport.history[7].loss).toBeLessThan(parallelReport.history[0].loss * 0.9);
    expect(Math.abs(parallelReport.finalLoss - singleReport.finalLoss)).toBeLessThan(0.05);
    let moved = 0;
    for (let p = 0; p < parallel.userFactors.length; p++)
      moved += Math.abs(parallel.userFactors[p] - single.userFactors[p]);
    expect(moved).toBeGreaterThan(0);
    // The workers run dynamic negative sampling too: same loss level as one DNS thread, above uniform's.
    const dns = { ...hyperParameters, negativeCandidates: 4 };
    const singleDns = await new MatrixFactorizationBpr(dns).fit(train);
    const parallelDns = await new MatrixFactorizationBpr({ ...dns, workers: 2 }).fit(train);
    expect(Math.abs(parallelDns.finalLoss - singleDns.finalLoss)).toBeLessThan(0.05);
    expect(singleDns.finalLoss).toBeGreaterThan(singleReport.finalLoss + 0.05);
    const isConfig = (error: unknown) => TrustRecError.isInstance(error, 'E_CONFIG');
    await expect(new MatrixFactorizationBpr({ factors: 6, epochs: 1, workers: 2 }).fit(train)).rejects.toSatisfy(
      isConfig,
    );
    await expect(
      new MatrixFactorizationBpr({ factors: 8, epochs: 1, workers: 2, optimizer: 'adam', batchSize: 8 }).fit(train),
    ).rejects.toSatisfy(isConfig);
  });

  it('Hogwild: an abort while the workers start, or an E_CONFIG from starting them, leaves the model as it was', async () => {
    const first = createSyntheticInteractions({ numUsers: 12, numItems: 10, interactionsPerUser: 3, seed: 1 });
    // Another shape, so that a fit that re-initialised the model before the abort shows in the counts.
    const other = createSyntheticInteractions({ numUsers: 9, numItems: 7, interactionsPerUser: 3, seed: 2 });
    const hyperParameters = { factors: 4, epochs: 2, learningRate: 0.05, workers: 2, seed: 3 };
    const outcome = async (promise: Promise<unknown>) =>
      promise.then(
        () => undefined,
        (error: unknown) => error,
      );
    // fit awaits the worker threads' start: aborting right after the call fires the signal while they start.
    const abortedWhileStarting = (model: MatrixFactorizationBpr) => {
      const controller = new AbortController();
      const fit = model.fit(other.train, { signal: controller.signal });
      controller.abort();
      return outcome(fit);
    };
    const unfitted = new MatrixFactorizationBpr(hyperParameters);
    const error = await abortedWhileStarting(unfitted);
    expect(TrustRecError.isInstance(error, 'E_ABORTED')).toBe(true);
    // It used to come from the first abort check of the epoch loop, after the model had been initialised.
    expect(unfitted.isFitted).toBe(false);
    expect((error as TrustRecError).message).toMatch(
      /^bpr\.fit: aborted by the caller's AbortSignal while its 2 Hogwild worker threads started, before the first epoch; .*the model is as it was/,
    );
    const model = new MatrixFactorizationBpr(hyperParameters);
    await model.fit(first.train);
    const bytes = Array.from(model.save());
    expect(TrustRecError.isInstance(await abortedWhileStarting(model), 'E_ABORTED')).toBe(true);
    expect([model.numUsers, model.numItems]).toEqual([12, 10]);
    expect(Array.from(model.save())).toEqual(bytes);
    // An E_CONFIG from BprHogwild.start (factors not a multiple of 4) used to come after the initialisation too.
    const sixFactors = new MatrixFactorizationBpr({ ...hyperParameters, factors: 6 });
    expect(TrustRecError.isInstance(await outcome(sixFactors.fit(other.train)), 'E_CONFIG')).toBe(true);
    expect(sixFactors.isFitted).toBe(false);
    // An abort between epochs keeps the parameters of the last completed epoch, as with one thread.
    const controller = new AbortController();
    let afterFirst: number[] = [];
    const stopped = new MatrixFactorizationBpr(hyperParameters);
    const aborted = await outcome(
      stopped.fit(other.train, {
        signal: controller.signal,
        onEpoch: (event) => {
          if (event.epoch === 1) {
            afterFirst = Array.from(stopped.save());
            controller.abort();
          }
        },
      }),
    );
    expect(TrustRecError.isInstance(aborted, 'E_ABORTED')).toBe(true);
    expect((aborted as TrustRecError).details).toEqual({ model: 'bpr', epoch: 1 });
    expect(Array.from(stopped.save())).toEqual(afterFirst);
  });
});

/** Fits the fused kernel and the generic loop (an identity transform forces it) and compares the factors. */
async function expectFusedEqualsGeneric(train: CsrMatrix, negativeCandidates: number): Promise<void> {
  const hyperParameters = {
    factors: 6,
    epochs: 3,
    learningRate: 0.05,
    regularization: 0.01,
    seed: 9,
    negativeCandidates,
  };
  const fused = new MatrixFactorizationBpr(hyperParameters);
  expect(fused.usesFusedKernel).toBe(true);
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
}

/**
 * One fused LearnBPR step (η 0.1, λ 0.01, 2 factors, no bias) for a single user whose only positive is item 0, over
 * q.length / 2 items; returns the step's loss.
 */
function stepOnItemZero(p: Float32Array, q: Float32Array, negativeCandidates: number, seed: number): number {
  const train = CsrMatrix.fromCoo(
    { rows: Int32Array.of(0), columns: Int32Array.of(0) },
    { numRows: 1, numColumns: q.length / 2, duplicates: 'error' },
  );
  return bprSgdEpoch({
    train,
    userOfEntry: Int32Array.of(0),
    order: Int32Array.of(0),
    userFactors: p,
    itemFactors: q,
    itemBias: undefined,
    factors: 2,
    learningRate: 0.1,
    regularization: 0.01,
    negativeCandidates,
    rng: createRng(seed),
    lookup: new InteractionLookup(train),
  });
}

describe('bprSgdEpoch argument checks', () => {
  const train = CsrMatrix.fromCoo(
    { rows: Int32Array.of(0, 1), columns: Int32Array.of(0, 2) },
    { numRows: 2, numColumns: 3, duplicates: 'error' },
  );
  const input = () => ({
    train,
    userOfEntry: Int32Array.of(0, 1),
    order: Int32Array.of(1, 0),
    userFactors: new Float32Array(2 * 2).fill(0.1),
    itemFactors: new Float32Array(3 * 2).fill(0.2),
    itemBias: undefined as Float32Array | undefined,
    factors: 2,
    learningRate: 0.1,
    regularization: 0.01,
    negativeCandidates: 1,
    rng: createRng(1),
    lookup: new InteractionLookup(train),
  });
  const expectError = (code: ErrorCode, change: Partial<ReturnType<typeof input>>, pattern: RegExp) =>
    expect(() => bprSgdEpoch({ ...input(), ...change })).toThrow(
      expect.objectContaining({ code, message: expect.stringMatching(pattern) }),
    );

  it('refuses mis-sized factors, an order entry outside train and a non-finite learning rate', () => {
    expectError('E_SHAPE', { userFactors: new Float32Array(2) }, /userFactors has length 2, expected 4/);
    expectError('E_SHAPE', { itemBias: new Float32Array(2) }, /itemBias has length 2, expected 3/);
    expectError('E_SHAPE', { order: Int32Array.of(0, 2) }, /order\[1\] = 2 is not an entry of train/);
    expectError('E_SHAPE', { order: Int32Array.of(-1) }, /order\[0\] = -1/);
    expectError('E_ARGUMENT', { learningRate: Number.NaN }, /learningRate must be a finite number, got NaN/);
    expectError('E_ARGUMENT', { negativeCandidates: 0 }, /negativeCandidates must be an integer ≥ 1, got 0/);
    expect(Number.isFinite(bprSgdEpoch(input()))).toBe(true);
  });

  it('refuses a user with every item (the negative draw would never end)', () => {
    const full = CsrMatrix.fromCoo(
      { rows: Int32Array.of(0, 0, 0), columns: Int32Array.of(0, 1, 2) },
      { numRows: 1, numColumns: 3, duplicates: 'error' },
    );
    expectError(
      'E_ARGUMENT',
      {
        train: full,
        userOfEntry: new Int32Array(3),
        order: Int32Array.of(0),
        userFactors: new Float32Array(2),
        lookup: new InteractionLookup(full),
      },
      /user 0 interacted with all 3 items/,
    );
  });
});
