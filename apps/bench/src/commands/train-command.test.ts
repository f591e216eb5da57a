import { describeWithData } from '@trustrec/test-utils';
import { LOGISTIC_MF_DEFAULTS } from '@trustrec/models';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseJsonOutput, runTrustrec } from './run-cli.test-helper.js';
import { TRAIN_MODELS, type TrainReport, hyperParametersFromFlags, renderTrain } from './train-command.js';

describe('trustrec train (flags)', () => {
  it('accepts mf (MF with the logistic loss) and maps --factors/--epochs/--lr/--reg/--seed onto it', () => {
    expect(TRAIN_MODELS).toContain('mf');
    expect(
      hyperParametersFromFlags('mf', {
        model: 'mf',
        dataset: 'ml-100k',
        factors: '16',
        epochs: '3',
        lr: '0.01',
        reg: '0.001',
        seed: '7',
      }),
    ).toEqual({ factors: 16, epochs: 3, learningRate: 0.01, regularization: 0.001, seed: 7 });
  });

  it('maps --param name=value onto any hyper-parameter, typed, and names what is wrong', () => {
    const flags = { model: 'bpr', dataset: 'ml-100k' };
    expect(
      hyperParametersFromFlags('bpr', { ...flags, param: ['workers=2', 'itemBias=false', 'optimizer=adagrad'] }),
    ).toEqual({ workers: 2, itemBias: false, optimizer: 'adagrad' });
    expect(hyperParametersFromFlags('mf', { ...flags, model: 'mf', param: ['negatives=4'] })).toEqual({ negatives: 4 });
    expect(
      hyperParametersFromFlags('neumf', {
        ...flags,
        model: 'neumf',
        param: ['layers=256,128,64', 'regularization=1e-5'],
      }),
    ).toEqual({ layers: [256, 128, 64], regularization: 1e-5 });
    // a list with a non-number stays a string, and the model's spec rejects it
    expect(hyperParametersFromFlags('neumf', { ...flags, model: 'neumf', param: ['layers=64,x'] })).toEqual({
      layers: '64,x',
    });
    expect(() => hyperParametersFromFlags('bpr', { ...flags, param: ['negatives=4'] })).toThrow(
      /--param negatives=4: model 'bpr' has no hyper-parameter 'negatives' \(it has: factors, epochs/,
    );
    expect(() => hyperParametersFromFlags('bpr', { ...flags, param: ['workers'] })).toThrow(
      /--param must look like name=value/,
    );
    expect(() => hyperParametersFromFlags('bpr', { ...flags, factors: '8', param: ['factors=16'] })).toThrow(
      /'factors' is already set by another flag/,
    );
  });

  it('rejects an out-of-range --param value with exit 2, naming the hyper-parameter', async () => {
    const run = await runTrustrec([
      'train',
      '--model',
      'bpr',
      '--dataset',
      'ml-100k',
      '--param',
      'workers=0',
      '--json',
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/workers/);
  });

  it('lists mf in --help, `list models` and `describe mf`', async () => {
    const help = await runTrustrec(['train', '--help']);
    expect(help.stdout).toMatch(/--model <name>\s+model: bpr, mf, als/);
    const list = await runTrustrec(['list', 'models', '--json']);
    expect(list.code, list.stderr).toBe(0);
    const models = parseJsonOutput<{ name: string; displayName: string }[]>(list);
    expect(models.find((model) => model.name === 'mf')?.displayName).toBe('MF (logistic)');
    const described = await runTrustrec(['describe', 'mf', '--json']);
    expect(described.code, described.stderr).toBe(0);
    const details = parseJsonOutput<{
      reference: { citation: string };
      hyperParameters: { name: string; default: unknown }[];
    }>(described);
    expect(details.reference.citation).toMatch(/Rendle, Krichene, Zhang, Anderson.*RecSys 2020/);
    // `describe` lists the model's own defaults (their values are pinned in the models package's tests)
    expect(Object.fromEntries(details.hyperParameters.map((entry) => [entry.name, entry.default]))).toEqual({
      ...LOGISTIC_MF_DEFAULTS,
    });
  });

  it('rejects a bad --lr for mf with exit 2', async () => {
    const run = await runTrustrec(['train', '--model', 'mf', '--dataset', 'ml-100k', '--lr', '-1', '--json']);
    expect(run.code).toBe(2);
  });
});

describe('trustrec train (table)', () => {
  const interval95 = {
    resamples: 2000,
    seed: 0,
    hr10: { lower: 0.7136, upper: 0.7361, standardError: 0.0058 },
    ndcg10: { lower: 0.4417, upper: 0.46, standardError: 0.0047 },
  };
  const report: TrainReport = {
    model: 'bpr',
    displayName: 'MF-BPR',
    dataset: 'ml-1m-ncf',
    split: 'ml-1m-ncf published leave-latest-out split (99 published negatives)',
    evaluatedOn: 'test',
    protocol: 'sampled',
    hyperParameters: { factors: 192 },
    backend: 'typed-array',
    data: { users: 6040, items: 3706, train: 994169, test: 6040, synthetic: false },
    timings: { fitSeconds: 1, epochs: 1, secondsPerEpoch: 1, samplesPerSecond: 1, evaluateSeconds: 1 },
    finalLoss: null,
    metrics: {
      hr: { 10: 0.725, 50: 0.95, 100: 1 },
      ndcg: { 10: 0.4509, 50: 0.5, 100: 0.51 },
      auc: 0.9,
      usersEvaluated: 6040,
      interval95,
    },
    reference: { source: 'NCF', protocol: 'sampled', hr10: 0.73, ndcg10: 0.447 },
    history: [],
    tracking: null,
    earlyStopping: null,
    saved: null,
    htmlReport: null,
  };

  it('prints the interval under our figures and places each published figure against it', () => {
    const text = renderTrain(report);
    expect(text).toMatch(/95 % interval \(users\)\s+0\.7136–0\.7361\s+0\.4417–0\.4600/);
    expect(text).toContain('percentile bootstrap over the 6040 evaluated users (2000 resamples)');
    expect(text).toContain('published HR@10 0.7300: inside our interval; NDCG@10 0.4470: inside our interval');
    const lower = { ...report, metrics: { ...report.metrics, hr: { ...report.metrics.hr, 10: 0.7 } } };
    const shifted = renderTrain({
      ...lower,
      metrics: {
        ...lower.metrics,
        interval95: {
          ...interval95,
          hr10: { lower: 0.69, upper: 0.71, standardError: 0.005 },
          ndcg10: { lower: 0.45, upper: 0.46, standardError: 0.0025 },
        },
      },
    });
    expect(shifted).toContain(
      'published HR@10 0.7300: above our interval (ours is lower); NDCG@10 0.4470: below our interval (ours is higher)',
    );
  });

  it('summarises --eval-every and --patience under the timings', () => {
    const epoch = (n: number, ndcg10: number, hr10: number) => ({
      epoch: n,
      loss: 0.3,
      seconds: 1,
      learningRate: 0.05,
      ndcg10,
      hr10,
    });
    const history = [epoch(1, 0.4, 0.7), epoch(2, 0.45, 0.72), epoch(3, 0.44, 0.71)];
    const stopped = renderTrain({
      ...report,
      evaluatedOn: 'validation',
      reference: null,
      history,
      tracking: { every: 1, best: { epoch: 2, hr10: 0.72, ndcg10: 0.45 } },
      earlyStopping: { patience: 1, bestEpoch: 2, stoppedAfter: 3, stoppedEarly: true },
    });
    expect(stopped).toContain(
      'NDCG@10 on the validation interactions every 1 epoch(s): best 0.4500 (HR@10 0.7200) after epoch 2; 0.4400 after the last evaluated, epoch 3',
    );
    expect(stopped).toContain(
      'early stopping (patience 1): stopped after epoch 3; the model of epoch 2 is the one evaluated below',
    );
    expect(stopped).not.toContain('tracked on the test set');
    const onTest = renderTrain({
      ...report,
      history,
      tracking: { every: 1, best: { epoch: 2, hr10: 0.72, ndcg10: 0.45 } },
    });
    expect(onTest).toContain('NDCG@10 on the test interactions every 1 epoch(s)');
    expect(onTest).toContain('(tracked on the test set: for reading only;');
    expect(renderTrain(report)).not.toMatch(/NDCG@10 on the|early stopping/);
  });

  it('prints no interval row when no user was evaluated', () => {
    const text = renderTrain({
      ...report,
      reference: null,
      metrics: { ...report.metrics, usersEvaluated: 0, interval95: null },
    });
    expect(text).not.toMatch(/interval/);
  });
});

describeWithData('trustrec train --model mf on ml-100k (real files)', ['ml-100k/u.data'], (dataDir) => {
  it('trains, evaluates (full ranking, random leave-one-out) and reports timings', async () => {
    const run = await runTrustrec([
      'train',
      '--model',
      'mf',
      '--dataset',
      'ml-100k',
      '--factors',
      '16',
      '--epochs',
      '4',
      '--lr',
      '0.02',
      '--data-dir',
      dataDir,
      '--json',
    ]);
    expect(run.code, run.stderr).toBe(0);
    const report = parseJsonOutput<TrainReport>(run);
    expect(report.model).toBe('mf');
    expect(report.displayName).toBe('MF (logistic)');
    expect(report.protocol).toBe('full');
    expect(report.hyperParameters).toMatchObject({ factors: 16, epochs: 4, learningRate: 0.02, negatives: 8 });
    expect(report.timings.epochs).toBe(4);
    // 9 examples per training positive per epoch.
    expect(report.timings.samplesPerSecond).toBeGreaterThan(0);
    expect(report.data.users).toBe(943);
    expect(report.finalLoss).not.toBeNull();
    expect(report.finalLoss as number).toBeLessThan(Math.log(2));
    // Beats a random ranking (HR@10 ≈ 10/1682) by a wide margin after four epochs.
    expect(report.metrics.hr[10]).toBeGreaterThan(0.05);
    expect(report.reference).toBeNull();
    expect(report.evaluatedOn).toBe('test');
    // HR@10 is a mean of 0/1 hits over 943 users: its bootstrap standard error is the binomial one,
    // sqrt(p(1 − p)/n), up to resampling noise, and the 95 % interval spans about ±1.96 of it.
    const interval = report.metrics.interval95;
    if (!interval) throw new Error('interval95 missing');
    const hr = report.metrics.hr[10];
    const binomial = Math.sqrt((hr * (1 - hr)) / 943);
    expect(interval.resamples).toBe(2000);
    expect(interval.hr10.standardError / binomial).toBeGreaterThan(0.9);
    expect(interval.hr10.standardError / binomial).toBeLessThan(1.1);
    expect(interval.hr10.lower).toBeLessThan(hr);
    expect(interval.hr10.upper).toBeGreaterThan(hr);
    expect((interval.hr10.upper - interval.hr10.lower) / (2 * 1.96 * binomial)).toBeCloseTo(1, 0);
    expect(interval.ndcg10.lower).toBeLessThan(report.metrics.ndcg[10]);
    expect(interval.ndcg10.upper).toBeGreaterThan(report.metrics.ndcg[10]);
    expect(interval.ndcg10.standardError).toBeLessThan(interval.hr10.standardError);
  }, 60_000);

  it('--validate <seed> trains without the held-out interactions and evaluates on them, not on the test set', async () => {
    const args = ['train', '--model', 'pop', '--dataset', 'ml-100k', '--data-dir', dataDir, '--json'];
    const onTest = parseJsonOutput<TrainReport>(await runTrustrec(args));
    const run = await runTrustrec([...args, '--validate', '7']);
    expect(run.code, run.stderr).toBe(0);
    const report = parseJsonOutput<TrainReport>(run);
    expect(report.evaluatedOn).toBe('validation');
    expect(report.split).toMatch(/validation carved from the training set .* seed 7/);
    // Every ML-100K user has ≥ 20 ratings, so each gives one training interaction to validation.
    expect(report.data.test).toBe(943);
    expect(report.data.train).toBe(onTest.data.train - 943);
    expect(report.metrics.usersEvaluated).toBe(943);
    const bad = await runTrustrec([...args, '--validate', 'x']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--validate must be an integer/);
  }, 60_000);

  it('--patience stops on validation NDCG@10 and reports the restored best epoch; --eval-every tracks without stopping', async () => {
    const args = ['train', '--model', 'bpr', '--dataset', 'ml-100k', '--lr', '0.1', '--data-dir', dataDir, '--json'];
    const folder = mkdtempSync(path.join(tmpdir(), 'trustrec-train-report-'));
    const htmlFile = path.join(folder, 'nested', 'report.html');
    const run = await runTrustrec([
      ...args,
      ...['--epochs', '40', '--validate', '7', '--patience', '2', '--report', htmlFile],
    ]);
    expect(run.code, run.stderr).toBe(0);
    const report = parseJsonOutput<TrainReport>(run);
    expect(report.htmlReport).toBe(htmlFile);
    const html = readFileSync(htmlFile, 'utf8');
    rmSync(folder, { recursive: true, force: true });
    const stop = report.earlyStopping;
    if (!stop || !report.tracking) throw new Error('earlyStopping / tracking missing');
    expect(stop.stoppedEarly).toBe(true);
    expect(report.history.map((epoch) => epoch.epoch)).toEqual(
      Array.from({ length: stop.stoppedAfter }, (_, index) => index + 1),
    );
    // Every epoch evaluated; the best is the maximum, and training ran `patience` epochs past it.
    const scores = report.history.map((epoch) => epoch.ndcg10 as number);
    expect(scores.every((value) => Number.isFinite(value))).toBe(true);
    expect(stop.bestEpoch).toBe(scores.indexOf(Math.max(...scores)) + 1);
    expect(stop.stoppedAfter - stop.bestEpoch).toBe(2);
    expect(report.tracking.best.epoch).toBe(stop.bestEpoch);
    // The model evaluated at the end is the restored best epoch's, not the last one's.
    expect(report.metrics.ndcg[10]).toBe(report.tracking.best.ndcg10);
    expect(report.metrics.hr[10]).toBe(report.tracking.best.hr10);
    expect(report.metrics.ndcg[10]).not.toBe(scores[scores.length - 1]);
    // The HTML report: the metrics table, the curves (an inline SVG) and one row per epoch run.
    expect(html).toContain(`<h1>MF-BPR on ml-100k</h1>`);
    expect(html).toContain(`<td>${report.metrics.ndcg[10].toFixed(4)}</td>`);
    expect(html).toMatch(/<figure class="figure" data-chart="curves"[^>]*><svg/);
    expect(html).toContain(`Dashed line: epoch ${stop.bestEpoch}, the best on validation NDCG@10`);
    const epochRows = html.slice(html.indexOf('data-table="epochs"')).match(/<tr>/g) ?? [];
    expect(epochRows.length).toBe(stop.stoppedAfter + 1);
    expect(html).not.toMatch(/<script|https?:\/\/(?!vega\.github\.io|www\.w3\.org)/);

    const tracked = await runTrustrec([...args, '--epochs', '7', '--eval-every', '3']);
    expect(tracked.code, tracked.stderr).toBe(0);
    const onTest = parseJsonOutput<TrainReport>(tracked);
    expect(onTest.earlyStopping).toBeNull();
    expect(onTest.history.filter((epoch) => epoch.ndcg10 !== undefined).map((epoch) => epoch.epoch)).toEqual([3, 6, 7]);
    // No early stopping: the reported model is the last epoch's, as evaluated in the history.
    expect(onTest.history[6].ndcg10).toBe(onTest.metrics.ndcg[10]);
    expect(onTest.history.every((epoch) => epoch.loss !== null && epoch.learningRate !== null)).toBe(true);

    const onTestSet = await runTrustrec([...args, '--epochs', '3', '--patience', '2']);
    expect(onTestSet.code).toBe(2);
    expect(onTestSet.stderr).toMatch(/--patience .* test set .* add --validate <seed>/);
    const zero = await runTrustrec([...args, '--epochs', '3', '--eval-every', '0']);
    expect(zero.code).toBe(2);
    expect(zero.stderr).toMatch(/--eval-every must be an integer in \[1, /);
  }, 60_000);
});
