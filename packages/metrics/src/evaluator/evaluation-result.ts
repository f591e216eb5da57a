/** The six ranking metrics every evaluator reports at each K. */
export type RankingMetricName = 'hr' | 'ndcg' | 'precision' | 'recall' | 'mrr' | 'map';

/** The ranking metric names in report order. */
export const RANKING_METRIC_NAMES: readonly RankingMetricName[] = ['hr', 'ndcg', 'precision', 'recall', 'mrr', 'map'];

/** Per-user values, aligned with `users`: what paired tests, Wilcoxon and bootstrap intervals take. */
export interface PerUserResults extends Record<RankingMetricName, Record<number, Float32Array>> {
  /** The evaluated users (users with no positives are not listed). */
  readonly users: Int32Array;
  /** Number of positives of each evaluated user (1 in the sampled protocol). */
  readonly numPositives: Int32Array;
  /** Per-user AUC; NaN for a user with no negative candidate. */
  readonly auc: Float32Array;
}

/**
 * What {@link evaluateFullRanking} and {@link evaluateSampled} return. Means are over evaluated users; users
 * with no positives are skipped (not scored as 0) and counted in `usersSkipped`.
 */
export interface EvaluationResult {
  /** `full`: every item is a candidate except the user's excluded (training) items; `sampled`: fixed candidate lists. */
  readonly protocol: 'full' | 'sampled';
  /** The cut-offs, ascending. */
  readonly ks: number[];
  readonly usersEvaluated: number;
  readonly usersSkipped: number;
  /** mean[metric][k]: the mean over evaluated users. */
  readonly mean: Record<RankingMetricName, Record<number, number>>;
  /** Mean per-user AUC over the users whose AUC is defined (at least one negative); NaN when none is. */
  readonly auc: number;
  /** GAUC: per-user AUC weighted by the user's number of positives (see {@link gauc}). */
  readonly gauc: number;
  readonly perUser: PerUserResults;
}
