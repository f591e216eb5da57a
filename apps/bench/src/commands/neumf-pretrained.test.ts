import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describeWithData } from '@trustrec/test-utils';
import { afterAll, describe, expect, it } from 'vitest';
import { runTrustrec, trainForTest } from './run-cli.test-helper.js';
import type { TrainReport } from './train-command.js';

describe('trustrec train --pretrained-gmf / --pretrained-mlp (flags)', () => {
  it('are for neumf only, and need both parts', async () => {
    const bpr = await runTrustrec(['train', '--model', 'bpr', '--dataset', 'ml-100k', '--pretrained-gmf', 'a.trm']);
    expect(bpr.code).toBe(2);
    expect(bpr.stderr).toMatch(/--pretrained-gmf: only --model neumf starts from pre-trained parts, not bpr/);
    const half = await runTrustrec(['train', '--model', 'neumf', '--dataset', 'ml-100k', '--pretrained-mlp', 'b.trm']);
    expect(half.code).toBe(2);
    expect(half.stderr).toMatch(/give --pretrained-gmf too/);
  });

  it('a file that cannot be read is E_IO naming the flag and the file', async () => {
    const run = await runTrustrec([
      'train',
      '--model',
      'neumf',
      '--dataset',
      'ml-100k',
      '--pretrained-gmf',
      'no/such/gmf.trm',
      '--pretrained-mlp',
      'no/such/mlp.trm',
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/\[E_IO\] trustrec train: --pretrained-gmf no\/such\/gmf\.trm: cannot read the file/);
  });

  it('is listed in `trustrec train --help`', async () => {
    const run = await runTrustrec(['train', '--help']);
    expect(run.stdout).toMatch(/--pretrained-gmf <path>/);
    expect(run.stdout).toMatch(/--pretrained-mlp <path>/);
  });
});

describeWithData('trustrec train --model neumf from saved parts (ml-100k)', ['ml-100k/u.data'], (dataDir) => {
  const folder = mkdtempSync(path.join(tmpdir(), 'trustrec-neumf-parts-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));
  const file = (name: string): string => path.join(folder, name);
  const train = (args: readonly string[]): Promise<TrainReport> => trainForTest('ml-100k', dataDir, args);

  it('starts NeuMF from a saved logistic MF (as GMF, factors + 2) and MLP; α = 1 reproduces the MF', async () => {
    const mf = await train([
      '--model',
      'mf',
      '--factors',
      '6',
      '--epochs',
      '3',
      '--lr',
      '0.02',
      '--save',
      file('mf.trm'),
    ]);
    await train(['--model', 'mlp', '--param', 'layers=16,8,4', '--epochs', '1', '--save', file('mlp.trm')]);
    await train(['--model', 'bpr', '--factors', '4', '--epochs', '1', '--save', file('bpr.trm')]);
    const parts = ['--pretrained-gmf', file('mf.trm'), '--pretrained-mlp', file('mlp.trm')];
    const pure = await train(['--model', 'neumf', ...parts, '--epochs', '0', '--param', 'alpha=1']);
    // factors and layers come from the parts: the MF's 6 factors + 2 bias dimensions, the MLP's tower.
    expect(pure.hyperParameters).toMatchObject({ factors: 8, layers: [16, 8, 4], alpha: 1, epochs: 0 });
    expect(pure.pretrained).toEqual({ gmf: file('mf.trm'), gmfSource: 'mf', mlp: file('mlp.trm') });
    // With α = 1 NeuMF's logit is the MF's (to float rounding): the same ranking quality.
    for (const k of [10, 50, 100] as const) {
      expect(Math.abs(pure.metrics.hr[k] - mf.metrics.hr[k])).toBeLessThan(0.003);
      expect(Math.abs(pure.metrics.ndcg[k] - mf.metrics.ndcg[k])).toBeLessThan(0.002);
    }
    expect(mf.metrics.hr[10]).toBeGreaterThan(0.05);
    // One SGD epoch on from the parts runs and reports its loss.
    const tuned = await train(['--model', 'neumf', ...parts, '--epochs', '1']);
    expect(tuned.timings.epochs).toBe(1);
    expect(tuned.finalLoss).not.toBeNull();

    const neumfFrom = (args: readonly string[]) =>
      runTrustrec(['train', '--model', 'neumf', '--dataset', 'ml-100k', '--data-dir', dataDir, ...args]);
    const wrongKind = await neumfFrom(['--pretrained-gmf', file('bpr.trm'), '--pretrained-mlp', file('mlp.trm')]);
    expect(wrongKind.code).toBe(2);
    expect(wrongKind.stderr).toMatch(/--pretrained-gmf .*bpr\.trm: the file holds a 'bpr' model/);
    writeFileSync(file('junk.trm'), 'not a model');
    const junk = await neumfFrom(['--pretrained-gmf', file('mf.trm'), '--pretrained-mlp', file('junk.trm')]);
    expect(junk.code).toBe(2);
    expect(junk.stderr).toMatch(/\[E_FORMAT\] trustrec train: --pretrained-mlp .*junk\.trm: loadModel: /);
    const wrongShape = await neumfFrom([...parts, '--factors', '6']);
    expect(wrongShape.code).toBe(2);
    expect(wrongShape.stderr).toMatch(/GMF factors 8 ≠ NeuMF factors 6/);
    for (const option of ['pretrainEpochs=3', 'gmfPretraining=logistic-mf']) {
      const ignored = await neumfFrom([...parts, '--param', option]);
      expect(ignored.code).toBe(2);
      expect(ignored.stderr).toMatch(
        new RegExp(`\\[E_CONFIG\\] .*--param ${option.split('=')[0]} has no effect with saved parts`),
      );
    }
  }, 120_000);
});
