import type { TopLevelSpec } from 'vega-lite';
import { type CompareReport, compareTables } from '../commands/compare-command.js';
import type { UserInterval } from '../commands/user-interval.js';
import { renderVegaLiteSvg } from './charts.js';
import { escapeHtml, renderTableHtml, reportPage } from './render-report.js';

/** One row of an interval plot: a label, its point estimate and its 95 % interval. */
interface IntervalRow {
  readonly label: string;
  readonly value: number;
  readonly lower: number;
  readonly upper: number;
}

const intervalRow = (label: string, value: number, interval: UserInterval): IntervalRow => ({
  label,
  value,
  lower: interval.lower,
  upper: interval.upper,
});

/** Points with 95 % error bars, one row per label; a dashed rule at 0 for differences. */
function intervalPanel(title: string, rows: readonly IntervalRow[], zeroRule: boolean): object {
  const labels = rows.map((row) => row.label);
  const y = { field: 'label', type: 'nominal', title: null, sort: labels, axis: { labelLimit: 320 } };
  return {
    title: { text: title, anchor: 'start' },
    width: 280,
    height: { step: 28 },
    layer: [
      ...(zeroRule
        ? [
            {
              data: { values: [{ zero: 0 }] },
              mark: { type: 'rule', strokeDash: [4, 4], color: '#57606a' },
              encoding: { x: { field: 'zero', type: 'quantitative' } },
            },
          ]
        : []),
      {
        data: { values: rows },
        mark: { type: 'errorbar', ticks: true, color: '#24292f' },
        encoding: {
          y,
          x: { field: 'lower', type: 'quantitative', title: '95 % interval', scale: { zero: zeroRule } },
          x2: { field: 'upper' },
        },
      },
      {
        data: { values: rows },
        mark: { type: 'point', filled: true, size: 60, color: '#0969da' },
        encoding: { y, x: { field: 'value', type: 'quantitative' } },
      },
    ],
  };
}

/**
 * The interval plots of a `trustrec compare` run: each model's HR@K and NDCG@K with its 95 % bootstrap interval,
 * then each pair's difference with its interval and a rule at 0 (an interval that crosses it is a difference the
 * users evaluated cannot tell from none).
 */
export function compareIntervalsSpec(report: CompareReport): TopLevelSpec {
  const k = report.k;
  const modelLabel = (model: CompareReport['models'][number]) => `${model.file} (${model.displayName})`;
  const pairLabel = (pair: CompareReport['pairs'][number]) => `${pair.a} − ${pair.b}`;
  const models = report.models;
  const pairs = report.pairs;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    vconcat: [
      {
        hconcat: [
          intervalPanel(
            `HR@${k}`,
            models.map((model) => intervalRow(modelLabel(model), model.hr, model.hrInterval)),
            false,
          ),
          intervalPanel(
            `NDCG@${k}`,
            models.map((model) => intervalRow(modelLabel(model), model.ndcg, model.ndcgInterval)),
            false,
          ),
        ],
      },
      {
        hconcat: [
          intervalPanel(
            `HR@${k}, a − b`,
            pairs.map((pair) => intervalRow(pairLabel(pair), pair.hr.difference, pair.hr.interval)),
            true,
          ),
          intervalPanel(
            `NDCG@${k}, a − b`,
            pairs.map((pair) => intervalRow(pairLabel(pair), pair.ndcg.difference, pair.ndcg.interval)),
            true,
          ),
        ],
      },
    ],
  } as unknown as TopLevelSpec;
}

/** The self-contained HTML report of a `trustrec compare` run: the summary, both tables and the interval plots. */
export async function renderCompareReportHtml(report: CompareReport): Promise<string> {
  const tables = compareTables(report);
  const svg = await renderVegaLiteSvg(compareIntervalsSpec(report));
  return reportPage(`Comparing ${report.models.length} models on ${report.dataset}`, [
    `<p class="lead">${escapeHtml(tables.summary)}</p>`,
    renderTableHtml({ id: 'models', title: 'Models', header: tables.models.header, rows: tables.models.rows }),
    renderTableHtml({
      id: 'pairs',
      title: 'Pairs',
      caption: tables.notes.join(' '),
      header: tables.pairs.header,
      rows: tables.pairs.rows,
    }),
    `<section id="intervals"><h2>Intervals</h2><p class="caption">Points: the figure on the ${escapeHtml(report.evaluatedOn)} users; bars: its 95 % bootstrap interval; dashed line: no difference.</p><figure class="figure" data-chart="intervals" aria-label="intervals">${svg}</figure></section>`,
  ]);
}
