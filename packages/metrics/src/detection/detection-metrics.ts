import { argumentError, shapeError } from '@trustrec/core-linalg';
import { numericError } from '../checks.js';

export interface DetectionMetrics {
  readonly truePositives: number;
  readonly falsePositives: number;
  readonly trueNegatives: number;
  readonly falseNegatives: number;
  /** TP / (TP + FP): the share of flagged accounts that are fake. NaN when nothing is flagged. */
  readonly precision: number;
  /** TP / (TP + FN). NaN when there is no fake account. */
  readonly recall: number;
  /** Harmonic mean of precision and recall; 0 when both are 0, NaN when either is undefined. */
  readonly f1: number;
  /**
   * Detected fake accounts / all fake accounts (seed 003 §4.3: "the ratio of the number of detected malicious
   * user accounts divided by the number of all malicious user accounts"); equal to recall.
   */
  readonly detectionRate: number;
  /** FP / (FP + TN): the share of genuine accounts wrongly flagged. NaN when there is no genuine account. */
  readonly falsePositiveRate: number;
}

function checkLabels(where: string, name: string, labels: ArrayLike<number>): void {
  for (let t = 0; t < labels.length; t++) {
    if (labels[t] !== 0 && labels[t] !== 1)
      throw argumentError(where, `${name}[${t}] must be 0 or 1, got ${labels[t]}`, { option: name, index: t });
  }
}

/**
 * Confusion counts and rates of a fake-user detector. `predicted[i]` = 1 when account i is flagged as fake,
 * `actual[i]` = 1 when it is fake (the positive class).
 */
export function detectionMetrics(predicted: ArrayLike<number>, actual: ArrayLike<number>): DetectionMetrics {
  const where = 'detectionMetrics';
  if (predicted.length !== actual.length)
    throw shapeError(where, `predicted has ${predicted.length} entries but actual has ${actual.length}`);
  checkLabels(where, 'predicted', predicted);
  checkLabels(where, 'actual', actual);
  let tp = 0;
  let fp = 0;
  let tn = 0;
  let fn = 0;
  for (let t = 0; t < predicted.length; t++) {
    if (actual[t] === 1) {
      if (predicted[t] === 1) tp++;
      else fn++;
    } else if (predicted[t] === 1) fp++;
    else tn++;
  }
  const precision = tp + fp === 0 ? Number.NaN : tp / (tp + fp);
  const recall = tp + fn === 0 ? Number.NaN : tp / (tp + fn);
  const f1 =
    Number.isNaN(precision) || Number.isNaN(recall)
      ? Number.NaN
      : precision + recall === 0
        ? 0
        : (2 * precision * recall) / (precision + recall);
  return {
    truePositives: tp,
    falsePositives: fp,
    trueNegatives: tn,
    falseNegatives: fn,
    precision,
    recall,
    f1,
    detectionRate: recall,
    falsePositiveRate: fp + tn === 0 ? Number.NaN : fp / (fp + tn),
  };
}

/**
 * ROC-AUC of a scored detector (higher score = more likely positive): the Mann–Whitney statistic
 * (Σ ranks of positives − n₊(n₊+1)/2) / (n₊·n₋) with average ranks for ties, i.e. the probability that a
 * random positive outscores a random negative, ties counted half. NaN when either class is empty.
 */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const where = 'rocAuc';
  if (scores.length !== labels.length)
    throw shapeError(where, `scores has ${scores.length} entries but labels has ${labels.length}`);
  checkLabels(where, 'labels', labels);
  const n = scores.length;
  for (let t = 0; t < n; t++)
    if (Number.isNaN(scores[t])) throw numericError(where, `scores[${t}] is NaN`, { option: 'scores', index: t });
  const order = new Int32Array(n);
  for (let t = 0; t < n; t++) order[t] = t;
  order.sort((a, b) => scores[a] - scores[b] || 0);
  let positives = 0;
  let rankSum = 0;
  let start = 0;
  while (start < n) {
    let end = start + 1;
    while (end < n && scores[order[end]] === scores[order[start]]) end++;
    const averageRank = (start + 1 + end) / 2;
    for (let t = start; t < end; t++) {
      if (labels[order[t]] === 1) {
        positives++;
        rankSum += averageRank;
      }
    }
    start = end;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}
