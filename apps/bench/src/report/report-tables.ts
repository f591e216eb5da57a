import type { ComparisonSummary, ConditionSummary, SeedSummary } from '../experiments/aggregate-results.js';
import type { ExperimentResults } from '../experiments/experiment-results.js';
import { type ModelSpec, modelLabel } from '../experiments/experiment-config.js';

/** A table shared by the HTML report and the terminal rendering. */
export interface ReportTable {
  readonly id: string;
  readonly title: string;
  readonly caption?: string;
  readonly header: string[];
  readonly rows: string[][];
}

export function metricTitle(key: string): string {
  if (key === 'auc') return 'AUC';
  const [name, k] = key.split('@');
  const names: Record<string, string> = {
    hr: 'HR',
    ndcg: 'NDCG',
    precision: 'Precision',
    recall: 'Recall',
    mrr: 'MRR',
    map: 'MAP',
  };
  return `${names[name] ?? name}@${k}`;
}

/** `0.4123 ± 0.0051` (95% CI half-width), or the bare mean with one seed. */
export function formatSummary(summary: SeedSummary | undefined, digits = 4): string {
  if (!summary || !Number.isFinite(summary.mean)) return '—';
  return summary.halfWidth === null
    ? summary.mean.toFixed(digits)
    : `${summary.mean.toFixed(digits)} ± ${summary.halfWidth.toFixed(digits)}`;
}

/** `12.3% ± 1.1` for relative drops. */
export function formatPercentSummary(summary: SeedSummary | undefined): string {
  if (!summary || !Number.isFinite(summary.mean)) return '—';
  const mean = `${(100 * summary.mean).toFixed(1)}%`;
  return summary.halfWidth === null ? mean : `${mean} ± ${(100 * summary.halfWidth).toFixed(1)}`;
}

export function formatPValue(p: number): string {
  if (!Number.isFinite(p)) return '—';
  return p < 1e-4 ? p.toExponential(1) : p.toFixed(4);
}

/** The metrics shown in the attack tables and plots: configured `report.plotMetrics`, else NDCG and HR at the largest k. */
export function plotMetricsOf(results: ExperimentResults): string[] {
  const configured = results.config.report.plotMetrics;
  if (configured && configured.length > 0) return configured;
  const ks = results.config.metrics.ks;
  const k = ks[ks.length - 1];
  return ['ndcg', 'hr']
    .filter((name) => results.config.metrics.names.includes(name as never))
    .map((name) => `${name}@${k}`);
}

/** ε of the clean-vs-attacked bars: configured, else 0.5 when present, else the middle of the first attack's grid. */
export function barEpsilonOf(results: ExperimentResults): number | undefined {
  if (results.config.report.barEpsilon !== undefined) return results.config.report.barEpsilon;
  const epsilons = [...new Set(results.config.attacks.flatMap((attack) => attack.epsilons))].sort((a, b) => a - b);
  if (epsilons.length === 0) return undefined;
  return epsilons.includes(0.5) ? 0.5 : epsilons[Math.floor(epsilons.length / 2)];
}

function seedNote(results: ExperimentResults): string {
  const n = results.seeds.length;
  return n >= 2
    ? `mean ± 95% CI half-width over ${n} seeds (Student t, ${n - 1} degrees of freedom)`
    : 'one seed: no confidence interval';
}

export function cleanTable(results: ExperimentResults): ReportTable {
  const keys = results.aggregates.metricKeys;
  const rows = results.aggregates.conditions
    .filter((condition) => condition.attack === null)
    .map((condition) => [condition.modelLabel, ...keys.map((key) => formatSummary(condition.metrics[key]))]);
  return {
    id: 'clean',
    title: 'Clean performance',
    caption: `Full ranking over all items not in the user's training set; ${seedNote(results)}.`,
    header: ['model', ...keys.map(metricTitle)],
    rows,
  };
}

/** One table per attack: each model at each ε, the plot metrics and AUC with their relative drop vs clean. */
export function attackTables(results: ExperimentResults): ReportTable[] {
  const metrics = [...plotMetricsOf(results), 'auc'];
  return results.config.attacks.map((attack) => {
    const conditions = results.aggregates.conditions.filter((condition) => condition.attack === attack.id);
    const rows = conditions.map((condition: ConditionSummary) => [
      condition.modelLabel,
      String(condition.epsilon),
      ...metrics.flatMap((key) => [
        formatSummary(condition.metrics[key]),
        formatPercentSummary(condition.relativeDrop?.[key]),
      ]),
    ]);
    const label = conditions[0]?.attackLabel ?? attack.id;
    return {
      id: `attack-${attack.id}`,
      title: `Under ${label} perturbation (target: ${attack.target} embeddings)`,
      caption: `Relative drop = (clean − attacked) / clean per seed, then ${seedNote(results)}.`,
      header: ['model', 'ε', ...metrics.flatMap((key) => [metricTitle(key), `drop ${metricTitle(key)}`])],
      rows,
    };
  });
}

function conditionLabel(results: ExperimentResults, comparison: ComparisonSummary): string {
  if (comparison.attack === null) return 'clean';
  const label =
    results.aggregates.conditions.find((condition) => condition.attack === comparison.attack)?.attackLabel ??
    comparison.attack;
  return `${label} ε=${comparison.epsilon}`;
}

function modelName(results: ExperimentResults, id: string): string {
  return results.aggregates.conditions.find((condition) => condition.model === id)?.modelLabel ?? id;
}

export function comparisonTable(results: ExperimentResults): ReportTable | undefined {
  const comparisons = results.aggregates.comparisons;
  if (comparisons.length === 0) return undefined;
  const rows = comparisons.map((comparison) => [
    `${modelName(results, comparison.model)} vs ${modelName(results, comparison.baseline)}`,
    conditionLabel(results, comparison),
    metricTitle(comparison.metric),
    comparison.perSeed
      .map(
        (test) =>
          `s${test.seed}: Δ=${test.meanDifference >= 0 ? '+' : ''}${test.meanDifference.toFixed(4)} t=${test.statistic.toFixed(2)} p=${formatPValue(test.pValue)}`,
      )
      .join('; ') || '—',
    comparison.acrossSeeds
      ? `Δ=${comparison.acrossSeeds.meanDifference >= 0 ? '+' : ''}${comparison.acrossSeeds.meanDifference.toFixed(4)} t=${comparison.acrossSeeds.statistic.toFixed(2)} p=${formatPValue(comparison.acrossSeeds.pValue)}`
      : '— (needs ≥ 2 seeds)',
  ]);
  return {
    id: 'significance',
    title: 'Paired t-tests',
    caption:
      'Per seed: two-sided paired t-test over the test users of that seed (per-user values of model − baseline, same split). ' +
      'Across seeds: two-sided paired t-test over the per-seed means (n = seeds).',
    header: [
      'comparison',
      'condition',
      'metric',
      'per seed (paired over users)',
      'across seeds (paired over seed means)',
    ],
    rows,
  };
}

/** The published table(s) with our clean MF-BPR and APR rows beside them, clearly labelled. */
export function publishedTable(results: ExperimentResults): ReportTable | undefined {
  const reference = results.published;
  if (!reference) return undefined;
  const columns = reference.tables[0]?.columns ?? [];
  const rows: string[][] = [];
  for (const table of reference.tables) {
    for (const row of table.rows) {
      rows.push([
        `${table.dataset} (${table.source})`,
        'published reference, different dataset',
        row.method,
        ...columns.map((column) => row.values[column]?.toFixed(4) ?? '—'),
      ]);
    }
  }
  const datasetName = results.data[0]?.dataset ?? results.config.dataset.name;
  for (const model of results.config.models) {
    const clean = results.aggregates.conditions.find(
      (condition) => condition.model === model.id && condition.attack === null,
    );
    if (!clean) continue;
    rows.push([
      datasetName,
      `this run (${results.seeds.length} seed${results.seeds.length === 1 ? '' : 's'})`,
      clean.modelLabel,
      ...columns.map((column) => formatSummary(clean.metrics[column])),
    ]);
  }
  return {
    id: 'published',
    title: reference.title,
    caption: reference.note,
    header: ['dataset', 'source', 'method', ...columns.map(metricTitle)],
    rows,
  };
}

function percent(value: number | undefined): string {
  return value === undefined || !Number.isFinite(value) ? '—' : `${value >= 0 ? '+' : ''}${(100 * value).toFixed(1)}%`;
}

/**
 * The (APR, MF-BPR) pairs the claims are checked on: the config's comparisons whose model is an `apr` entry
 * (each pair once), else the first `apr` model against the first `bpr` model.
 */
function defenseBaselinePairs(config: ExperimentResults['config']): { apr: ModelSpec; bpr: ModelSpec }[] {
  const byId = new Map(config.models.map((model) => [model.id, model]));
  const pairs: { apr: ModelSpec; bpr: ModelSpec }[] = [];
  const seen = new Set<string>();
  for (const comparison of config.comparisons) {
    const apr = byId.get(comparison.model);
    const bpr = byId.get(comparison.baseline);
    const key = `${comparison.model}\u0000${comparison.baseline}`;
    if (!apr || !bpr || apr.kind !== 'apr' || seen.has(key)) continue;
    seen.add(key);
    pairs.push({ apr, bpr });
  }
  if (pairs.length > 0) return pairs;
  const apr = config.models.find((model) => model.kind === 'apr');
  const bpr = config.models.find((model) => model.kind === 'bpr');
  return apr && bpr ? [{ apr, bpr }] : [];
}

/**
 * The claims of seed 001 / the issue's "done when", measured on this run (means over seeds): APR's clean
 * HR@100 / NDCG@100 vs MF-BPR's (seed 001: +2–6 %), APR losing at most half of MF-BPR's relative NDCG@100
 * under FGSM at ε = 0.5 and 1, and FGSM hurting more than random perturbation of the same norm (§5.3). The
 * table reports what was measured; it is not tuned to agree.
 */
export function claimsTable(results: ExperimentResults): ReportTable | undefined {
  const { config, aggregates } = results;
  const ks = config.metrics.ks;
  const k = ks.includes(100) ? 100 : ks[ks.length - 1];
  const condition = (model: string, attack: string | null, epsilon: number | null) =>
    aggregates.conditions.find(
      (entry) => entry.model === model && entry.attack === attack && entry.epsilon === epsilon,
    );
  const rows: string[][] = [];
  const verdict = (holds: boolean | undefined) => (holds === undefined ? '—' : holds ? 'yes' : 'no');
  for (const { apr, bpr } of defenseBaselinePairs(config)) {
    const names = `${modelLabel(apr)} vs ${modelLabel(bpr)}`;
    for (const name of ['hr', 'ndcg']) {
      const key = `${name}@${k}`;
      const a = condition(apr.id, null, null)?.metrics[key]?.mean;
      const b = condition(bpr.id, null, null)?.metrics[key]?.mean;
      const change = a !== undefined && b !== undefined && b !== 0 ? (a - b) / b : undefined;
      rows.push([
        `${names}, clean ${metricTitle(key)}: APR not worse than MF-BPR (seed 001: +2–6 %)`,
        `APR ${a?.toFixed(4) ?? '—'} vs MF-BPR ${b?.toFixed(4) ?? '—'} (${percent(change)})`,
        verdict(change === undefined ? undefined : change >= 0),
      ]);
    }
    const fgsm = config.attacks.find((attack) => attack.kind === 'fgsm');
    for (const epsilon of fgsm ? fgsm.epsilons.filter((value) => value === 0.5 || value === 1) : []) {
      const key = `ndcg@${k}`;
      const a = condition(apr.id, fgsm?.id ?? null, epsilon)?.relativeDrop?.[key]?.mean;
      const b = condition(bpr.id, fgsm?.id ?? null, epsilon)?.relativeDrop?.[key]?.mean;
      rows.push([
        `${names}, FGSM ε=${epsilon}: APR loses at most half of MF-BPR's relative ${metricTitle(key)}`,
        `APR drop ${percent(a)} vs MF-BPR drop ${percent(b)}${a !== undefined && b !== undefined && b !== 0 ? ` (ratio ${(a / b).toFixed(2)})` : ''}`,
        verdict(a === undefined || b === undefined ? undefined : a <= b / 2),
      ]);
    }
  }
  const random = config.attacks.find((attack) => attack.kind === 'random');
  const fgsm = config.attacks.find((attack) => attack.kind === 'fgsm');
  if (random && fgsm) {
    const key = `ndcg@${k}`;
    const shared = fgsm.epsilons.filter((epsilon) => random.epsilons.includes(epsilon));
    for (const model of config.models.filter((entry) => entry.kind === 'bpr' || entry.kind === 'apr')) {
      for (const epsilon of shared) {
        const adversarial = condition(model.id, fgsm.id, epsilon)?.relativeDrop?.[key]?.mean;
        const noise = condition(model.id, random.id, epsilon)?.relativeDrop?.[key]?.mean;
        const label = condition(model.id, null, null)?.modelLabel ?? model.id;
        rows.push([
          `${label}, ε=${epsilon}: FGSM hurts more than random noise of the same norm (seed 001 §5.3)`,
          `FGSM drop ${percent(adversarial)} vs random drop ${percent(noise)} (${metricTitle(key)})`,
          verdict(adversarial === undefined || noise === undefined ? undefined : adversarial > noise),
        ]);
      }
    }
  }
  if (rows.length === 0) return undefined;
  return {
    id: 'claims',
    title: 'Seed 001 claims, measured on this run',
    caption: `Means over ${results.seeds.length} seed${results.seeds.length === 1 ? '' : 's'}; drops are relative to the same model's clean value. "no" is a finding, not a failure of the run.`,
    header: ['claim', 'measured', 'holds'],
    rows,
  };
}

export function dataTable(results: ExperimentResults): ReportTable {
  return {
    id: 'data',
    title: 'Data and splits',
    header: ['seed', 'dataset', 'users', 'items', 'train', 'test', 'split'],
    rows: results.data.map((entry) => [
      String(entry.seed),
      `${entry.dataset}${entry.synthetic ? ' (synthetic)' : ''}`,
      String(entry.numUsers),
      String(entry.numItems),
      String(entry.trainInteractions),
      String(entry.testInteractions),
      entry.split,
    ]),
  };
}

export function runTable(results: ExperimentResults): ReportTable {
  const versions = Object.entries(results.environment.versions)
    .map(([name, version]) => `${name} ${version ?? 'n/a'}`)
    .join(', ');
  return {
    id: 'run',
    title: 'Run',
    header: ['field', 'value'],
    rows: [
      ['experiment', results.experiment],
      ['config hash (sha256)', results.configHash],
      ['config file', results.configFile ?? '(given inline)'],
      ['seeds', results.seeds.join(', ')],
      [
        'backend',
        `${results.environment.backend}${results.environment.backendSource ? ` (${results.environment.backendSource})` : ''}`,
      ],
      ['node / platform', `${results.environment.node} / ${results.environment.platform}`],
      ['versions', `trustrec CLI ${results.environment.cli}; ${versions}`],
      [
        'cells',
        `${results.cache.cells} (${results.cache.computed} computed, ${results.cache.cached} from cache, ${results.cache.modelsLoaded} models loaded)`,
      ],
      [
        'time (this run)',
        `${results.timings.runSeconds.toFixed(1)} s for the cells (training ${results.timings.trainingSeconds.toFixed(1)} s, attacks + evaluation ${results.timings.evaluationSeconds.toFixed(1)} s; cached cells cost nothing; all cells when computed: training ${results.timings.cumulativeTrainingSeconds.toFixed(1)} s, attacks + evaluation ${results.timings.cumulativeEvaluationSeconds.toFixed(1)} s)`,
      ],
      ['started / finished', `${results.startedAt} / ${results.finishedAt}`],
    ],
  };
}

/** Every table of the report, in order. */
export function reportTables(results: ExperimentResults): {
  clean: ReportTable;
  attacks: ReportTable[];
  significance?: ReportTable;
  claims?: ReportTable;
  published?: ReportTable;
  data: ReportTable;
  run: ReportTable;
} {
  return {
    clean: cleanTable(results),
    attacks: attackTables(results),
    significance: comparisonTable(results),
    claims: claimsTable(results),
    published: publishedTable(results),
    data: dataTable(results),
    run: runTable(results),
  };
}
