import { type CsrMatrix, argumentError, shapeError, rejectUnknownOptions } from '@trustrec/core-linalg';
import { numericError } from '../checks.js';

/** Per-user recommendation lists, row-major: `indices[u * listLength + r]` is user u's item at position r; −1 pads. */
export interface RecommendationLists {
  readonly indices: Int32Array;
  readonly listLength: number;
}

function checkLists(where: string, lists: RecommendationLists, k: number): number {
  const { indices, listLength } = lists;
  if (!Number.isInteger(listLength) || listLength < 1)
    throw argumentError(where, `lists.listLength must be a positive integer, got ${listLength}`);
  if (indices.length % listLength !== 0) {
    throw shapeError(where, `lists.indices has ${indices.length} entries, not a multiple of listLength ${listLength}`);
  }
  if (!Number.isInteger(k) || k < 1 || k > listLength)
    throw argumentError(where, `k must be an integer in [1, listLength = ${listLength}], got ${k}`);
  return indices.length / listLength;
}

export interface TargetHitRatioResult {
  /** HR_t@K averaged over targets. */
  readonly mean: number;
  /** HR_t@K of each target, aligned with `targets`. NaN for a target every user already interacted with. */
  readonly perTarget: Float64Array;
  /** Number of eligible users (who had not interacted with the target) per target. */
  readonly eligibleUsers: Int32Array;
}

/**
 * Target-item hit ratio HR_t@K (seed 004, eq. 1 and Table 1; Huang et al. 2021): for a target t, the fraction of
 * users who had not interacted with t that get t in their top-K list; averaged over targets (targets with no
 * eligible user are NaN and left out of the mean). `interactions` (numUsers × numItems, usually the clean
 * training matrix) defines who already interacted; `lists` hold each user's recommendations (row u ↔ user u,
 * only the first K count). `targets` are distinct item indices (a repeat is E_ARGUMENT); an unknown option name
 * is E_CONFIG.
 */
export function targetHitRatioAtK(options: {
  lists: RecommendationLists;
  k: number;
  targets: Int32Array;
  interactions: CsrMatrix;
}): TargetHitRatioResult {
  const where = 'targetHitRatioAtK';
  rejectUnknownOptions(where, options, ['lists', 'k', 'targets', 'interactions']);
  const { lists, k, targets, interactions } = options;
  const numUsers = checkLists(where, lists, k);
  if (interactions.numRows !== numUsers) {
    throw shapeError(where, `interactions has ${interactions.numRows} rows but lists cover ${numUsers} users`);
  }
  if (targets.length === 0) throw argumentError(where, 'targets is empty');
  const numItems = interactions.numColumns;
  const perTarget = new Float64Array(targets.length);
  const eligibleUsers = new Int32Array(targets.length);
  const byItem = interactions.transpose();
  const interacted = new Uint8Array(numUsers);
  const listed = new Uint8Array(numItems);
  let sum = 0;
  let defined = 0;
  for (let t = 0; t < targets.length; t++) {
    const target = targets[t];
    if (!Number.isInteger(target) || target < 0 || target >= numItems)
      throw argumentError(where, `targets[${t}] = ${target} is outside [0, ${numItems})`);
    if (listed[target] === 1) {
      throw argumentError(
        where,
        `targets[${t}] = ${target} is listed twice; it would count twice in the mean over targets — pass distinct targets`,
        { index: t },
      );
    }
    listed[target] = 1;
    const start = byItem.indptr[target];
    const end = byItem.indptr[target + 1];
    for (let p = start; p < end; p++) interacted[byItem.indices[p]] = 1;
    let hits = 0;
    for (let u = 0; u < numUsers; u++) {
      if (interacted[u] === 1) continue;
      const base = u * lists.listLength;
      for (let r = 0; r < k; r++) {
        if (lists.indices[base + r] === target) {
          hits++;
          break;
        }
      }
    }
    const eligible = numUsers - (end - start);
    for (let p = start; p < end; p++) interacted[byItem.indices[p]] = 0;
    eligibleUsers[t] = eligible;
    perTarget[t] = eligible === 0 ? Number.NaN : hits / eligible;
    if (eligible > 0) {
      sum += perTarget[t];
      defined++;
    }
  }
  return { mean: defined === 0 ? Number.NaN : sum / defined, perTarget, eligibleUsers };
}

/**
 * Prediction shift of target items (Mobasher et al.'s shilling-attack measure): the mean of
 * (score after the attack − score before) over the given (user, target) pairs, aligned arrays. Positive means
 * the attack pushed the targets up.
 */
export function predictionShift(before: ArrayLike<number>, after: ArrayLike<number>): number {
  return meanDifference('predictionShift', before, after, (b, a) => a - b);
}

/**
 * Rank shift of target items: the mean of (rank before − rank after) over aligned (user, target) pairs, with
 * 1-based ranks (see {@link rankOfItem}). Positive means the targets moved up the lists.
 */
export function rankShift(ranksBefore: ArrayLike<number>, ranksAfter: ArrayLike<number>): number {
  return meanDifference('rankShift', ranksBefore, ranksAfter, (b, a) => b - a);
}

function meanDifference(
  where: string,
  before: ArrayLike<number>,
  after: ArrayLike<number>,
  difference: (b: number, a: number) => number,
): number {
  if (before.length !== after.length)
    throw shapeError(where, `before has ${before.length} entries but after has ${after.length}`);
  if (before.length === 0) throw argumentError(where, 'no pairs given; the shift of nothing is undefined');
  let sum = 0;
  for (let t = 0; t < before.length; t++) {
    if (!Number.isFinite(before[t]) || !Number.isFinite(after[t])) {
      throw numericError(where, `entry ${t} is not finite (before ${before[t]}, after ${after[t]})`, { index: t });
    }
    sum += difference(before[t], after[t]);
  }
  return sum / before.length;
}

/**
 * The 1-based rank of `item` among a user's candidates (all items of `scores` except `exclude`), in the
 * evaluator's order: score descending, ties to the lower index (as core-linalg's TopKSelector). `exclude` lists
 * distinct item indices. A NaN score of the item or of any candidate is E_NUMERIC, as in the evaluator (NaN
 * scores of excluded items are not read as candidates).
 */
export function rankOfItem(scores: Float32Array | Float64Array, item: number, exclude?: Int32Array): number {
  const n = scores.length;
  if (!Number.isInteger(item) || item < 0 || item >= n)
    throw argumentError('rankOfItem', `item ${item} is outside [0, ${n})`);
  const target = scores[item];
  if (Number.isNaN(target)) throw rankNaN(item);
  let rank = 1;
  let nans = 0;
  for (let i = 0; i < n; i++) {
    const s = scores[i];
    if (s > target || (s === target && i < item)) rank++;
    else if (Number.isNaN(s)) nans++;
  }
  const seen = new Set<number>();
  if (exclude) {
    for (let t = 0; t < exclude.length; t++) {
      const i = exclude[t];
      if (i === item) throw argumentError('rankOfItem', `the item ${item} is itself excluded (exclude[${t}])`);
      if (i < 0 || i >= n) throw argumentError('rankOfItem', `exclude[${t}] = ${i} is outside [0, ${n})`);
      if (seen.has(i)) throw argumentError('rankOfItem', `exclude[${t}] = ${i} is listed twice`);
      seen.add(i);
      const s = scores[i];
      if (s > target || (s === target && i < item)) rank--;
      else if (Number.isNaN(s)) nans--;
    }
  }
  if (nans > 0) {
    for (let i = 0; i < n; i++) if (Number.isNaN(scores[i]) && !seen.has(i)) throw rankNaN(i);
  }
  return rank;
}

function rankNaN(index: number): Error {
  return numericError(
    'rankOfItem',
    `scores[${index}] is NaN; a candidate's score must be a number (check the model for divergence)`,
    { index },
  );
}

export interface ModelInversionResult {
  /** MIPre = |U_X ∩ U_Y| / |U_Y|; NaN when U_Y is empty (the paper leaves such points out). */
  readonly precision: number;
  /** MIRec = |U_X ∩ U_Y| / |U_X|; NaN when U_X is empty. */
  readonly recall: number;
  readonly intersection: number;
}

/**
 * Model-inversion precision and recall (seed 003, eq. 16): U_X = `sensitiveUsers` (users who highly rated the
 * sensitive item), U_Y = `flaggedUsers` (users to whom l′ or more decoy items are recommended; see
 * {@link usersRecommendedAtLeast}). Both are sets of user indices (duplicates are an error).
 */
export function modelInversionPrecisionRecall(
  sensitiveUsers: Int32Array,
  flaggedUsers: Int32Array,
): ModelInversionResult {
  const where = 'modelInversionPrecisionRecall';
  const sensitive = new Set<number>();
  sensitiveUsers.forEach((user, t) => {
    if (sensitive.has(user)) throw argumentError(where, `sensitiveUsers[${t}] = ${user} is listed twice`);
    sensitive.add(user);
  });
  const flagged = new Set<number>();
  let intersection = 0;
  flaggedUsers.forEach((user, t) => {
    if (flagged.has(user)) throw argumentError(where, `flaggedUsers[${t}] = ${user} is listed twice`);
    flagged.add(user);
    if (sensitive.has(user)) intersection++;
  });
  return {
    precision: flagged.size === 0 ? Number.NaN : intersection / flagged.size,
    recall: sensitive.size === 0 ? Number.NaN : intersection / sensitive.size,
    intersection,
  };
}

/**
 * U_{Y,l′} of seed 003 eq. 16: the users (row indices of `lists`) whose top-K list contains at least
 * `threshold` (l′) of the `decoys` items. `decoys` are distinct, non-negative item indices (E_ARGUMENT otherwise:
 * a repeat would be silently collapsed, and −1 would match the lists' padding).
 */
export function usersRecommendedAtLeast(
  lists: RecommendationLists,
  k: number,
  decoys: Int32Array,
  threshold: number,
): Int32Array {
  const where = 'usersRecommendedAtLeast';
  const numUsers = checkLists(where, lists, k);
  if (!Number.isInteger(threshold) || threshold < 1)
    throw argumentError(where, `threshold must be a positive integer, got ${threshold}`);
  if (decoys.length === 0) throw argumentError(where, 'decoys is empty; pass the decoy item indices');
  const decoySet = new Set<number>();
  for (let t = 0; t < decoys.length; t++) {
    const decoy = decoys[t];
    if (!Number.isInteger(decoy) || decoy < 0)
      throw argumentError(where, `decoys[${t}] = ${decoy} must be a non-negative item index`, { index: t });
    if (decoySet.has(decoy)) throw argumentError(where, `decoys[${t}] = ${decoy} is listed twice`, { index: t });
    decoySet.add(decoy);
  }
  const result: number[] = [];
  for (let u = 0; u < numUsers; u++) {
    let count = 0;
    const base = u * lists.listLength;
    for (let r = 0; r < k; r++) if (decoySet.has(lists.indices[base + r])) count++;
    if (count >= threshold) result.push(u);
  }
  return Int32Array.from(result);
}
