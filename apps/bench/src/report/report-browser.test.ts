import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { executeExperiment } from '../experiments/execute-experiment.js';
import { parseExperimentConfig } from '../experiments/experiment-config.js';
import { createFakeEngine } from '../experiments/fake-experiment-engine.test-helper.js';
import { CHROMIUM_MISSING_REASON, openReportInChromium } from './headless-chromium.test-helper.js';

const CONFIG = parseExperimentConfig(`
name: fake-report
description: A report from the fake engine, to check the renderer (numbers are not real).
dataset: { name: fake }
models:
  - { id: bpr, kind: bpr }
  - { id: apr, kind: apr }
attacks:
  - { kind: random, epsilons: [0.25, 0.5, 1] }
  - { kind: fgsm, epsilons: [0.25, 0.5, 1] }
  - { kind: bim, epsilons: [0.25, 0.5, 1] }
seeds: 2
report: { published: seed-001 }
`);

const folder = mkdtempSync(path.join(tmpdir(), 'trustrec-report-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('report.html in headless Chromium', () => {
  if (CHROMIUM_MISSING_REASON) {
    it.skip(`skipped: ${CHROMIUM_MISSING_REASON}`, () => {});
    return;
  }

  it('renders every table and every SVG plot, with no console errors and no network request', async () => {
    const results = await executeExperiment(CONFIG, { engine: createFakeEngine(), outDir: folder });
    const page = await openReportInChromium(results.files.report);
    expect(page.consoleErrors).toEqual([]);
    expect(page.pageErrors).toEqual([]);
    expect(page.failedRequests).toEqual([]);
    expect(page.title).toBe('TrustRec — fake-report');

    const byId = Object.fromEntries(page.tables.map((table) => [table.id, table]));
    expect(Object.keys(byId)).toEqual([
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
    expect(byId.clean).toMatchObject({ rows: 2, columns: 1 + 6 + 1, firstCells: ['MF-BPR', 'APR (AMF)'] });
    expect(byId['attack-fgsm']).toMatchObject({ rows: 2 * 3, columns: 2 + 3 * 2 });
    expect(byId.significance.rows).toBe(1 + 9);
    // Claims: clean HR and NDCG, FGSM "at most half" at ε = 0.5 and 1, FGSM vs random for 2 models × 3 shared ε.
    expect(byId.claims.rows).toBe(2 + 2 + 2 * 3);
    expect(byId.claims.firstCells[0]).toBe(
      'APR (AMF) vs MF-BPR, clean HR@100: APR not worse than MF-BPR (seed 001: +2–6 %)',
    );
    // 6 published rows (2 tables × 3 methods) + ours for both models.
    expect(byId.published.rows).toBe(6 + 2);

    // NDCG@100 and HR@100 vs ε, relative drop of NDCG@100, clean-vs-attacked bars for both metrics.
    expect(page.charts.map((chart) => chart.id)).toEqual([
      'epsilon-ndcg@100',
      'epsilon-hr@100',
      'drop-ndcg@100',
      'bars-ndcg@100',
      'bars-hr@100',
    ]);
    for (const chart of page.charts) {
      expect(chart.width).toBeGreaterThan(200);
      expect(chart.height).toBeGreaterThan(150);
      expect(chart.marks).toBeGreaterThan(10);
    }
    const epsilonChart = page.charts[0];
    for (const label of ['Random', 'FGSM', 'BIM', 'MF-BPR', 'APR (AMF)']) expect(epsilonChart.texts).toContain(label);
    expect(page.charts[3].texts).toContain('clean');
  });
});
