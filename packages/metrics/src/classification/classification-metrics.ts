import { argumentError, shapeError } from '@trustrec/core-linalg';
import { numericError } from '../checks.js';
import { rocAuc } from '../detection/detection-metrics.js';

/**
 * Metrics for attribute-inference attackers (seed 002: an MLP/XGBoost attacker predicts a user attribute from
 * embeddings; the defence succeeds when these fall to the baselines). Labels are class indices 0..numClasses−1.
 */

function checkClassLabels(where: string, name: string, labels: ArrayLike<number>, numClasses: number): void {
  for (let t = 0; t < labels.length; t++) {
    const label = labels[t];
    if (!Number.isInteger(label) || label < 0 || label >= numClasses) {
      throw argumentError(where, `${name}[${t}] = ${label} is not a class index in [0, ${numClasses})`, {
        option: name,
        index: t,
      });
    }
  }
}

function checkNumClasses(where: string, numClasses: number): void {
  if (!Number.isInteger(numClasses) || numClasses < 2)
    throw argumentError(where, `numClasses must be an integer ≥ 2, got ${numClasses}`);
}

function checkPair(where: string, predicted: ArrayLike<number>, actual: ArrayLike<number>, numClasses: number): void {
  checkNumClasses(where, numClasses);
  if (predicted.length !== actual.length)
    throw shapeError(where, `predicted has ${predicted.length} entries but actual has ${actual.length}`);
  if (actual.length === 0) throw argumentError(where, 'no examples given');
  checkClassLabels(where, 'predicted', predicted, numClasses);
  checkClassLabels(where, 'actual', actual, numClasses);
}

/** Confusion matrix, row-major numClasses × numClasses: entry [actual * numClasses + predicted]. */
export function confusionMatrix(
  predicted: ArrayLike<number>,
  actual: ArrayLike<number>,
  numClasses: number,
): Int32Array {
  checkPair('confusionMatrix', predicted, actual, numClasses);
  const matrix = new Int32Array(numClasses * numClasses);
  for (let t = 0; t < actual.length; t++) matrix[actual[t] * numClasses + predicted[t]]++;
  return matrix;
}

/** Accuracy: the share of examples whose predicted class equals the actual class. */
export function accuracy(predicted: ArrayLike<number>, actual: ArrayLike<number>, numClasses: number): number {
  checkPair('accuracy', predicted, actual, numClasses);
  let correct = 0;
  for (let t = 0; t < actual.length; t++) if (predicted[t] === actual[t]) correct++;
  return correct / actual.length;
}

/**
 * Balanced accuracy: the mean over classes present in `actual` of per-class recall (Brodersen et al. 2010;
 * scikit-learn's `balanced_accuracy_score`). Any constant or uniformly random predictor scores 1 / #classes in
 * expectation, whatever the class imbalance.
 */
export function balancedAccuracy(predicted: ArrayLike<number>, actual: ArrayLike<number>, numClasses: number): number {
  const matrix = confusionMatrix(predicted, actual, numClasses);
  let sum = 0;
  let present = 0;
  for (let c = 0; c < numClasses; c++) {
    let support = 0;
    for (let p = 0; p < numClasses; p++) support += matrix[c * numClasses + p];
    if (support === 0) continue;
    sum += matrix[c * numClasses + c] / support;
    present++;
  }
  return sum / present;
}

/**
 * Macro-F1: the unweighted mean of per-class F1 = 2·TP / (2·TP + FP + FN) over the classes that occur in
 * `actual` or `predicted` (scikit-learn's `f1_score(average='macro')` labels); a class with TP = 0 has F1 = 0.
 */
export function macroF1(predicted: ArrayLike<number>, actual: ArrayLike<number>, numClasses: number): number {
  const matrix = confusionMatrix(predicted, actual, numClasses);
  let sum = 0;
  let present = 0;
  for (let c = 0; c < numClasses; c++) {
    let rowSum = 0;
    let columnSum = 0;
    for (let o = 0; o < numClasses; o++) {
      rowSum += matrix[c * numClasses + o];
      columnSum += matrix[o * numClasses + c];
    }
    if (rowSum === 0 && columnSum === 0) continue;
    const tp = matrix[c * numClasses + c];
    sum += (2 * tp) / (rowSum + columnSum);
    present++;
  }
  return sum / present;
}

/**
 * One-vs-rest ROC-AUC, macro-averaged: for each class c present in `actual` with at least one example of
 * another class, the AUC of probabilities[:, c] for "is c" vs "is not c" (ties half, see {@link rocAuc});
 * then the unweighted mean. `probabilities` is row-major (examples × numClasses); a NaN entry is E_NUMERIC and
 * no example at all E_ARGUMENT. NaN when no class qualifies (e.g. every example has the same class).
 */
export function oneVsRestAuc(probabilities: ArrayLike<number>, actual: ArrayLike<number>, numClasses: number): number {
  const where = 'oneVsRestAuc';
  checkNumClasses(where, numClasses);
  const n = actual.length;
  if (probabilities.length !== n * numClasses) {
    throw shapeError(
      where,
      `probabilities has ${probabilities.length} entries, expected examples × numClasses = ${n}×${numClasses}`,
    );
  }
  if (n === 0) throw argumentError(where, 'no examples given');
  checkClassLabels(where, 'actual', actual, numClasses);
  for (let t = 0; t < probabilities.length; t++) {
    if (Number.isNaN(probabilities[t])) {
      throw numericError(
        where,
        `probabilities[${t}] (example ${Math.floor(t / numClasses)}, class ${t % numClasses}) is NaN`,
        { option: 'probabilities', index: t },
      );
    }
  }
  const column = new Float64Array(n);
  const labels = new Uint8Array(n);
  let sum = 0;
  let counted = 0;
  for (let c = 0; c < numClasses; c++) {
    let positives = 0;
    for (let t = 0; t < n; t++) {
      column[t] = probabilities[t * numClasses + c];
      labels[t] = actual[t] === c ? 1 : 0;
      positives += labels[t];
    }
    if (positives === 0 || positives === n) continue;
    sum += rocAuc(column, labels);
    counted++;
  }
  return counted === 0 ? Number.NaN : sum / counted;
}

/**
 * The majority-class baseline: the accuracy on `actual` of always predicting the most frequent class of
 * `reference` (the training labels; defaults to `actual` itself). Ties between classes go to the lower index.
 */
export function majorityBaselineAccuracy(
  actual: ArrayLike<number>,
  numClasses: number,
  reference: ArrayLike<number> = actual,
): number {
  const where = 'majorityBaselineAccuracy';
  checkNumClasses(where, numClasses);
  if (actual.length === 0 || reference.length === 0)
    throw argumentError(where, 'actual and reference must not be empty');
  checkClassLabels(where, 'actual', actual, numClasses);
  checkClassLabels(where, 'reference', reference, numClasses);
  const counts = new Int32Array(numClasses);
  for (let t = 0; t < reference.length; t++) counts[reference[t]]++;
  let majority = 0;
  for (let c = 1; c < numClasses; c++) if (counts[c] > counts[majority]) majority = c;
  let correct = 0;
  for (let t = 0; t < actual.length; t++) if (actual[t] === majority) correct++;
  return correct / actual.length;
}

/** The expected accuracy of guessing uniformly at random among numClasses classes: 1 / numClasses (also its balanced accuracy). */
export function randomGuessBaselineAccuracy(numClasses: number): number {
  checkNumClasses('randomGuessBaselineAccuracy', numClasses);
  return 1 / numClasses;
}
