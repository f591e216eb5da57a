import { describe, expect, it } from 'vitest';
import { compareIntervalsSpec, renderCompareReportHtml } from './compare-report.js';
import { COMPARE_REPORT_FIXTURE as report } from './report-fixtures.test-helper.js';

type Layer = { data: { values: Record<string, unknown>[] }; mark: { type: string } };
type Panel = { title: { text: string }; layer: Layer[] };

describe('compare HTML report', () => {
  it('plots each model and each pair difference with its interval, a rule at 0 under the differences only', () => {
    const spec = compareIntervalsSpec(report) as unknown as { vconcat: { hconcat: Panel[] }[] };
    const [models, pairs] = spec.vconcat.map((row) => row.hconcat);
    expect(models.map((panel) => panel.title.text)).toEqual(['HR@10', 'NDCG@10']);
    expect(pairs.map((panel) => panel.title.text)).toEqual(['HR@10, a − b', 'NDCG@10, a − b']);
    expect(models[0].layer.map((layer) => layer.mark.type)).toEqual(['errorbar', 'point']);
    expect(pairs[1].layer.map((layer) => layer.mark.type)).toEqual(['rule', 'errorbar', 'point']);
    expect(models[1].layer[1].data.values).toEqual([
      { label: 'a.trm (MF-BPR)', value: 0.14, lower: 0.14 - 0.01, upper: 0.14 + 0.01 },
      { label: 'b<1>.trm (MF-BPR)', value: 0.07, lower: 0.07 - 0.01, upper: 0.07 + 0.01 },
    ]);
    expect(pairs[0].layer[2].data.values).toEqual([
      { label: 'a.trm − b<1>.trm', value: 0.1, lower: 0.07, upper: 0.13 },
    ]);
  });

  it('renders a self-contained page with both tables and the plots; file names are escaped', async () => {
    const html = await renderCompareReportHtml(report);
    expect(html).toContain('<h1>Comparing 2 models on ml-100k</h1>');
    expect(html).toContain('<td>b&lt;1&gt;.trm</td>');
    expect(html).toContain('<td>+0.1000</td><td>+0.0700 to +0.1300</td><td>133 / 39</td><td>&lt;0.001</td>');
    expect(html).toMatch(/data-chart="intervals"[^>]*><svg/);
    expect(html).not.toContain('b<1>');
    expect(html).not.toContain('<script');
  });
});
