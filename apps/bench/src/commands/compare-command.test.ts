import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describeWithData } from '@trustrec/test-utils';
import { afterAll, describe, expect, it } from 'vitest';
import type { CompareReport } from './compare-command.js';
import { parseJsonOutput, runTrustrec, trainForTest } from './run-cli.test-helper.js';
import type { TrainReport } from './train-command.js';

describe('trustrec compare (flags)', () => {
  it('needs two distinct model files', async () => {
    const one = await runTrustrec(['compare', 'a.trm', '--dataset', 'ml-100k']);
    expect(one.code).toBe(2);
    expect(one.stderr).toMatch(/trustrec compare: give at least two model files to compare, got 1/);
    const twice = await runTrustrec(['compare', 'a.trm', 'a.trm', '--dataset', 'ml-100k']);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toMatch(/a\.trm is listed twice/);
  });

  it('a file that cannot be read is E_IO naming the file', async () => {
    const run = await runTrustrec(['compare', 'no/such/a.trm', 'no/such/b.trm', '--dataset', 'ml-100k']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/\[E_IO\] trustrec compare: no\/such\/a\.trm: cannot read the file/);
  });

  it('is listed in `trustrec --help`', async () => {
    const run = await runTrustrec(['--help']);
    expect(run.stdout).toMatch(/compare \[options\] <files\.\.\.>/);
  });
});

describeWithData('trustrec compare on saved ml-100k models (real files)', ['ml-100k/u.data'], (dataDir) => {
  const folder = mkdtempSync(path.join(tmpdir(), 'trustrec-compare-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));
  const file = (name: string): string => path.join(folder, name);
  const train = (args: readonly string[]): Promise<TrainReport> => trainForTest('ml-100k', dataDir, args);
  const compare = (args: readonly string[]) =>
    runTrustrec(['compare', ...args, '--dataset', 'ml-100k', '--data-dir', dataDir, '--json']);

  it('evaluates each model as `train` did and tests the pair user by user', async () => {
    const bpr = await train(['--model', 'bpr', '--factors', '8', '--epochs', '5', '--save', file('bpr.trm')]);
    const pop = await train(['--model', 'pop', '--save', file('pop.trm')]);
    const run = await compare([file('bpr.trm'), file('pop.trm'), '--report', file('compare.html')]);
    expect(run.code, run.stderr).toBe(0);
    const report = parseJsonOutput<CompareReport>(run);
    expect(report.htmlReport).toBe(file('compare.html'));
    const html = readFileSync(file('compare.html'), 'utf8');
    expect(html).toContain(`<td>${report.models[0].hr.toFixed(4)}</td>`);
    expect(html).toContain(`<td>${report.pairs[0].hr.onlyA} / ${report.pairs[0].hr.onlyB}</td>`);
    expect(html).toMatch(/data-chart="intervals"[^>]*><svg/);
    expect(report).toMatchObject({ protocol: 'full', k: 10, evaluatedOn: 'test', usersEvaluated: 943 });
    // The same split and evaluator as `train`: the same figures.
    expect(report.models.map((model) => model.hr)).toEqual([bpr.metrics.hr[10], pop.metrics.hr[10]]);
    expect(report.models.map((model) => model.ndcg)).toEqual([bpr.metrics.ndcg[10], pop.metrics.ndcg[10]]);
    expect(report.models[0]).toMatchObject({ model: 'bpr', displayName: 'MF-BPR', seed: 42 });
    const [pair] = report.pairs;
    expect(report.pairs).toHaveLength(1);
    // HR@10 is a mean of 0/1 hits: the difference of the means is (hit by a only − hit by b only) / users.
    expect(pair.hr.difference).toBeCloseTo((pair.hr.onlyA - pair.hr.onlyB) / 943, 6);
    expect(pair.hr.difference).toBeCloseTo(bpr.metrics.hr[10] - pop.metrics.hr[10], 12);
    expect(pair.hr.interval.lower).toBeLessThan(pair.hr.difference);
    expect(pair.hr.interval.upper).toBeGreaterThan(pair.hr.difference);
    expect(pair.ndcg.interval.lower).toBeLessThan(pair.ndcg.difference);
    expect(pair.ndcg.interval.upper).toBeGreaterThan(pair.ndcg.difference);
    for (const p of [pair.hr.mcNemarP, pair.ndcg.tTestP, pair.ndcg.wilcoxonP]) {
      expect(p).toBeGreaterThanOrEqual(0);
      expect(p).toBeLessThanOrEqual(1);
    }
    // A model against itself (a second copy): no discordant user, no difference, p = 1.
    const copy = await train(['--model', 'pop', '--save', file('pop-copy.trm')]);
    expect(copy.metrics.hr[10]).toBe(pop.metrics.hr[10]);
    const same = parseJsonOutput<CompareReport>(await compare([file('pop.trm'), file('pop-copy.trm')]));
    expect(same.pairs[0].hr).toMatchObject({ difference: 0, onlyA: 0, onlyB: 0, mcNemarP: 1 });
    expect(same.pairs[0].ndcg.wilcoxonP).toBe(1);
  }, 120_000);

  it('--validate <seed> compares on the validation interactions the models were tuned on', async () => {
    const pop = await train(['--model', 'pop', '--validate', '7', '--save', file('pop-val.trm')]);
    const bpr = await train([
      '--model',
      'bpr',
      '--factors',
      '8',
      '--epochs',
      '3',
      '--validate',
      '7',
      '--save',
      file('bpr-val.trm'),
    ]);
    const report = parseJsonOutput<CompareReport>(
      await compare([file('pop-val.trm'), file('bpr-val.trm'), '--validate', '7']),
    );
    expect(report).toMatchObject({ evaluatedOn: 'validation', usersEvaluated: 943 });
    expect(report.split).toMatch(/validation carved from the training set .* seed 7/);
    expect(report.models.map((model) => model.hr)).toEqual([pop.metrics.hr[10], bpr.metrics.hr[10]]);
  }, 60_000);

  it('refuses models whose training seeds chose different random splits', async () => {
    await train(['--model', 'bpr', '--factors', '8', '--epochs', '1', '--seed', '7', '--save', file('bpr-7.trm')]);
    await train(['--model', 'bpr', '--factors', '8', '--epochs', '1', '--save', file('bpr-42.trm')]);
    const run = await compare([file('bpr-42.trm'), file('bpr-7.trm')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/trained with --seed 42 and .*bpr-7\.trm with --seed 7; on ml-100k the seed also chose/);
  }, 60_000);
});

describeWithData(
  'trustrec compare on the wrong dataset (real files)',
  ['ml-100k/u.data', 'ml-1m/ratings_implicit.dat'],
  (dataDir) => {
    const folder = mkdtempSync(path.join(tmpdir(), 'trustrec-compare-shape-'));
    afterAll(() => rmSync(folder, { recursive: true, force: true }));

    it('models of another dataset are E_SHAPE, naming the file and both shapes', async () => {
      const files = [path.join(folder, 'a.trm'), path.join(folder, 'b.trm')];
      for (const file of files) {
        const run = await runTrustrec([
          'train',
          '--model',
          'pop',
          '--dataset',
          'ml-100k',
          '--data-dir',
          dataDir,
          '--save',
          file,
        ]);
        expect(run.code, run.stderr).toBe(0);
      }
      const run = await runTrustrec(['compare', ...files, '--dataset', 'ml-1m', '--data-dir', dataDir]);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(
        /\[E_SHAPE\] trustrec compare: .*a\.trm has 943 users × 1682 items, but ml-1m has 6040 × 3706/,
      );
    }, 60_000);
  },
);
