import * as vega from 'vega';
import { type TopLevelSpec, compile } from 'vega-lite';
import type { ConditionSummary } from '../experiments/aggregate-results.js';

/**
 * Charts of the report, described in Vega-Lite and rendered to SVG strings in Node (Vega's headless
 * `renderer: 'none'` view: no browser, no canvas), so report.html embeds them inline and needs nothing else.
 */

const FONT = 'system-ui, -apple-system, "Segoe UI", sans-serif';
const CONFIG = {
  font: FONT,
  view: { stroke: '#d0d7de' },
  axis: { labelFontSize: 11, titleFontSize: 12, gridColor: '#eaeef2' },
  legend: { labelFontSize: 11, titleFontSize: 12, orient: 'bottom' },
  header: { labelFontSize: 12, titleFontSize: 12 },
  range: { category: ['#0969da', '#cf222e', '#1a7f37', '#8250df', '#bf8700', '#57606a', '#e16f24', '#218bff'] },
} as const;

/** Renders a Vega-Lite spec to an SVG string. */
export async function renderVegaLiteSvg(spec: TopLevelSpec): Promise<string> {
  // Vega-Lite's optimizer warns about its own pass count; nothing for the reader, so its logger is silenced.
  const compiled = compile({ ...spec, config: { ...CONFIG, ...(spec.config ?? {}) } } as TopLevelSpec, {
    logger: vega.logger(vega.None),
  }).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', logLevel: vega.Warn });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

function metricTitle(key: string): string {
  if (key === 'auc') return 'AUC';
  const [name, k] = key.split('@');
  return `${name === 'hr' ? 'HR' : name === 'ndcg' ? 'NDCG' : name.toUpperCase()}@${k}`;
}

/**
 * Metric vs ε, one panel per attack, one line per model (mean over seeds, error bars = 95% CI), with each
 * model's clean value as a dashed horizontal rule.
 */
export function metricVersusEpsilonSpec(
  conditions: readonly ConditionSummary[],
  metric: string,
  options: { relativeDrop?: boolean } = {},
): TopLevelSpec {
  const attacked = conditions.filter((condition) => condition.attack !== null);
  const points = attacked.flatMap((condition) => {
    const summary = options.relativeDrop ? condition.relativeDrop?.[metric] : condition.metrics[metric];
    if (!summary) return [];
    return [
      {
        attack: condition.attackLabel,
        model: condition.modelLabel,
        epsilon: condition.epsilon,
        value: summary.mean,
        lower: summary.lower ?? summary.mean,
        upper: summary.upper ?? summary.mean,
      },
    ];
  });
  const attacks = [...new Set(attacked.map((condition) => condition.attackLabel))];
  // Models in configuration order (legend and colours), not alphabetical.
  const models = [...new Set(conditions.map((condition) => condition.modelLabel))];
  const color = { field: 'model', type: 'nominal', title: 'model', scale: { domain: models }, sort: models };
  const clean = options.relativeDrop
    ? []
    : attacks.flatMap((attack) =>
        conditions
          .filter((condition) => condition.attack === null && condition.metrics[metric])
          .map((condition) => ({ attack, model: condition.modelLabel, value: condition.metrics[metric].mean })),
      );
  const yTitle = options.relativeDrop
    ? `relative drop of ${metricTitle(metric)} vs clean`
    : `${metricTitle(metric)} (mean ± 95% CI)`;
  const yFormat = options.relativeDrop ? '.0%' : '.3f';
  const attackedFilter = { filter: "datum.kind === 'attacked'" };
  const layers: unknown[] = [
    {
      transform: [attackedFilter],
      mark: { type: 'line', point: { filled: true, size: 40 }, strokeWidth: 2 },
      encoding: {
        x: {
          field: 'epsilon',
          type: 'quantitative',
          scale: { type: 'log' },
          title: 'ε (L2 norm per embedding row)',
          axis: { values: [...new Set(points.map((point) => point.epsilon))] },
        },
        y: { field: 'value', type: 'quantitative', title: yTitle, axis: { format: yFormat }, scale: { zero: false } },
        color,
      },
    },
    {
      transform: [attackedFilter],
      mark: { type: 'errorbar', ticks: true },
      encoding: {
        x: { field: 'epsilon', type: 'quantitative', scale: { type: 'log' } },
        y: { field: 'lower', type: 'quantitative', title: yTitle },
        y2: { field: 'upper' },
        color,
      },
    },
  ];
  if (clean.length > 0) {
    layers.push({
      transform: [{ filter: "datum.kind === 'clean'" }],
      mark: { type: 'rule', strokeDash: [4, 3], opacity: 0.7 },
      encoding: { y: { field: 'value', type: 'quantitative', title: yTitle }, color },
    });
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: {
      text: options.relativeDrop
        ? `Relative drop of ${metricTitle(metric)} under attack`
        : `${metricTitle(metric)} vs ε (dashed: clean)`,
      anchor: 'start',
    },
    data: {
      values: [
        ...points.map((point) => ({ kind: 'attacked', ...point })),
        ...clean.map((row) => ({ kind: 'clean', ...row })),
      ],
    },
    facet: { column: { field: 'attack', type: 'nominal', title: null, sort: attacks } },
    spec: { width: 220, height: 180, layer: layers },
    resolve: { scale: { y: 'shared' } },
  } as unknown as TopLevelSpec;
}

/** Clean vs attacked bars: per model, the clean value and each attack's value at one ε (error bars = 95% CI). */
export function cleanVersusAttackedSpec(
  conditions: readonly ConditionSummary[],
  metric: string,
  epsilon: number,
): TopLevelSpec {
  const rows = conditions
    .filter((condition) => condition.attack === null || condition.epsilon === epsilon)
    .flatMap((condition) => {
      const summary = condition.metrics[metric];
      if (!summary) return [];
      const label = condition.attack === null ? 'clean' : `${condition.attackLabel} ε=${epsilon}`;
      return [
        {
          model: condition.modelLabel,
          condition: label,
          value: summary.mean,
          lower: summary.lower ?? summary.mean,
          upper: summary.upper ?? summary.mean,
        },
      ];
    });
  const order = [...new Set(rows.map((row) => row.condition))];
  const models = [...new Set(rows.map((row) => row.model))];
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: { text: `${metricTitle(metric)}: clean vs attacked at ε = ${epsilon}`, anchor: 'start' },
    data: { values: rows },
    width: { step: 16 },
    height: 200,
    layer: [
      {
        mark: { type: 'bar' },
        encoding: {
          x: { field: 'model', type: 'nominal', title: null, sort: models, axis: { labelAngle: 0 } },
          xOffset: { field: 'condition', sort: order },
          y: { field: 'value', type: 'quantitative', title: `${metricTitle(metric)} (mean ± 95% CI)` },
          color: { field: 'condition', type: 'nominal', title: 'condition', sort: order },
        },
      },
      {
        mark: { type: 'errorbar', ticks: true, color: '#24292f' },
        encoding: {
          x: { field: 'model', type: 'nominal', sort: models },
          xOffset: { field: 'condition', sort: order },
          y: { field: 'lower', type: 'quantitative', title: `${metricTitle(metric)} (mean ± 95% CI)` },
          y2: { field: 'upper' },
        },
      },
    ],
  } as unknown as TopLevelSpec;
}
