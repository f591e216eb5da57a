import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { aggregateResults } from '../experiments/aggregate-results.js';
import { parseExperimentConfig } from '../experiments/experiment-config.js';
import { buildExperimentResults } from '../experiments/experiment-results.js';
import { runExperiment } from '../experiments/experiment-runner.js';
import { createFakeEngine } from '../experiments/fake-experiment-engine.test-helper.js';
import { renderResultsText } from './render-report.js';
import { claimsTable, formatPercentSummary, formatSummary, publishedTable } from './report-tables.js';

const folder = mkdtempSync(path.join(tmpdir(), 'trustrec-tables-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

async function fakeResults() {
  return resultsOf(
    parseExperimentConfig(`
name: tables
dataset: { name: fake }
models:
  - { id: bpr, kind: bpr }
  - { id: apr, kind: apr, pretrained: bpr }
attacks:
  - { kind: random, epsilons: [0.5, 1] }
  - { kind: fgsm, epsilons: [0.5, 1] }
seeds: 2
report: { published: seed-001 }
`),
    folder,
  );
}

/** Runs `config` on the fake engine into `outDir` and builds its results object. */
async function resultsOf(config: ReturnType<typeof parseExperimentConfig>, outDir: string) {
  const run = await runExperiment(config, { engine: createFakeEngine(), outDir });
  return buildExperimentResults({
    config,
    run,
    aggregates: aggregateResults(config, run),
    environment: { backend: 'fake', versions: {}, node: 'v20', platform: 'test', cli: 'test' },
    startedAt: '2026-01-01T00:00:00Z',
    reportSeconds: 0,
    totalSeconds: 1,
    files: { outDir, results: path.join(outDir, 'results.json'), report: path.join(outDir, 'report.html') },
    cacheFolder: path.join(outDir, 'cache'),
  });
}

describe('report tables', () => {
  it('formats mean ± 95% CI half-width, and the bare mean with one seed', () => {
    expect(
      formatSummary({
        mean: 0.123456,
        lower: 0.1,
        upper: 0.14,
        halfWidth: 0.0204,
        standardDeviation: 0.01,
        n: 3,
        values: [],
      }),
    ).toBe('0.1235 ± 0.0204');
    expect(
      formatSummary({
        mean: 0.5,
        lower: null,
        upper: null,
        halfWidth: null,
        standardDeviation: null,
        n: 1,
        values: [0.5],
      }),
    ).toBe('0.5000');
    expect(
      formatPercentSummary({
        mean: 0.25,
        lower: 0.2,
        upper: 0.3,
        halfWidth: 0.05,
        standardDeviation: 0.01,
        n: 2,
        values: [],
      }),
    ).toBe('25.0% ± 5.0');
  });

  it('measures the seed 001 claims from the aggregates (the fake APR is 4× more robust and 2/0.3 = 6.7 % better)', async () => {
    const results = await fakeResults();
    const table = claimsTable(results);
    expect(table?.rows.map((row) => [row[0], row[2]])).toEqual([
      ['APR (AMF) vs MF-BPR, clean HR@100: APR not worse than MF-BPR (seed 001: +2–6 %)', 'yes'],
      ['APR (AMF) vs MF-BPR, clean NDCG@100: APR not worse than MF-BPR (seed 001: +2–6 %)', 'yes'],
      ["APR (AMF) vs MF-BPR, FGSM ε=0.5: APR loses at most half of MF-BPR's relative NDCG@100", 'yes'],
      ["APR (AMF) vs MF-BPR, FGSM ε=1: APR loses at most half of MF-BPR's relative NDCG@100", 'yes'],
      ['MF-BPR, ε=0.5: FGSM hurts more than random noise of the same norm (seed 001 §5.3)', 'yes'],
      ['MF-BPR, ε=1: FGSM hurts more than random noise of the same norm (seed 001 §5.3)', 'yes'],
      ['APR (AMF), ε=0.5: FGSM hurts more than random noise of the same norm (seed 001 §5.3)', 'yes'],
      ['APR (AMF), ε=1: FGSM hurts more than random noise of the same norm (seed 001 §5.3)', 'yes'],
    ]);
    // Fake drops: 1 − exp(−robustness · strength · ε); MF-BPR under FGSM at ε = 1: 1 − e^{−0.4} ≈ 33 %.
    expect(table?.rows[5][1]).toMatch(/^FGSM drop \+3[23]\.\d% vs random drop \+[678]\.\d% \(NDCG@100\)$/);
  });

  it('checks the claims on the pairs the comparisons name, not on the first bpr / apr kinds', async () => {
    // The protocol of apr-robustness.yaml: a pre-trained MF-BPR, then an APR-kind arm with λ = 0 as the
    // baseline. The fake engine scores by kind, so the two apr-kind arms are equally good and equally robust.
    const config = parseExperimentConfig(`
name: pairs
dataset: { name: fake }
models:
  - { id: pre, kind: bpr, label: Pre-trained }
  - { id: bpr, kind: apr, label: MF-BPR, pretrained: pre }
  - { id: apr, kind: apr, label: APR, pretrained: pre }
attacks:
  - { kind: random, epsilons: [1] }
  - { kind: fgsm, epsilons: [1] }
seeds: 2
comparisons:
  - { model: apr, baseline: bpr, metric: ndcg, k: 100 }
  - { model: apr, baseline: bpr, metric: hr, k: 100 }
`);
    const results = await resultsOf(config, path.join(folder, 'pairs'));
    const rows = claimsTable(results)?.rows ?? [];
    expect(rows.slice(0, 3).map((row) => [row[0], row[2]])).toEqual([
      ['APR vs MF-BPR, clean HR@100: APR not worse than MF-BPR (seed 001: +2–6 %)', 'yes'],
      ['APR vs MF-BPR, clean NDCG@100: APR not worse than MF-BPR (seed 001: +2–6 %)', 'yes'],
      ["APR vs MF-BPR, FGSM ε=1: APR loses at most half of MF-BPR's relative NDCG@100", 'no'],
    ]);
    expect(rows[2][1]).toMatch(/\(ratio 1\.00\)$/);
    expect(rows.some((row) => row[0].includes('Pre-trained, clean'))).toBe(false);
  });

  it('labels published numbers as a different dataset, and puts ours beside them', async () => {
    const results = await fakeResults();
    const table = publishedTable(results);
    expect(table?.rows.filter((row) => row[1] === 'published reference, different dataset')).toHaveLength(6);
    expect(table?.rows.find((row) => row[0].startsWith('Book-Crossing') && row[2] === 'MF-BPR')?.slice(3)).toEqual([
      '0.0988',
      '0.1544',
      '0.0310',
      '0.0375',
      '0.7882',
    ]);
    expect(table?.rows.find((row) => row[0].startsWith('Yelp') && row[2] === 'AMF-grad (APR)')?.slice(3)).toEqual([
      '0.1272',
      '0.2027',
      '0.0383',
      '0.0504',
      '0.9190',
    ]);
    expect(table?.rows.slice(6).map((row) => [row[0], row[1], row[2]])).toEqual([
      ['fake', 'this run (2 seeds)', 'MF-BPR'],
      ['fake', 'this run (2 seeds)', 'APR (AMF)'],
    ]);
    const text = renderResultsText(results);
    expect(text).toContain('Published reference (seed 001, Tables 3–4, Book-Crossing/Yelp — not the same run)');
    expect(text).toContain('Seed 001 claims, measured on this run');
  });
});
