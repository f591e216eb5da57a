import type { TopLevelSpec } from 'vega-lite';
import { type TrainReport, trainMetricsTable, trainSummary } from '../commands/train-command.js';
import { renderVegaLiteSvg } from './charts.js';
import { escapeHtml, renderTableHtml, reportPage } from './render-report.js';

/**
 * The training curves of a `trustrec train` run: the mean training loss per epoch and, where `--eval-every`
 * evaluated, HR@10 and NDCG@10 per epoch, with the kept epoch marked when early stopping chose one. Undefined when
 * there is nothing to plot (no loss and no evaluation).
 */
export function trainingCurvesSpec(report: TrainReport): TopLevelSpec | undefined {
  const losses = report.history.flatMap((epoch) =>
    epoch.loss === null ? [] : [{ epoch: epoch.epoch, loss: epoch.loss }],
  );
  const metrics = report.history.flatMap((epoch) =>
    epoch.ndcg10 === undefined || epoch.hr10 === undefined
      ? []
      : [
          { epoch: epoch.epoch, metric: 'HR@10', value: epoch.hr10 },
          { epoch: epoch.epoch, metric: 'NDCG@10', value: epoch.ndcg10 },
        ],
  );
  const epochAxis = { field: 'epoch', type: 'quantitative', title: 'epoch', axis: { tickMinStep: 1 } };
  const panels: object[] = [];
  if (losses.length > 0) {
    panels.push({
      title: { text: 'mean training loss per epoch', anchor: 'start' },
      data: { values: losses },
      width: 560,
      height: 180,
      mark: { type: 'line', point: losses.length <= 60 },
      encoding: {
        x: epochAxis,
        y: { field: 'loss', type: 'quantitative', title: 'loss', scale: { zero: false } },
      },
    });
  }
  if (metrics.length > 0) {
    const kept = report.earlyStopping?.bestEpoch;
    panels.push({
      title: { text: `HR@10 and NDCG@10 on the ${report.evaluatedOn} interactions`, anchor: 'start' },
      width: 560,
      height: 180,
      layer: [
        {
          data: { values: metrics },
          mark: { type: 'line', point: true },
          encoding: {
            x: epochAxis,
            y: { field: 'value', type: 'quantitative', title: 'value', scale: { zero: false } },
            color: { field: 'metric', type: 'nominal', title: null },
          },
        },
        ...(kept === undefined
          ? []
          : [
              {
                data: { values: [{ epoch: kept }] },
                mark: { type: 'rule', strokeDash: [4, 4], color: '#57606a' },
                encoding: { x: { field: 'epoch', type: 'quantitative' } },
              },
            ]),
      ],
    });
  }
  if (panels.length === 0) return undefined;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    vconcat: panels,
  } as unknown as TopLevelSpec;
}

const formatNumber = (value: number | null | undefined, digits: number): string =>
  value === null || value === undefined || !Number.isFinite(value) ? '' : value.toFixed(digits);

/**
 * The self-contained HTML report of a `trustrec train` run (inline CSS and SVG, no script): the summary, the
 * metrics table with its interval and published rows, the training curves, and every epoch in a table.
 */
export async function renderTrainingReportHtml(report: TrainReport): Promise<string> {
  const { title, split, lines } = trainSummary(report);
  const summary = [split, ...lines];
  const metrics = trainMetricsTable(report);
  const spec = trainingCurvesSpec(report);
  const svg = spec ? await renderVegaLiteSvg(spec) : undefined;
  const epochs = renderTableHtml({
    id: 'epochs',
    title: 'Every epoch',
    caption: `Training loss and seconds per epoch${report.tracking ? `; HR@10 and NDCG@10 on the ${report.evaluatedOn} interactions where evaluated` : ''}.`,
    header: ['epoch', 'loss', 'seconds', 'learning rate', 'HR@10', 'NDCG@10'],
    rows: report.history.map((epoch) => [
      String(epoch.epoch),
      formatNumber(epoch.loss, 5),
      formatNumber(epoch.seconds, 3),
      formatNumber(epoch.learningRate, 6),
      formatNumber(epoch.hr10, 4),
      formatNumber(epoch.ndcg10, 4),
    ]),
  });
  const sections = [
    `<section id="run">${summary.map((line) => `<p class="lead">${escapeHtml(line)}</p>`).join('\n')}</section>`,
    renderTableHtml({
      id: 'metrics',
      title: `Metrics on the ${report.evaluatedOn} interactions`,
      caption: metrics.notes.join(' · '),
      header: metrics.header,
      rows: metrics.rows,
    }),
    svg
      ? `<section id="curves"><h2>Training curves</h2>${report.earlyStopping ? `<p class="caption">Dashed line: epoch ${report.earlyStopping.bestEpoch}, the best on validation NDCG@10, which early stopping kept.</p>` : ''}<figure class="figure" data-chart="curves" aria-label="training curves">${svg}</figure></section>`
      : '',
    `<details><summary>Every epoch (${report.history.length})</summary>${epochs}</details>`,
    report.saved ? `<p class="caption">Model saved to <code>${escapeHtml(report.saved)}</code>.</p>` : '',
  ];
  return reportPage(title, sections);
}
