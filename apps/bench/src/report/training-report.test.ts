import { describe, expect, it } from 'vitest';
import { TRAIN_REPORT_FIXTURE as base } from './report-fixtures.test-helper.js';
import { renderTrainingReportHtml, trainingCurvesSpec } from './training-report.js';

type Panel = { data?: { values: unknown[] }; layer?: { data: { values: unknown[] }; mark: { type: string } }[] };

describe('train HTML report', () => {
  it('plots the loss of every epoch, both metrics where evaluated, and a rule at the kept epoch', () => {
    const spec = trainingCurvesSpec(base) as unknown as { vconcat: Panel[] };
    expect(spec.vconcat).toHaveLength(2);
    expect(spec.vconcat[0].data?.values).toEqual([
      { epoch: 1, loss: 0.6 },
      { epoch: 2, loss: 0.4 },
      { epoch: 3, loss: 0.3 },
    ]);
    const [lines, rule] = spec.vconcat[1].layer ?? [];
    expect(lines.data.values).toEqual([
      { epoch: 2, metric: 'HR@10', value: 0.5 },
      { epoch: 2, metric: 'NDCG@10', value: 0.25 },
      { epoch: 3, metric: 'HR@10', value: 0.4 },
      { epoch: 3, metric: 'NDCG@10', value: 0.2 },
    ]);
    expect(rule.mark.type).toBe('rule');
    expect(rule.data.values).toEqual([{ epoch: 2 }]);
  });

  it('plots only what there is: no metric panel without --eval-every, nothing without a loss either', () => {
    const untracked = { ...base, tracking: null, earlyStopping: null };
    untracked.history = base.history.map(({ epoch, loss, seconds, learningRate }) => ({
      epoch,
      loss,
      seconds,
      learningRate,
    }));
    expect((trainingCurvesSpec(untracked) as unknown as { vconcat: Panel[] }).vconcat).toHaveLength(1);
    const lossless = { ...untracked, history: untracked.history.map((epoch) => ({ ...epoch, loss: null })) };
    expect(trainingCurvesSpec(lossless)).toBeUndefined();
  });

  it('renders a self-contained page: summary, metrics, curves as inline SVG, every epoch; text escaped', async () => {
    const html = await renderTrainingReportHtml({ ...base, displayName: 'MF-BPR <x>' });
    expect(html).toContain('<h1>MF-BPR &lt;x&gt; on ml-100k</h1>');
    expect(html).toContain('<td>0.2500</td>');
    expect(html).toMatch(/data-chart="curves"[^>]*><svg/);
    expect(html).toContain(
      'early stopping (patience 1): stopped after epoch 3; the model of epoch 2 is the one evaluated below',
    );
    expect(html).toContain('<summary>Every epoch (3)</summary>');
    expect(html).toContain(
      '<tr><td>3</td><td>0.30000</td><td>0.300</td><td>0.010000</td><td>0.4000</td><td>0.2000</td></tr>',
    );
    expect(html).not.toContain('<script');
  });
});
