import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { aggregateResults } from './aggregate-results.js';
import { executeExperiment, resolveOutDir } from './execute-experiment.js';
import { parseExperimentConfig } from './experiment-config.js';
import { planExperiment, runExperiment } from './experiment-runner.js';
import { createFakeEngine } from './fake-experiment-engine.test-helper.js';
import { ResultCache } from './result-cache.js';

const CONFIG = parseExperimentConfig(`
name: fake-robustness
dataset: { name: fake }
models:
  - { id: bpr, kind: bpr }
  - { id: apr, kind: apr }
  - { id: distilled, kind: distilled, teacher: bpr }
attacks:
  - { kind: random, epsilons: [0.5, 1] }
  - { kind: fgsm, epsilons: [0.5, 1] }
seeds: 3
report: { published: seed-001 }
`);
// Per (model, seed): 1 training + 1 clean + 4 attacked evaluations.
const CELLS = 3 * 3 * 6;

const folders: string[] = [];
function temporaryFolder(): string {
  const folder = mkdtempSync(path.join(tmpdir(), 'trustrec-runner-'));
  folders.push(folder);
  return folder;
}
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

describe('experiment runner and results cache', () => {
  it('plans (model, seed) trainings and (model, seed, attack, ε) evaluations with distinct stable keys', () => {
    const plan = planExperiment(CONFIG);
    expect(plan).toHaveLength(9);
    const keys = plan.flatMap((training) => [
      training.key,
      ...training.evaluations.map((evaluation) => evaluation.key),
    ]);
    expect(keys).toHaveLength(CELLS);
    expect(new Set(keys).size).toBe(CELLS);
    expect(planExperiment(CONFIG).map((training) => training.key)).toEqual(plan.map((training) => training.key));
    // The student's key depends on its teacher's key.
    const distilled = plan.find((training) => training.model.id === 'distilled' && training.seed === 1);
    const teacher = plan.find((training) => training.model.id === 'bpr' && training.seed === 1);
    expect(distilled?.teacherKey).toBe(teacher?.key);
  });

  it('re-running skips finished cells; deleting one cell recomputes only that cell', async () => {
    const outDir = temporaryFolder();
    const first = createFakeEngine();
    const run = await runExperiment(CONFIG, { engine: first, outDir });
    expect(run.counts).toEqual({ cells: CELLS, computed: CELLS, cached: 0, modelsLoaded: 0 });
    expect(first.calls.train).toHaveLength(9);
    expect(first.calls.evaluate).toHaveLength(9 * 5);

    const again = createFakeEngine();
    const rerun = await runExperiment(CONFIG, { engine: again, outDir });
    expect(rerun.counts).toEqual({ cells: CELLS, computed: 0, cached: CELLS, modelsLoaded: 0 });
    expect(again.calls).toEqual({ prepareData: 0, train: [], loadModel: [], attack: [], evaluate: [] });
    expect(rerun.evaluations.map((cell) => cell.metrics)).toEqual(run.evaluations.map((cell) => cell.metrics));

    // Delete the cell (apr, seed 2, fgsm, ε = 1): only it is recomputed, from the cached model.
    const victim = run.evaluations.find(
      (cell) => cell.model === 'apr' && cell.seed === 2 && cell.attack === 'fgsm' && cell.epsilon === 1,
    );
    expect(victim).toBeDefined();
    const cache = new ResultCache(outDir);
    rmSync(cache.cellPath(victim?.key ?? ''));
    const third = createFakeEngine();
    const resumed = await runExperiment(CONFIG, { engine: third, outDir });
    expect(resumed.counts).toEqual({ cells: CELLS, computed: 1, cached: CELLS - 1, modelsLoaded: 1 });
    expect(third.calls.train).toEqual([]);
    expect(third.calls.loadModel).toEqual(['apr']);
    expect(third.calls.attack).toEqual(['apr/2/fgsm/1']);
    expect(third.calls.evaluate).toHaveLength(1);
    expect(third.calls.prepareData).toBe(1);
    const recomputed = resumed.evaluations.find((cell) => cell.key === victim?.key);
    expect(recomputed?.cached).toBe(false);
    expect(recomputed?.metrics).toEqual(victim?.metrics);
  });

  it('an interrupted run resumes without losing finished cells; a corrupt cell file is recomputed', async () => {
    const outDir = temporaryFolder();
    const failing = createFakeEngine();
    const evaluate = failing.evaluate.bind(failing);
    let evaluations = 0;
    failing.evaluate = async (...args) => {
      if (++evaluations === 12) throw new Error('interrupted');
      return evaluate(...args);
    };
    await expect(runExperiment(CONFIG, { engine: failing, outDir })).rejects.toThrow('interrupted');
    // Seed 1: MF-BPR's and APR's 6 cells each, the distilled model's training and clean evaluation finished
    // before the failure (its 2nd evaluation).
    const cache = new ResultCache(outDir);
    expect(cache.listCells()).toHaveLength(2 * 6 + 2);

    const cellFile = cache.cellPath(cache.listCells()[0]);
    writeFileSync(cellFile, '{"type": "evaluation", "trunc');
    const resume = createFakeEngine();
    const resumed = await runExperiment(CONFIG, { engine: resume, outDir });
    expect(resumed.counts.cached).toBe(2 * 6 + 2 - 1);
    expect(resumed.counts.computed).toBe(CELLS - (2 * 6 + 2 - 1));
    expect(cache.listCells()).toHaveLength(CELLS);
    expect(readdirTemporaryFiles(outDir)).toEqual([]);
  });

  it('aggregates mean ± 95% CI over seeds, relative drops per seed, and paired t-tests', async () => {
    const outDir = temporaryFolder();
    const run = await runExperiment(CONFIG, { engine: createFakeEngine(), outDir });
    const aggregates = aggregateResults(CONFIG, run);
    const clean = aggregates.conditions.find((condition) => condition.model === 'bpr' && condition.attack === null);
    const values = [1, 2, 3].map(
      (seed) =>
        run.evaluations.find((cell) => cell.model === 'bpr' && cell.seed === seed && cell.attack === null)?.metrics[
          'ndcg@100'
        ] ?? Number.NaN,
    );
    const mean = (values[0] + values[1] + values[2]) / 3;
    const sd = Math.sqrt(values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / 2);
    // t_{0.975, 2} = 4.302652729911275
    expect(clean?.metrics['ndcg@100'].mean).toBeCloseTo(mean, 12);
    expect(clean?.metrics['ndcg@100'].halfWidth).toBeCloseTo((4.302652729911275 * sd) / Math.sqrt(3), 10);
    expect(clean?.metrics['ndcg@100'].values).toEqual(values);

    const attacked = aggregates.conditions.find(
      (condition) => condition.model === 'bpr' && condition.attack === 'fgsm' && condition.epsilon === 1,
    );
    const drops = [1, 2, 3].map((seed) => {
      const cleanValue =
        run.evaluations.find((cell) => cell.model === 'bpr' && cell.seed === seed && cell.attack === null)?.metrics[
          'hr@10'
        ] ?? Number.NaN;
      const attackedValue =
        run.evaluations.find(
          (cell) => cell.model === 'bpr' && cell.seed === seed && cell.attack === 'fgsm' && cell.epsilon === 1,
        )?.metrics['hr@10'] ?? Number.NaN;
      return (cleanValue - attackedValue) / cleanValue;
    });
    expect(attacked?.relativeDrop?.['hr@10'].values).toEqual(drops);
    // The fake's FGSM hurts MF-BPR (robustness 0.4) more than APR (0.1): drop ≈ 1 − e^{−0.4} vs 1 − e^{−0.1}.
    const aprAttacked = aggregates.conditions.find(
      (condition) => condition.model === 'apr' && condition.attack === 'fgsm' && condition.epsilon === 1,
    );
    expect(attacked?.relativeDrop?.['ndcg@100'].mean).toBeGreaterThan(0.25);
    expect(aprAttacked?.relativeDrop?.['ndcg@100'].mean).toBeLessThan(0.15);

    // APR vs BPR on NDCG@100: one comparison per condition (clean + 4), per-seed tests over 40 users.
    expect(aggregates.comparisons).toHaveLength(5);
    const cleanComparison = aggregates.comparisons[0];
    expect(cleanComparison).toMatchObject({ model: 'apr', baseline: 'bpr', metric: 'ndcg@100', attack: null });
    expect(cleanComparison.perSeed.map((test) => test.seed)).toEqual([1, 2, 3]);
    expect(cleanComparison.perSeed.every((test) => test.n === 40 && test.degreesOfFreedom === 39)).toBe(true);
    expect(cleanComparison.acrossSeeds?.n).toBe(3);
    const aprClean = aggregates.conditions.find((condition) => condition.model === 'apr' && condition.attack === null);
    expect(cleanComparison.acrossSeeds?.meanDifference).toBeCloseTo(
      (aprClean?.metrics['ndcg@100'].mean ?? 0) - (clean?.metrics['ndcg@100'].mean ?? 0),
      6,
    );
  });

  it('executeExperiment writes results.json and report.html; the default folder resumes an unfinished run', async () => {
    const cwd = temporaryFolder();
    const first = resolveOutDir(CONFIG, { cwd, now: new Date('2026-01-02T03:04:05Z') });
    expect(first).toEqual({
      outDir: path.join(cwd, 'trustrec-results', 'fake-robustness-20260102T030405Z'),
      resumed: false,
    });
    const results = await executeExperiment(CONFIG, {
      engine: createFakeEngine(),
      outDir: first.outDir,
      configFile: 'fake.yaml',
    });
    const written = JSON.parse(readFileSync(path.join(first.outDir, 'results.json'), 'utf8'));
    expect(written.configHash).toBe(results.configHash);
    expect(written.seeds).toEqual([1, 2, 3]);
    expect(written.environment.backend).toBe('fake');
    expect(written.aggregates.conditions).toHaveLength(3 * 5);
    expect(written.cells.evaluations).toHaveLength(3 * 3 * 5);
    expect(written.published.tables[0].dataset).toBe('Book-Crossing');
    const html = readFileSync(path.join(first.outDir, 'report.html'), 'utf8');
    expect(html).toContain('<svg');
    expect(html).toContain('published reference, different dataset');
    expect(html).not.toMatch(/<script|<link /);
    // A finished run is not resumed: a new folder; an unfinished one (marker without finishedAt) is.
    expect(resolveOutDir(CONFIG, { cwd, now: new Date('2026-01-02T04:00:00Z') }).resumed).toBe(false);
    const marker = path.join(first.outDir, 'cache', 'experiment.json');
    const { finishedAt: _finished, ...unfinished } = JSON.parse(readFileSync(marker, 'utf8'));
    writeFileSync(marker, JSON.stringify(unfinished));
    expect(resolveOutDir(CONFIG, { cwd, now: new Date('2026-01-02T04:00:00Z') })).toEqual({
      outDir: first.outDir,
      resumed: true,
    });
    expect(existsSync(path.join(first.outDir, 'cache', 'cells'))).toBe(true);
  });
});

function readdirTemporaryFiles(outDir: string): string[] {
  return readdirSync(path.join(outDir, 'cache', 'cells')).filter((name) => name.includes('.tmp-'));
}
