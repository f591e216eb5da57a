import type { ExperimentResults } from '../experiments/experiment-results.js';
import { formatTable } from '../output/print-result.js';
import { cleanVersusAttackedSpec, metricVersusEpsilonSpec, renderVegaLiteSvg } from './charts.js';
import { type ReportTable, barEpsilonOf, metricTitle, plotMetricsOf, reportTables } from './report-tables.js';

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** The stylesheet every TrustRec HTML report inlines. */
const REPORT_STYLE = `
:root { color-scheme: light; }
body { font: 14px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1f2328; margin: 0; background: #f6f8fa; }
main { max-width: 1200px; margin: 0 auto; padding: 24px 32px 64px; background: #fff; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 32px 0 8px; border-bottom: 1px solid #d0d7de; padding-bottom: 4px; }
p.lead { color: #57606a; margin: 0 0 16px; }
.caption { color: #57606a; font-size: 12px; margin: 4px 0 8px; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; font-size: 13px; margin: 4px 0 12px; }
th, td { border: 1px solid #d0d7de; padding: 4px 8px; text-align: right; white-space: nowrap; }
th { background: #f6f8fa; font-weight: 600; }
td:first-child, th:first-child { text-align: left; }
tr.published td { color: #57606a; font-style: italic; }
.figure { margin: 12px 0 20px; overflow-x: auto; }
.figure svg { max-width: 100%; height: auto; }
.note { border-left: 3px solid #bf8700; background: #fff8c5; padding: 6px 10px; font-size: 13px; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12px; }
`;

/** A {@link ReportTable} as an HTML section (heading, caption, table). */
export function renderTableHtml(
  table: ReportTable,
  options: { rowClass?: (row: string[]) => string | undefined } = {},
): string {
  const head = `<tr>${table.header.map((cell) => `<th scope="col">${escapeHtml(cell)}</th>`).join('')}</tr>`;
  const body = table.rows
    .map((row) => {
      const rowClass = options.rowClass?.(row);
      return `<tr${rowClass ? ` class="${rowClass}"` : ''}>${row.map((cell) => `<td>${escapeHtml(cell)}</td>`).join('')}</tr>`;
    })
    .join('\n');
  const caption = table.caption ? `<p class="caption">${escapeHtml(table.caption)}</p>` : '';
  return `<section id="${escapeHtml(table.id)}"><h2>${escapeHtml(table.title)}</h2>${caption}<div class="table-wrap"><table data-table="${escapeHtml(table.id)}"><thead>${head}</thead><tbody>${body}</tbody></table></div></section>`;
}

/** One rendered chart: its id, title (for the figure's label) and SVG. */
export interface RenderedChart {
  readonly id: string;
  readonly title: string;
  readonly svg: string;
}

/** The report's charts: metric vs ε per plot metric, the relative drop of the first, and clean-vs-attacked bars. */
export async function renderCharts(results: ExperimentResults): Promise<RenderedChart[]> {
  const conditions = results.aggregates.conditions;
  if (results.config.attacks.length === 0 || conditions.length === 0) return [];
  const metrics = plotMetricsOf(results);
  const charts: RenderedChart[] = [];
  for (const metric of metrics) {
    charts.push({
      id: `epsilon-${metric}`,
      title: `${metricTitle(metric)} vs ε`,
      svg: await renderVegaLiteSvg(metricVersusEpsilonSpec(conditions, metric)),
    });
  }
  if (metrics[0]) {
    charts.push({
      id: `drop-${metrics[0]}`,
      title: `Relative drop of ${metricTitle(metrics[0])}`,
      svg: await renderVegaLiteSvg(metricVersusEpsilonSpec(conditions, metrics[0], { relativeDrop: true })),
    });
  }
  const epsilon = barEpsilonOf(results);
  if (epsilon !== undefined) {
    for (const metric of metrics) {
      charts.push({
        id: `bars-${metric}`,
        title: `${metricTitle(metric)}: clean vs attacked (ε = ${epsilon})`,
        svg: await renderVegaLiteSvg(cleanVersusAttackedSpec(conditions, metric, epsilon)),
      });
    }
  }
  return charts;
}

/**
 * The self-contained report: inline CSS, tables, inline SVG charts (no script, no external resource), so it
 * opens from disk anywhere, including offline.
 */
export async function renderReportHtml(results: ExperimentResults): Promise<string> {
  const tables = reportTables(results);
  const charts = await renderCharts(results);
  const dataset = results.data[0];
  const lead = [
    dataset
      ? `${dataset.dataset}${dataset.synthetic ? ' (synthetic)' : ''}: ${dataset.numUsers} users × ${dataset.numItems} items`
      : results.config.dataset.name,
    `${results.seeds.length} seed${results.seeds.length === 1 ? '' : 's'} (${results.seeds.join(', ')})`,
    `backend ${results.environment.backend}`,
    `finished ${results.finishedAt}`,
  ].join(' · ');
  const figures = charts
    .map(
      (chart) =>
        `<figure class="figure" id="figure-${escapeHtml(chart.id)}" data-chart="${escapeHtml(chart.id)}" aria-label="${escapeHtml(chart.title)}">${chart.svg}</figure>`,
    )
    .join('\n');
  const sections = [
    renderTableHtml(tables.clean),
    ...tables.attacks.map((table) => renderTableHtml(table)),
    charts.length > 0
      ? `<section id="plots"><h2>Plots</h2><p class="caption">Points: mean over seeds; error bars: 95% CI; dashed lines: clean value.</p>${figures}</section>`
      : '',
    tables.significance ? renderTableHtml(tables.significance) : '',
    tables.claims ? renderTableHtml(tables.claims) : '',
    tables.published
      ? `${renderTableHtml(tables.published, { rowClass: (row) => (row[1] === 'published reference, different dataset' ? 'published' : undefined) })}<p class="note">Published reference, different dataset: the published rows are seed 001's numbers on Book-Crossing and Yelp, not a run of this code on ${escapeHtml(results.config.dataset.name)}. Compare trends (APR vs MF-BPR), not values.</p>`
      : '',
    renderTableHtml(tables.data),
    renderTableHtml(tables.run),
  ];
  return reportPage(results.experiment, [
    `<p class="lead">${escapeHtml(results.description ?? '')}</p>`,
    `<p class="lead">${escapeHtml(lead)}</p>`,
    ...sections,
  ]);
}

/**
 * A self-contained TrustRec report page: inline CSS, the title as heading, then the sections (HTML, empty ones
 * dropped). No script and no external resource, so it opens from disk anywhere, including offline.
 */
export function reportPage(title: string, sections: readonly string[]): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(`TrustRec — ${title}`)}</title>
<style>${REPORT_STYLE}</style>
</head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
${sections.filter((section) => section !== '').join('\n')}
</main>
</body>
</html>
`;
}

/** The terminal rendering of the same tables. */
export function renderResultsText(results: ExperimentResults): string {
  const tables = reportTables(results);
  const blocks: string[] = [];
  const add = (table: ReportTable | undefined) => {
    if (!table) return;
    blocks.push(`${table.title}${table.caption ? `\n${table.caption}` : ''}\n${formatTable(table.header, table.rows)}`);
  };
  add(tables.clean);
  for (const table of tables.attacks) add(table);
  add(tables.significance);
  add(tables.claims);
  add(tables.published);
  blocks.push(
    `${results.cache.cells} cells: ${results.cache.computed} computed, ${results.cache.cached} from cache; ${results.timings.totalSeconds.toFixed(1)} s; backend ${results.environment.backend}`,
  );
  blocks.push(`results: ${results.files.results}\nreport:  ${results.files.report}`);
  return blocks.join('\n\n');
}
