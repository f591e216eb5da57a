import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderCompareReportHtml } from './compare-report.js';
import { CHROMIUM_MISSING_REASON, openReportInChromium } from './headless-chromium.test-helper.js';
import { COMPARE_REPORT_FIXTURE, TRAIN_REPORT_FIXTURE } from './report-fixtures.test-helper.js';
import { renderTrainingReportHtml } from './training-report.js';

const folder = mkdtempSync(path.join(tmpdir(), 'trustrec-report-pages-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

async function written(name: string, html: Promise<string>): Promise<string> {
  const file = path.join(folder, name);
  writeFileSync(file, await html);
  return file;
}

describe('train and compare reports in headless Chromium', () => {
  if (CHROMIUM_MISSING_REASON) {
    it.skip(`skipped: ${CHROMIUM_MISSING_REASON}`, () => {});
    return;
  }

  it('train --report: the metrics and epoch tables and the curves render, with no error and no request', async () => {
    const page = await openReportInChromium(
      await written('train.html', renderTrainingReportHtml(TRAIN_REPORT_FIXTURE)),
    );
    expect(page.consoleErrors).toEqual([]);
    expect(page.pageErrors).toEqual([]);
    expect(page.failedRequests).toEqual([]);
    expect(page.title).toBe('TrustRec — MF-BPR on ml-100k');
    expect(page.tables.map((table) => [table.id, table.rows, table.columns])).toEqual([
      ['metrics', 1, 8],
      ['epochs', 3, 6],
    ]);
    const [curves] = page.charts;
    expect(page.charts).toHaveLength(1);
    expect(curves.id).toBe('curves');
    expect(curves.width).toBeGreaterThan(400);
    expect(curves.height).toBeGreaterThan(300);
    for (const label of ['mean training loss per epoch', 'HR@10', 'NDCG@10']) expect(curves.texts).toContain(label);
  });

  it('compare --report: both tables and the four interval panels render, with no error and no request', async () => {
    const page = await openReportInChromium(
      await written('compare.html', renderCompareReportHtml(COMPARE_REPORT_FIXTURE)),
    );
    expect(page.consoleErrors).toEqual([]);
    expect(page.pageErrors).toEqual([]);
    expect(page.failedRequests).toEqual([]);
    expect(page.tables.map((table) => [table.id, table.rows, table.columns])).toEqual([
      ['models', 2, 6],
      ['pairs', 1, 9],
    ]);
    expect(page.tables[0].firstCells).toEqual(['a.trm', 'b<1>.trm']);
    const [intervals] = page.charts;
    expect(intervals.id).toBe('intervals');
    expect(intervals.width).toBeGreaterThan(500);
    for (const label of ['HR@10', 'NDCG@10', 'HR@10, a − b', 'NDCG@10, a − b', 'a.trm − b<1>.trm'])
      expect(intervals.texts).toContain(label);
  });
});
