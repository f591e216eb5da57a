import { meanWithConfidenceInterval, pairedTTest } from '@trustrec/metrics';
import { type ExperimentConfig, attackLabel, modelLabel } from './experiment-config.js';
import { metricKey } from './experiment-engine.js';
import type { ExperimentRun } from './experiment-runner.js';
import { type EvaluationCellRecord, decodeFloat32, decodeInt32 } from './result-cache.js';

/** Mean over seeds with its 95% Student-t interval (x̄ ± t_{0.975, n−1} · s/√n); interval null with one seed. */
export interface SeedSummary {
  readonly mean: number;
  readonly lower: number | null;
  readonly upper: number | null;
  readonly halfWidth: number | null;
  readonly standardDeviation: number | null;
  readonly n: number;
  /** One value per seed, in `seeds` order. */
  readonly values: number[];
}

/** One model under one condition (clean, or one attack at one ε). */
export interface ConditionSummary {
  readonly model: string;
  readonly modelLabel: string;
  /** null: clean. */
  readonly attack: string | null;
  readonly attackLabel: string;
  readonly epsilon: number | null;
  readonly metrics: Record<string, SeedSummary>;
  /** Relative drop vs the same seed's clean value, (clean − attacked) / clean, summarised over seeds; null when clean. */
  readonly relativeDrop: Record<string, SeedSummary> | null;
}

export interface PairedTestSummary {
  readonly n: number;
  readonly meanDifference: number;
  readonly statistic: number;
  readonly degreesOfFreedom: number;
  readonly pValue: number;
}

/** Model vs baseline on one metric under one condition. */
export interface ComparisonSummary {
  readonly model: string;
  readonly baseline: string;
  readonly metric: string;
  readonly attack: string | null;
  readonly epsilon: number | null;
  /** Which test: a two-sided paired t-test over the users of each seed's test split (model − baseline). */
  readonly perSeedTest: 'paired t-test over users, per seed (two-sided)';
  readonly perSeed: (PairedTestSummary & { readonly seed: number })[];
  /** A two-sided paired t-test over the per-seed means (n = seeds); null with fewer than 2 seeds. */
  readonly acrossSeeds: (PairedTestSummary & { readonly test: 'paired t-test over per-seed means (two-sided)' }) | null;
}

export interface ExperimentAggregates {
  readonly metricKeys: string[];
  readonly conditions: ConditionSummary[];
  readonly comparisons: ComparisonSummary[];
}

/** Summarises per-seed values; an interval needs at least 2 seeds. */
export function summarizeSeeds(values: number[]): SeedSummary {
  if (values.length >= 2) {
    const interval = meanWithConfidenceInterval(values, { confidenceLevel: 0.95 });
    return {
      mean: interval.mean,
      lower: interval.lower,
      upper: interval.upper,
      halfWidth: interval.halfWidth,
      standardDeviation: interval.standardDeviation,
      n: values.length,
      values,
    };
  }
  return {
    mean: values[0] ?? Number.NaN,
    lower: null,
    upper: null,
    halfWidth: null,
    standardDeviation: null,
    n: values.length,
    values,
  };
}

/** The metric keys of a configuration in report order: hr@k…, ndcg@k…, then auc. */
export function configuredMetricKeys(config: ExperimentConfig): string[] {
  return [...config.metrics.names.flatMap((name) => config.metrics.ks.map((k) => metricKey(name, k))), 'auc'];
}

function conditionId(attack: string | null, epsilon: number | null): string {
  return attack === null ? 'clean' : `${attack}@${epsilon}`;
}

function toTestSummary(result: ReturnType<typeof pairedTTest>): PairedTestSummary {
  return {
    n: result.n,
    meanDifference: result.meanDifference,
    statistic: result.statistic,
    degreesOfFreedom: result.degreesOfFreedom,
    pValue: result.pValue,
  };
}

/** Per-user values of one cell, keyed by user, restricted to users present in `other` (normally identical sets). */
function pairPerUser(
  a: EvaluationCellRecord,
  b: EvaluationCellRecord,
  key: string,
): { a: Float64Array; b: Float64Array } | undefined {
  const aValues = a.perUser?.values[key];
  const bValues = b.perUser?.values[key];
  if (!a.perUser || !b.perUser || !aValues || !bValues) return undefined;
  const aUsers = decodeInt32(a.perUser.users);
  const bUsers = decodeInt32(b.perUser.users);
  const aArray = decodeFloat32(aValues);
  const bArray = decodeFloat32(bValues);
  const position = new Map<number, number>();
  for (let index = 0; index < bUsers.length; index++) position.set(bUsers[index], index);
  const left: number[] = [];
  const right: number[] = [];
  aUsers.forEach((user, index) => {
    const at = position.get(user);
    if (at !== undefined) {
      left.push(aArray[index]);
      right.push(bArray[at]);
    }
  });
  return { a: Float64Array.from(left), b: Float64Array.from(right) };
}

/**
 * Aggregation per model × condition: every metric as mean ± 95% CI over seeds, the relative drop under attack
 * vs clean (per seed, then summarised), and, per configured comparison (default APR vs MF-BPR on NDCG at the
 * largest k), paired t-tests on per-user values for every seed and on per-seed means across seeds.
 */
export function aggregateResults(
  config: ExperimentConfig,
  run: Pick<ExperimentRun, 'evaluations'>,
): ExperimentAggregates {
  const metricKeys = configuredMetricKeys(config);
  const cells = new Map<string, EvaluationCellRecord>();
  for (const cell of run.evaluations)
    cells.set(`${cell.model}|${conditionId(cell.attack, cell.epsilon)}|${cell.seed}`, cell);
  const cell = (model: string, attack: string | null, epsilon: number | null, seed: number) =>
    cells.get(`${model}|${conditionId(attack, epsilon)}|${seed}`);

  const conditionsOrder: { attack: string | null; attackLabel: string; epsilon: number | null }[] = [
    { attack: null, attackLabel: 'clean', epsilon: null },
  ];
  for (const attack of config.attacks) {
    for (const epsilon of attack.epsilons)
      conditionsOrder.push({ attack: attack.id, attackLabel: attackLabel(attack), epsilon });
  }

  const conditions: ConditionSummary[] = [];
  for (const model of config.models) {
    for (const condition of conditionsOrder) {
      const seeds = config.seeds.filter(
        (seed) => cell(model.id, condition.attack, condition.epsilon, seed) !== undefined,
      );
      if (seeds.length === 0) continue;
      const metrics: Record<string, SeedSummary> = {};
      const relativeDrop: Record<string, SeedSummary> = {};
      for (const key of metricKeys) {
        metrics[key] = summarizeSeeds(
          seeds.map((seed) => cell(model.id, condition.attack, condition.epsilon, seed)?.metrics[key] ?? Number.NaN),
        );
        if (condition.attack !== null) {
          const drops = seeds.flatMap((seed) => {
            const clean = cell(model.id, null, null, seed)?.metrics[key];
            const attacked = cell(model.id, condition.attack, condition.epsilon, seed)?.metrics[key];
            return clean === undefined || attacked === undefined || clean === 0 ? [] : [(clean - attacked) / clean];
          });
          if (drops.length > 0) relativeDrop[key] = summarizeSeeds(drops);
        }
      }
      conditions.push({
        model: model.id,
        modelLabel: modelLabel(model),
        attack: condition.attack,
        attackLabel: condition.attackLabel,
        epsilon: condition.epsilon,
        metrics,
        relativeDrop: condition.attack === null ? null : relativeDrop,
      });
    }
  }

  const comparisons: ComparisonSummary[] = [];
  for (const comparison of config.comparisons) {
    const key = metricKey(comparison.metric, comparison.k);
    for (const condition of conditionsOrder) {
      const perSeed: ComparisonSummary['perSeed'] = [];
      const modelMeans: number[] = [];
      const baselineMeans: number[] = [];
      for (const seed of config.seeds) {
        const a = cell(comparison.model, condition.attack, condition.epsilon, seed);
        const b = cell(comparison.baseline, condition.attack, condition.epsilon, seed);
        if (!a || !b) continue;
        modelMeans.push(a.metrics[key]);
        baselineMeans.push(b.metrics[key]);
        const paired = pairPerUser(a, b, key);
        if (paired && paired.a.length >= 2) perSeed.push({ seed, ...toTestSummary(pairedTTest(paired.a, paired.b)) });
      }
      if (modelMeans.length === 0) continue;
      comparisons.push({
        model: comparison.model,
        baseline: comparison.baseline,
        metric: key,
        attack: condition.attack,
        epsilon: condition.epsilon,
        perSeedTest: 'paired t-test over users, per seed (two-sided)',
        perSeed,
        acrossSeeds:
          modelMeans.length >= 2
            ? {
                test: 'paired t-test over per-seed means (two-sided)',
                ...toTestSummary(pairedTTest(modelMeans, baselineMeans)),
              }
            : null,
      });
    }
  }
  return { metricKeys, conditions, comparisons };
}
