import { argumentError } from '@trustrec/core-linalg';
import { type EvaluationResult, RANKING_METRIC_NAMES, type RankingMetricName } from './evaluation-result.js';

/** Validates and sorts the cut-offs (positive integers, no duplicates); returns a new ascending array. */
export function normalizeCutoffs(where: string, ks: readonly number[]): number[] {
  if (!Array.isArray(ks) || ks.length === 0)
    throw argumentError(where, 'ks must be a non-empty array of positive integers, e.g. [10, 50, 100]', {
      option: 'ks',
    });
  for (let t = 0; t < ks.length; t++) {
    if (!Number.isInteger(ks[t]) || ks[t] < 1)
      throw argumentError(where, `ks[${t}] must be a positive integer, got ${ks[t]}`, { option: 'ks', index: t });
  }
  const sorted = [...ks].sort((a, b) => a - b);
  for (let t = 1; t < sorted.length; t++) {
    if (sorted[t] === sorted[t - 1]) throw argumentError(where, `ks lists ${sorted[t]} twice`, { option: 'ks' });
  }
  return sorted;
}

/**
 * Turns each user's positive ranks into the six ranking metrics at every K (definitions in ranking-metrics.ts:
 * HR, NDCG with ideal DCG over min(K, P), precision = hits / K, recall = hits / P, MRR, MAP with denominator
 * min(P, K)) and keeps them per user. One pass over the sorted ranks serves all K; nothing is allocated per user.
 */
export class RankingAccumulator {
  readonly ks: number[];
  readonly users: Int32Array;
  readonly numPositives: Int32Array;
  readonly auc: Float32Array;
  /** values[metric * ks.length + kIndex][slot]. */
  private readonly values: Float32Array[];
  private readonly sums: Float64Array;
  private readonly idealDcg: Float64Array;
  private aucSum = 0;
  private aucCount = 0;
  private gaucSum = 0;
  private gaucWeight = 0;
  private recorded = 0;

  constructor(ks: number[], users: Int32Array) {
    this.ks = ks;
    this.users = users;
    const n = users.length;
    this.numPositives = new Int32Array(n);
    this.auc = new Float32Array(n);
    this.values = [];
    for (let v = 0; v < RANKING_METRIC_NAMES.length * ks.length; v++) this.values.push(new Float32Array(n));
    this.sums = new Float64Array(RANKING_METRIC_NAMES.length * ks.length);
    const maxK = ks[ks.length - 1];
    this.idealDcg = new Float64Array(maxK + 1);
    for (let r = 1; r <= maxK; r++) this.idealDcg[r] = this.idealDcg[r - 1] + 1 / Math.log2(r + 1);
  }

  /**
   * Records user slot `slot`: `ranks[0, count)` are the 1-based ranks of its positives among the candidates,
   * strictly ascending; `auc` its AUC (NaN when undefined).
   */
  record(slot: number, ranks: Int32Array, count: number, auc: number): void {
    const ks = this.ks;
    const numK = ks.length;
    const values = this.values;
    const sums = this.sums;
    const firstRank = ranks[0];
    let j = 0;
    let dcg = 0;
    let precisionSum = 0;
    for (let kIndex = 0; kIndex < numK; kIndex++) {
      const k = ks[kIndex];
      while (j < count && ranks[j] <= k) {
        const rank = ranks[j];
        dcg += 1 / Math.log2(rank + 1);
        precisionSum += (j + 1) / rank;
        j++;
      }
      const hits = j;
      const ideal = Math.min(count, k);
      const hr = hits > 0 ? 1 : 0;
      const ndcg = dcg / this.idealDcg[ideal];
      const precision = hits / k;
      const recall = hits / count;
      const mrr = firstRank <= k ? 1 / firstRank : 0;
      const map = precisionSum / ideal;
      // Order matches RANKING_METRIC_NAMES: hr, ndcg, precision, recall, mrr, map.
      values[kIndex][slot] = hr;
      values[numK + kIndex][slot] = ndcg;
      values[2 * numK + kIndex][slot] = precision;
      values[3 * numK + kIndex][slot] = recall;
      values[4 * numK + kIndex][slot] = mrr;
      values[5 * numK + kIndex][slot] = map;
      sums[kIndex] += hr;
      sums[numK + kIndex] += ndcg;
      sums[2 * numK + kIndex] += precision;
      sums[3 * numK + kIndex] += recall;
      sums[4 * numK + kIndex] += mrr;
      sums[5 * numK + kIndex] += map;
    }
    this.numPositives[slot] = count;
    this.auc[slot] = auc;
    if (!Number.isNaN(auc)) {
      this.aucSum += auc;
      this.aucCount++;
      this.gaucSum += count * auc;
      this.gaucWeight += count;
    }
    this.recorded++;
  }

  /** The result once every slot is recorded. */
  finish(protocol: 'full' | 'sampled', usersSkipped: number): EvaluationResult {
    const ks = this.ks;
    const numK = ks.length;
    const n = this.recorded;
    const mean = {} as Record<RankingMetricName, Record<number, number>>;
    const perUser = {
      users: this.users,
      numPositives: this.numPositives,
      auc: this.auc,
    } as EvaluationResult['perUser'];
    RANKING_METRIC_NAMES.forEach((name, metric) => {
      const means: Record<number, number> = {};
      const arrays: Record<number, Float32Array> = {};
      for (let kIndex = 0; kIndex < numK; kIndex++) {
        means[ks[kIndex]] = n === 0 ? Number.NaN : this.sums[metric * numK + kIndex] / n;
        arrays[ks[kIndex]] = this.values[metric * numK + kIndex];
      }
      mean[name] = means;
      (perUser as unknown as Record<string, unknown>)[name] = arrays;
    });
    return {
      protocol,
      ks: [...ks],
      usersEvaluated: n,
      usersSkipped,
      mean,
      auc: this.aucCount === 0 ? Number.NaN : this.aucSum / this.aucCount,
      gauc: this.gaucWeight === 0 ? Number.NaN : this.gaucSum / this.gaucWeight,
      perUser,
    };
  }
}
