import { fgsmPerturbation } from '@trustrec/attacks';
import { TrustRecError, createRng } from '@trustrec/core-linalg';
import { type FactorModel, ModelRegistry, SparseGradientBatch, defaultModelRegistry } from '@trustrec/models';
import { beforeAll, describe, expect, it } from 'vitest';
import { syntheticSplit } from '../__fixtures__/synthetic.js';
import { type DistillationBatch, DistillationSampler } from './distillation-sampler.js';
import {
  DISTILLED_MF_DEFAULTS,
  DistilledMatrixFactorization,
  distilledMfModelEntry,
} from './distilled-matrix-factorization.js';
import { pearsonCorrelation, scoreAgreement, spearmanCorrelation } from './score-agreement.js';
import { trainAdversarialDistilledMf, trainDistilledMf } from './train-distilled-mf.js';

let teacher: FactorModel;
let train: ReturnType<typeof syntheticSplit>['train'];

beforeAll(async () => {
  ({ train } = syntheticSplit(1));
  teacher = defaultModelRegistry().create('bpr', {
    factors: 16,
    epochs: 40,
    itemBias: false,
    regularization: 0.005,
    seed: 1,
  }) as FactorModel;
  await teacher.fit(train);
});

describe('pearsonCorrelation / spearmanCorrelation', () => {
  it('match hand-computed values', () => {
    // x = 1,2,3,4; y = 2,4,5,9: means 2.5, 5; Σdxdy = 4.5 + 0.5 + 0 + 6 = 11, Σdx² = 5, Σdy² = 26 → 11 / √130
    expect(pearsonCorrelation([1, 2, 3, 4], [2, 4, 5, 9])).toBeCloseTo(11 / Math.sqrt(130), 12);
    expect(spearmanCorrelation([1, 2, 3, 4], [1, 10, 100, 1000])).toBeCloseTo(1, 12);
    // ties share the mean rank: ranks x = 1, 2.5, 2.5, 4; y = 4, 3, 2, 1
    expect(spearmanCorrelation([1, 2, 2, 3], [4, 3, 2, 1])).toBeCloseTo(
      pearsonCorrelation([1, 2.5, 2.5, 4], [4, 3, 2, 1]),
      12,
    );
    expect(pearsonCorrelation([1, 1, 1], [1, 2, 3])).toBeNaN();
  });
});

describe('DistilledMatrixFactorization.computeGradients', () => {
  it('is the gradient of ½(ŷ − y)² (finite differences)', () => {
    const h = { ...DISTILLED_MF_DEFAULTS, factors: 3, samplesPerEpoch: 4, itemBias: true };
    const student = new DistilledMatrixFactorization(h);
    const rng = createRng(2);
    const p = Float32Array.from({ length: 2 * 3 }, () => rng.normal(0, 0.8));
    const q = Float32Array.from({ length: 3 * 3 }, () => rng.normal(0, 0.8));
    const b = Float32Array.from([0.3, -0.2, 0.1]);
    Object.assign(student, { numUsers: 2, numItems: 3, users: p, items: q, biases: b, fitted: true });
    const batch: DistillationBatch = {
      size: 3,
      negativesPerPositive: 1,
      users: Int32Array.from([0, 1, 1]),
      positives: Int32Array.from([2, 0, 2]),
      negatives: new Int32Array(3),
      targets: Float32Array.from([1.5, -0.5, 0.25]),
    };
    const loss = (): number => {
      let sum = 0;
      for (let t = 0; t < 3; t++) {
        let y = b[batch.positives[t]];
        for (let c = 0; c < 3; c++) y += p[batch.users[t] * 3 + c] * q[batch.positives[t] * 3 + c];
        sum += 0.5 * (y - batch.targets[t]) ** 2;
      }
      return sum;
    };
    const tables = [
      { name: 'userFactors', data: p, numRows: 2, rowLength: 3 },
      { name: 'itemFactors', data: q, numRows: 3, rowLength: 3 },
      { name: 'itemBias', data: b, numRows: 3, rowLength: 1 },
    ];
    const out = new SparseGradientBatch(tables);
    expect(student.computeGradients(batch, out)).toBeCloseTo(loss(), 5);
    const analytic = tables.map((table) => new Float64Array(table.data.length));
    for (let e = 0; e < out.count; e++) {
      const length = tables[out.tableOf[e]].rowLength;
      for (let c = 0; c < length; c++)
        analytic[out.tableOf[e]][out.rowOf[e] * length + c] += out.values[out.offsetOf[e] + c];
    }
    tables.forEach((table, t) => {
      for (let index = 0; index < table.data.length; index++) {
        const original = table.data[index];
        table.data[index] = original + 1e-2;
        const up = loss();
        const stepUp = table.data[index] - original;
        table.data[index] = original - 1e-2;
        const down = loss();
        const stepDown = original - table.data[index];
        table.data[index] = original;
        expect(analytic[t][index]).toBeCloseTo((up - down) / (stepUp + stepDown), 3);
      }
    });
  });
});

describe('trainDistilledMf (seed 001 §4)', () => {
  it('produces a student whose scores correlate with the teacher’s', async () => {
    const { model, report } = await trainDistilledMf(teacher, train, { epochs: 10, seed: 3 });
    expect(report.agreement?.pearson).toBeGreaterThan(0.99);
    expect(report.agreement?.spearman).toBeGreaterThan(0.99);
    // independently: whole score rows of 20 users (every item, not the training pairs)
    const users = Int32Array.from({ length: 20 }, (_, t) => t * 15);
    const studentScores = model.scoreUsers(users);
    const teacherScores = teacher.scoreUsers(users);
    // measured 0.97 (pairs are half training positives, half uniform; these rows are all items)
    expect(pearsonCorrelation(studentScores, teacherScores)).toBeGreaterThan(0.95);
    expect(spearmanCorrelation(studentScores, teacherScores)).toBeGreaterThan(0.95);
    expect(report.fit.epochs).toBe(10);
    expect(report.fit.samples).toBe(10 * 4 * train.nnz);
    expect(report.description).toMatchObject({
      name: 'distillation',
      seed: '001',
      parameters: { teacher: 'bpr', temperature: 1 },
    });
    expect(model.describe().displayName).toBe('Distilled MF');
  });

  it('a temperature T scales the regression targets by 1/T', async () => {
    const { model } = await trainDistilledMf(teacher, train, {
      epochs: 10,
      seed: 3,
      temperature: 4,
      itemBias: false,
      agreementPairs: 0,
    });
    const users = Int32Array.from([5, 50, 150]);
    const studentScores = model.scoreUsers(users);
    const teacherScores = teacher.scoreUsers(users);
    // least-squares slope of student on teacher ≈ 1/4
    let numerator = 0;
    let denominator = 0;
    for (let t = 0; t < studentScores.length; t++) {
      numerator += studentScores[t] * teacherScores[t];
      denominator += teacherScores[t] * teacherScores[t];
    }
    expect(numerator / denominator).toBeGreaterThan(0.2);
    expect(numerator / denominator).toBeLessThan(0.3);
  });

  it('saves and loads bit-for-bit through a registry holding distilledMfModelEntry, and FGSM can attack it', async () => {
    const { model } = await trainDistilledMf(teacher, train, { epochs: 2, seed: 5, agreementPairs: 0 });
    const registry = new ModelRegistry().register(distilledMfModelEntry);
    const loaded = registry.load(model.save()) as DistilledMatrixFactorization;
    expect(Array.from(loaded.scoreUser(7))).toEqual(Array.from(model.scoreUser(7)));
    const attacked = fgsmPerturbation(model, train, { epsilon: 0.5, target: 'both', seed: 1 });
    expect(attacked.model.name).toBe('distilled-mf');
    expect(attacked.loss.perturbed).toBeGreaterThan(attacked.loss.clean);
  });

  it('rejects bad options (E_CONFIG), an unfitted teacher (E_NOT_FITTED) and a student without teacher', async () => {
    for (const options of [
      { epochs: -1 },
      { temperature: 0 },
      { positiveFraction: 1.5 },
      { optimizer: 'lbfgs' },
      { samplesPerEpoch: 0 },
      { seed: 1.5 },
    ]) {
      const error = await trainDistilledMf(teacher, train, { seed: 1, ...options } as never).catch(
        (caught: unknown) => caught,
      );
      expect(TrustRecError.isInstance(error, 'E_CONFIG'), JSON.stringify(options)).toBe(true);
    }
    const unfitted = defaultModelRegistry().create('bpr', {});
    await expect(trainDistilledMf(unfitted, train, { seed: 1 })).rejects.toMatchObject({ code: 'E_NOT_FITTED' });
    await expect(
      new DistilledMatrixFactorization({ ...DISTILLED_MF_DEFAULTS, samplesPerEpoch: 10 }).fit(train),
    ).rejects.toMatchObject({ code: 'E_CONFIG' });
  });
});

describe('DistilledMatrixFactorization.fit', () => {
  it('with an already-aborted signal is E_ABORTED and leaves a fitted student as it was', async () => {
    const { model } = await trainDistilledMf(teacher, train, { epochs: 1, seed: 6, agreementPairs: 0 });
    const before = model.save();
    const controller = new AbortController();
    controller.abort();
    await expect(model.fit(train, { signal: controller.signal })).rejects.toMatchObject({ code: 'E_ABORTED' });
    expect(Array.from(model.save())).toEqual(Array.from(before));
  });
});

describe('DistillationSampler', () => {
  it('draws positives at the requested rate and sets targets to teacher score / T', () => {
    const sampler = new DistillationSampler(teacher, train, {
      samplesPerEpoch: 4000,
      positiveFraction: 0.5,
      temperature: 2,
    });
    let positives = 0;
    let pairs = 0;
    for (const batch of sampler.epoch(createRng(1), 1000)) {
      const expected = teacher.scorePairs(batch.users.subarray(0, batch.size), batch.positives.subarray(0, batch.size));
      for (let t = 0; t < batch.size; t++) {
        expect(batch.targets[t]).toBeCloseTo(expected[t] / 2, 5);
        if (train.has(batch.users[t], batch.positives[t])) positives++;
        pairs++;
      }
    }
    expect(pairs).toBe(4000);
    // 50 % drawn from positives plus the ~10 % of uniform pairs that happen to be positives
    expect(positives / pairs).toBeGreaterThan(0.5);
    expect(positives / pairs).toBeLessThan(0.6);
  });

  it('refuses bad option names and values with E_CONFIG naming the option, before drawing anything', () => {
    const good = { samplesPerEpoch: 10, positiveFraction: 0.5, temperature: 1 };
    for (const [options, option, value] of [
      [{ ...good, samplesPerEpoch: 0 }, 'samplesPerEpoch', 0],
      [{ ...good, samplesPerEpoch: 2.5 }, 'samplesPerEpoch', 2.5],
      [{ ...good, positiveFraction: 1.5 }, 'positiveFraction', 1.5],
      [{ ...good, positiveFraction: -0.1 }, 'positiveFraction', -0.1],
      [{ ...good, temperature: 0 }, 'temperature', 0],
      [{ ...good, temperature: Number.NaN }, 'temperature', Number.NaN],
      [{ ...good, temprature: 2 }, 'temprature', 2],
    ] as const) {
      expect(() => new DistillationSampler(teacher, train, options as never), option).toThrow(
        expect.objectContaining({ code: 'E_CONFIG', details: { option, value } }),
      );
    }
    expect(() => new DistillationSampler(teacher, train, good)).not.toThrow();
  });
});

describe('scoreAgreement', () => {
  it('is 1 for a teacher against itself, and refuses bad pairs, fractions and seeds', () => {
    const self = scoreAgreement(teacher, teacher, train, { pairs: 500, positiveFraction: 0.5, seed: 2 });
    expect(self.pairs).toBe(500);
    expect(self.pearson).toBeCloseTo(1, 6);
    expect(self.spearman).toBeCloseTo(1, 6);
    for (const [options, code] of [
      [{ pairs: 0, positiveFraction: 0.5, seed: 2 }, 'E_CONFIG'],
      [{ pairs: 10, positiveFraction: 2, seed: 2 }, 'E_CONFIG'],
      [{ pairs: 10, positiveFraction: 0.5, seed: -1 }, 'E_CONFIG'],
    ] as const) {
      expect(() => scoreAgreement(teacher, teacher, train, options), JSON.stringify(options)).toThrow(
        expect.objectContaining({ code }),
      );
    }
  });

  it('refuses a student of another shape (E_SHAPE)', async () => {
    const student = defaultModelRegistry().create('pop', {});
    await student.fit(syntheticSplit(9, 50, 40).train);
    expect(() => scoreAgreement(student, teacher, train, { pairs: 10, positiveFraction: 0.5, seed: 2 })).toThrow(
      expect.objectContaining({
        code: 'E_SHAPE',
        message: `scoreAgreement: the student has 50×40 users × items but train is ${train.numRows}×${train.numColumns}`,
      }),
    );
  });
});

describe('trainAdversarialDistilledMf', () => {
  it('distils, then trains with the APR term, staying close to the teacher', async () => {
    const { model, report } = await trainAdversarialDistilledMf(teacher, train, {
      epochs: 5,
      adversarialEpochs: 3,
      seed: 3,
    });
    expect(report.fit.epochs).toBe(5);
    expect(report.adversarial?.epochs).toBe(3);
    expect(report.agreement?.pearson).toBeGreaterThan(0.95);
    expect(report.description).toMatchObject({
      name: 'adversarial-distillation',
      parameters: { epsilon: 0.5, lambda: 1, adversarialEpochs: 3 },
    });
    expect(model.describe().displayName).toBe('Adversarially distilled MF');
    // restore: a plain student takes back the adversarial one's state, the APR mark included, in place.
    const { model: plain } = await trainDistilledMf(teacher, train, { epochs: 2, seed: 5, agreementPairs: 0 });
    const live = plain.userFactors;
    plain.restore(model.save());
    expect(Array.from(plain.scoreUser(7))).toEqual(Array.from(model.scoreUser(7)));
    expect(plain.describe().displayName).toBe('Adversarially distilled MF');
    expect(plain.userFactors).toBe(live);
    await expect(trainAdversarialDistilledMf(teacher, train, { seed: 1, lambda: -1 })).rejects.toMatchObject({
      code: 'E_CONFIG',
    });
  });
});

describe('option names', () => {
  const distilledNames =
    'factors, epochs, temperature, samplesPerEpoch, positiveFraction, learningRate, reg, batchSize, optimizer, initStd, itemBias, seed, agreementPairs, onEpoch, signal';

  it('trainDistilledMf rejects a misspelt name, and the adversarial-only ones, with E_CONFIG before training', async () => {
    const epochs: number[] = [];
    const onEpoch = (event: { epoch: number }) => void epochs.push(event.epoch);
    for (const [name, value] of [
      ['temprature', 2],
      ['epsilon', 0.5],
      ['adversarialEpochs', 3],
    ] as const) {
      const error = await trainDistilledMf(teacher, train, { seed: 1, epochs: 1, onEpoch, [name]: value }).catch(
        (caught: unknown) => caught,
      );
      expect(TrustRecError.isInstance(error, 'E_CONFIG'), name).toBe(true);
      expect((error as TrustRecError).message).toBe(
        `trainDistilledMf: option '${name}' must be one of the known options (${distilledNames}), got ${value}`,
      );
    }
    expect(epochs).toEqual([]);
  });

  it('trainAdversarialDistilledMf rejects a misspelt name with E_CONFIG and accepts its own epsilon, lambda and adversarialEpochs', async () => {
    const epochs: number[] = [];
    const onEpoch = (event: { epoch: number }) => void epochs.push(event.epoch);
    const error = await trainAdversarialDistilledMf(teacher, train, {
      seed: 1,
      epochs: 1,
      onEpoch,
      epsilonn: 0.2,
    } as never).catch((caught: unknown) => caught);
    expect(TrustRecError.isInstance(error, 'E_CONFIG')).toBe(true);
    expect((error as TrustRecError).message).toBe(
      `trainAdversarialDistilledMf: option 'epsilonn' must be one of the known options (${distilledNames}, epsilon, lambda, adversarialEpochs), got 0.2`,
    );
    expect(epochs).toEqual([]);
    const { report } = await trainAdversarialDistilledMf(teacher, train, {
      seed: 1,
      epochs: 1,
      epsilon: 0.2,
      lambda: 0.5,
      adversarialEpochs: 1,
      agreementPairs: 0,
      signal: undefined,
    });
    expect(report.description.parameters).toMatchObject({ epsilon: 0.2, lambda: 0.5, adversarialEpochs: 1 });
  });

  it('the student MF (constructor and registry entry) rejects a misspelt hyper-parameter name with E_CONFIG', () => {
    const known =
      'factors, epochs, temperature, samplesPerEpoch, positiveFraction, learningRate, reg, batchSize, optimizer, initStd, itemBias, seed';
    expect(
      () => new DistilledMatrixFactorization({ ...DISTILLED_MF_DEFAULTS, samplesPerEpoch: 10, temprature: 2 } as never),
    ).toThrow(
      expect.objectContaining({
        code: 'E_CONFIG',
        message: `distilled-mf: option 'temprature' must be one of the known options (${known}), got 2`,
      }),
    );
    const registry = new ModelRegistry().register(distilledMfModelEntry);
    expect(() => registry.create('distilled-mf', { factor: 8 })).toThrow(
      expect.objectContaining({ code: 'E_CONFIG', message: expect.stringContaining("option 'factor'") }),
    );
    expect(registry.create('distilled-mf', { factors: 8 }).describe().hyperParameters.factors).toBe(8);
  });

  it('trainAdversarialDistilledMf rejects a bad adversarialEpochs before the distillation epochs run', async () => {
    const epochs: number[] = [];
    await expect(
      trainAdversarialDistilledMf(teacher, train, {
        seed: 1,
        epochs: 1,
        adversarialEpochs: -1,
        onEpoch: (event) => void epochs.push(event.epoch),
      }),
    ).rejects.toMatchObject({
      code: 'E_CONFIG',
      message: "trainAdversarialDistilledMf: option 'adversarialEpochs' must be an integer ≥ 0, got -1",
    });
    expect(epochs).toEqual([]);
  });
});
