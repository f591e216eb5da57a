import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describeWithData } from '@trustrec/test-utils';
import { afterAll, expect, it, vi } from 'vitest';
import type { ExperimentResults } from '../experiments/experiment-results.js';
import { runCli } from '../program.js';
import { CHROMIUM_MISSING_REASON, openReportInChromium } from '../report/headless-chromium.test-helper.js';

/** Runs the CLI in-process, returning the exit code and what it wrote to stdout. */
async function runTrustrec(args: string[]): Promise<{ code: number; stdout: string }> {
  const chunks: string[] = [];
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  });
  try {
    const code = await runCli(['node', 'trustrec', ...args]);
    return { code, stdout: chunks.join('') };
  } finally {
    write.mockRestore();
  }
}

const folder = mkdtempSync(path.join(tmpdir(), 'trustrec-reproduce-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describeWithData(
  'trustrec reproduce apr-robustness --quick (end to end, real algorithms on ML-100K)',
  ['ml-100k/u.data'],
  (dataDir) => {
    const outDir = path.join(folder, 'quick');
    let results: ExperimentResults;

    it('runs every cell, writes results.json and report.html, and prints the results object with --json', async () => {
      const started = performance.now();
      const { code, stdout } = await runTrustrec([
        'reproduce',
        'apr-robustness',
        '--quick',
        '--out',
        outDir,
        '--data-dir',
        dataDir,
        '--json',
      ]);
      const seconds = (performance.now() - started) / 1000;
      expect(code).toBe(0);
      results = JSON.parse(stdout) as ExperimentResults;
      expect(JSON.parse(readFileSync(path.join(outDir, 'results.json'), 'utf8')).configHash).toBe(results.configHash);
      expect(existsSync(path.join(outDir, 'report.html'))).toBe(true);
      // The issue's budget for the quick reproduction on this machine.
      expect(seconds).toBeLessThan(180);

      expect(results.experiment).toBe('apr-robustness-quick');
      expect(results.seeds).toEqual([1, 2]);
      expect(results.data.map((entry) => [entry.dataset, entry.numUsers, entry.numItems])).toEqual([
        ['ml-100k', 943, 1682],
        ['ml-100k', 943, 1682],
      ]);
      // Leave-one-out: one test interaction per user, the rest in train (100 000 ratings, all kept as implicit).
      expect(results.data[0].testInteractions).toBe(943);
      expect(results.data[0].trainInteractions).toBe(100_000 - 943);
      // 5 models × 2 seeds × (1 training + 1 clean + 3 attacks × 3 ε).
      expect(results.cache).toMatchObject({ cells: 5 * 2 * 11, computed: 5 * 2 * 11, cached: 0 });
      expect(results.aggregates.conditions).toHaveLength(5 * 10);
      expect(Object.keys(results.environment.versions)).toContain('@trustrec/attacks');
      expect(results.environment.backend).toMatch(/\w/);
    });

    it('measures what the algorithms should do: MF-BPR ranks far above chance, FGSM hurts more than random noise of the same norm', () => {
      const condition = (model: string, attack: string | null, epsilon: number | null) => {
        const found = results.aggregates.conditions.find(
          (entry) => entry.model === model && entry.attack === attack && entry.epsilon === epsilon,
        );
        if (!found) throw new Error(`no condition ${model} ${attack} ${epsilon}`);
        return found;
      };
      const bprClean = condition('bpr', null, null);
      // A random ranking of ~1600 candidates puts the test item in the top 100 about 6% of the time, AUC 0.5.
      expect(bprClean.metrics['hr@100'].mean).toBeGreaterThan(0.3);
      expect(bprClean.metrics.auc.mean).toBeGreaterThan(0.8);
      // Relative drops are (clean − attacked) / clean per seed.
      const cleanCells = results.cells.evaluations.filter((cell) => cell.model === 'bpr' && cell.attack === null);
      const fgsmCells = results.cells.evaluations.filter(
        (cell) => cell.model === 'bpr' && cell.attack === 'fgsm' && cell.epsilon === 1,
      );
      const drops = [1, 2].map((seed) => {
        const clean = cleanCells.find((cell) => cell.seed === seed)?.metrics['ndcg@100'] ?? Number.NaN;
        const attacked = fgsmCells.find((cell) => cell.seed === seed)?.metrics['ndcg@100'] ?? Number.NaN;
        return (clean - attacked) / clean;
      });
      expect(condition('bpr', 'fgsm', 1).relativeDrop?.['ndcg@100'].values).toEqual(drops);
      // Seed 001 §5.3: adversarial perturbation is more harmful than random perturbation of the same norm, and
      // larger ε hurts more.
      for (const model of ['bpr', 'apr']) {
        const fgsm = condition(model, 'fgsm', 1).relativeDrop?.['ndcg@100'].mean ?? Number.NaN;
        const random = condition(model, 'random', 1).relativeDrop?.['ndcg@100'].mean ?? Number.NaN;
        expect(fgsm).toBeGreaterThan(random);
        expect(fgsm).toBeGreaterThan(condition(model, 'fgsm', 0.25).relativeDrop?.['ndcg@100'].mean ?? Number.NaN);
      }
      // The APR-vs-BPR paired tests: per seed over the 943 test users, and across the 2 seeds.
      const clean = results.aggregates.comparisons.find((comparison) => comparison.attack === null);
      expect(clean?.perSeed.map((test) => [test.seed, test.n])).toEqual([
        [1, 943],
        [2, 943],
      ]);
      expect(clean?.acrossSeeds?.n).toBe(2);
    });

    it('a second run skips every cell (results cache)', async () => {
      const { code, stdout } = await runTrustrec([
        'reproduce',
        'apr-robustness',
        '--quick',
        '--out',
        outDir,
        '--data-dir',
        dataDir,
        '--json',
      ]);
      expect(code).toBe(0);
      const again = JSON.parse(stdout) as ExperimentResults;
      expect(again.cache).toMatchObject({ computed: 0, cached: 5 * 2 * 11, modelsLoaded: 0 });
      // Nothing computed now, but the cost of computing every cell is kept from the first run.
      expect(again.timings.trainingSeconds).toBe(0);
      expect(again.timings.cumulativeTrainingSeconds).toBeCloseTo(results.timings.trainingSeconds, 9);
      expect(again.timings.cumulativeEvaluationSeconds).toBeCloseTo(results.timings.evaluationSeconds, 9);
      expect(results.timings.cumulativeTrainingSeconds).toBeCloseTo(results.timings.trainingSeconds, 9);
      expect(again.aggregates).toEqual(results.aggregates);
    });

    it.skipIf(CHROMIUM_MISSING_REASON !== undefined)(
      `its report.html renders in headless Chromium with no console errors${CHROMIUM_MISSING_REASON ? ` (skipped: ${CHROMIUM_MISSING_REASON})` : ''}`,
      async () => {
        const page = await openReportInChromium(path.join(outDir, 'report.html'));
        expect(page.consoleErrors).toEqual([]);
        expect(page.pageErrors).toEqual([]);
        expect(page.failedRequests).toEqual([]);
        expect(page.tables.map((table) => table.id)).toEqual([
          'clean',
          'attack-random',
          'attack-fgsm',
          'attack-bim',
          'significance',
          'claims',
          'published',
          'data',
          'run',
        ]);
        expect(page.tables[0].firstCells).toEqual([
          'MF-BPR (pre-training)',
          'MF-BPR',
          'APR (AMF)',
          'Distilled MF',
          'Adv. distilled MF',
        ]);
        expect(page.charts).toHaveLength(5);
        for (const chart of page.charts) expect(chart.marks).toBeGreaterThan(10);
      },
    );
  },
);

it('reproduce rejects an unknown reproduction and bad options with exit code 2', async () => {
  const errors = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    expect((await runTrustrec(['reproduce', 'nope'])).code).toBe(2);
    expect(errors.mock.calls.map((call) => String(call[0])).join('')).toMatch(
      /unknown reproduction "nope"; available: apr-robustness/,
    );
    expect((await runTrustrec(['reproduce', 'apr-robustness', '--seeds', '0'])).code).toBe(2);
    expect((await runTrustrec(['run', path.join(folder, 'missing.yaml')])).code).toBe(2);
    const bad = path.join(folder, 'bad.yaml');
    writeFileSync(bad, 'name: bad\ndataset: { name: ml-100k }\nmodels:\n  - { id: m, kind: svd }\n');
    errors.mockClear();
    expect((await runTrustrec(['run', bad])).code).toBe(2);
    expect(errors.mock.calls.map((call) => String(call[0])).join('')).toMatch(
      /\[E_CONFIG\] invalid experiment config in .*bad\.yaml:\n {2}- models\[0\]\.kind \(line 4\): must be one of "bpr", "apr", "distilled", "adv-distilled", got "svd"/,
    );
  } finally {
    errors.mockRestore();
  }
});

it('run fails with E_CONFIG (exit 2) naming a misspelt apr param (trainApr rejects it)', async () => {
  // A tiny ml-100k folder (u.data: user, item, rating, timestamp): 12 users × 6 items each.
  const dataDir = path.join(folder, 'tiny-data');
  mkdirSync(path.join(dataDir, 'ml-100k'), { recursive: true });
  const ratings: string[] = [];
  for (let user = 1; user <= 12; user++)
    for (let k = 0; k < 6; k++) ratings.push(`${user}\t${((user + 3 * k) % 20) + 1}\t4\t${880000000 + 10 * user + k}`);
  writeFileSync(path.join(dataDir, 'ml-100k', 'u.data'), `${ratings.join('\n')}\n`);
  const config = (params: string) =>
    `name: typo\ndataset: { name: ml-100k }\nmodels:\n  - { id: apr, kind: apr, params: { ${params} } }\nseeds: 1\n`;
  const errors = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    const typo = path.join(folder, 'typo.yaml');
    writeFileSync(typo, config('epsilonn: 0.2, pretrainEpochs: 1, adversarialEpochs: 1'));
    const failed = await runTrustrec(['run', typo, '--data-dir', dataDir, '--out', path.join(folder, 'typo-out')]);
    expect(failed.code).toBe(2);
    expect(errors.mock.calls.map((call) => String(call[0])).join('')).toMatch(
      /\[E_CONFIG\] models "apr": trainApr: option 'epsilonn' must be one of the known options \(factors, pretrainEpochs, adversarialEpochs, epsilon, .*\), got 0\.2/,
    );
    // the control: spelt right, the same experiment runs (so the failure above is the name, not the data)
    const fixed = path.join(folder, 'fixed.yaml');
    writeFileSync(fixed, config('epsilon: 0.2, factors: 4, pretrainEpochs: 1, adversarialEpochs: 1'));
    errors.mockClear();
    const ran = await runTrustrec([
      'run',
      fixed,
      '--data-dir',
      dataDir,
      '--out',
      path.join(folder, 'fixed-out'),
      '--json',
    ]);
    expect(ran.code, errors.mock.calls.map((call) => String(call[0])).join('')).toBe(0);
    const results = JSON.parse(ran.stdout) as ExperimentResults;
    expect(results.cells.trainings.map((cell) => cell.summary)).toMatchObject([
      { description: { parameters: { epsilon: 0.2, factors: 4 } } },
    ]);
  } finally {
    errors.mockRestore();
  }
});
