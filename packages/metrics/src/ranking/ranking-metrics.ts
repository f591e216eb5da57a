import { argumentError, shapeError, rejectUnknownOptions } from '@trustrec/core-linalg';
import { numericError } from '../checks.js';

/**
 * Ranking metrics at a cut-off K for one user, over binary relevance.
 *
 * Every @K function takes the ranking reduced to what the metric needs: `relevance[r]` is 1 when the item at
 * 0-based position r of the user's ranked list (best first) is a positive and 0 otherwise, and `numPositives`
 * is the number of the user's positives (|T_u|, including any that are not in the list at all). Build the
 * relevance vector from a ranked list and a positive set with {@link relevanceOfRanking}. A list shorter than K
 * (K larger than the candidate count) is read as padded with non-relevant positions.
 *
 * Definitions (r is the 1-based rank, rel_r ∈ {0, 1}, P = numPositives):
 * - HR@K = 1 if Σ_{r≤K} rel_r > 0 else 0 (seed 001, §Evaluation; seed 004 uses the same hit ratio).
 * - Precision@K = Σ_{r≤K} rel_r / K (seed 003 eq. 18, with l = K; always divided by K, even when the list is
 *   shorter).
 * - Recall@K = Σ_{r≤K} rel_r / P (seed 003 eq. 19).
 * - NDCG@K = DCG@K / IDCG@K with DCG@K = Σ_{r≤K} rel_r / log2(r + 1) and IDCG@K = Σ_{r≤min(K,P)} 1 / log2(r + 1)
 *   (seed 001, §Evaluation: binary relevance, log2 discount).
 * - MRR@K = 1 / (rank of the first positive) when that rank is ≤ K, else 0.
 * - MAP@K (average precision of one user) = Σ_{r≤K} Precision@r · rel_r / min(P, K).
 *
 * With no positives (P = 0) HR, precision and MRR are 0 and recall, NDCG and MAP are undefined: they return
 * NaN, and evaluators skip such users (and count them) instead of averaging a made-up value.
 */

function checkCutoff(where: string, k: number): void {
  if (!Number.isInteger(k) || k < 1)
    throw argumentError(where, `k must be a positive integer, got ${k}`, { option: 'k', value: k });
}

function checkPositives(where: string, numPositives: number): void {
  if (!Number.isInteger(numPositives) || numPositives < 0) {
    throw argumentError(where, `numPositives must be a non-negative integer, got ${numPositives}`, {
      option: 'numPositives',
    });
  }
}

/** Σ_{r≤K} rel_r, validating that relevance is 0/1 and that hits do not exceed numPositives. */
function hitsAtK(where: string, relevance: ArrayLike<number>, numPositives: number, k: number): number {
  checkCutoff(where, k);
  checkPositives(where, numPositives);
  const end = Math.min(k, relevance.length);
  let hits = 0;
  for (let r = 0; r < end; r++) {
    const rel = relevance[r];
    if (rel !== 0 && rel !== 1)
      throw argumentError(where, `relevance[${r}] must be 0 or 1, got ${rel}`, { option: 'relevance', index: r });
    hits += rel;
  }
  if (hits > numPositives) {
    throw shapeError(
      where,
      `the top ${k} positions hold ${hits} positives but numPositives is ${numPositives}; pass the user's full positive count`,
    );
  }
  return hits;
}

/** 1 / log2(r + 1) for a 1-based rank r (a positive integer; E_ARGUMENT otherwise): the DCG position discount. */
export function rankDiscount(rank: number): number {
  if (!Number.isInteger(rank) || rank < 1)
    throw argumentError('rankDiscount', `rank must be a 1-based positive integer, got ${rank}`, { option: 'rank' });
  return discount(rank);
}

/** rankDiscount without the check, for the loops here that pass r + 1 with r ≥ 0. */
function discount(rank: number): number {
  return 1 / Math.log2(rank + 1);
}

/**
 * IDCG@K for binary relevance: Σ_{r ≤ min(K, P)} 1 / log2(r + 1). `numPositives` must be a non-negative integer
 * and `k` a positive integer (E_ARGUMENT otherwise); 0 when there are no positives.
 */
export function idealDcgAtK(numPositives: number, k: number): number {
  checkCutoff('idealDcgAtK', k);
  checkPositives('idealDcgAtK', numPositives);
  return idealDcg(numPositives, k);
}

function idealDcg(numPositives: number, k: number): number {
  const end = Math.min(numPositives, k);
  let sum = 0;
  for (let r = 1; r <= end; r++) sum += 1 / Math.log2(r + 1);
  return sum;
}

/** HR@K: 1 when at least one positive is in the top K, else 0. */
export function hitRatioAtK(relevance: ArrayLike<number>, numPositives: number, k: number): number {
  return hitsAtK('hitRatioAtK', relevance, numPositives, k) > 0 ? 1 : 0;
}

/** Precision@K = hits in the top K / K (seed 003 eq. 18). */
export function precisionAtK(relevance: ArrayLike<number>, numPositives: number, k: number): number {
  return hitsAtK('precisionAtK', relevance, numPositives, k) / k;
}

/** Recall@K = hits in the top K / numPositives (seed 003 eq. 19); NaN when there are no positives. */
export function recallAtK(relevance: ArrayLike<number>, numPositives: number, k: number): number {
  const hits = hitsAtK('recallAtK', relevance, numPositives, k);
  return numPositives === 0 ? Number.NaN : hits / numPositives;
}

/** NDCG@K with binary relevance and log2 discount, ideal DCG over min(K, numPositives); NaN with no positives. */
export function ndcgAtK(relevance: ArrayLike<number>, numPositives: number, k: number): number {
  hitsAtK('ndcgAtK', relevance, numPositives, k);
  if (numPositives === 0) return Number.NaN;
  const end = Math.min(k, relevance.length);
  let dcg = 0;
  for (let r = 0; r < end; r++) if (relevance[r] === 1) dcg += discount(r + 1);
  return dcg / idealDcg(numPositives, k);
}

/** MRR@K: 1 / rank of the first positive when it is within K, else 0. */
export function mrrAtK(relevance: ArrayLike<number>, numPositives: number, k: number): number {
  hitsAtK('mrrAtK', relevance, numPositives, k);
  const end = Math.min(k, relevance.length);
  for (let r = 0; r < end; r++) if (relevance[r] === 1) return 1 / (r + 1);
  return 0;
}

/** MAP@K for one user (average precision): Σ_{r≤K} Precision@r · rel_r / min(numPositives, K); NaN with no positives. */
export function mapAtK(relevance: ArrayLike<number>, numPositives: number, k: number): number {
  hitsAtK('mapAtK', relevance, numPositives, k);
  if (numPositives === 0) return Number.NaN;
  const end = Math.min(k, relevance.length);
  let hits = 0;
  let sum = 0;
  for (let r = 0; r < end; r++) {
    if (relevance[r] === 1) {
      hits++;
      sum += hits / (r + 1);
    }
  }
  return sum / Math.min(numPositives, k);
}

/**
 * The relevance vector of a ranked list: out[r] = 1 when ranked[r] is one of `positives`. Returns the vector
 * and the number of distinct positives. Positives must be distinct item indices (E_ARGUMENT otherwise).
 */
export function relevanceOfRanking(
  ranked: ArrayLike<number>,
  positives: ArrayLike<number>,
): { relevance: Uint8Array; numPositives: number } {
  const set = new Set<number>();
  for (let t = 0; t < positives.length; t++) {
    if (set.has(positives[t]))
      throw argumentError('relevanceOfRanking', `positives[${t}] = ${positives[t]} is listed twice`);
    set.add(positives[t]);
  }
  const relevance = new Uint8Array(ranked.length);
  const seen = new Set<number>();
  for (let r = 0; r < ranked.length; r++) {
    if (seen.has(ranked[r]))
      throw argumentError('relevanceOfRanking', `ranked[${r}] = ${ranked[r]} appears twice in the ranking`);
    seen.add(ranked[r]);
    relevance[r] = set.has(ranked[r]) ? 1 : 0;
  }
  return { relevance, numPositives: set.size };
}

/**
 * Graded-relevance NDCG@K for explicit feedback (Järvelin & Kekäläinen; gains as in Burges et al.):
 * DCG@K = Σ_{r≤K} g(rel_r) / log2(r + 1), with g(x) = 2^x − 1 (`exponential`, default) or g(x) = x (`linear`);
 * IDCG@K is the DCG of the user's grades sorted in decreasing order. `rankedGrades[r]` is the grade of the item
 * at position r of the ranked list (0 for unrated items); `allGrades` are all the user's grades (the ideal
 * list). Grades must be finite and ≥ 0. Returns NaN when the ideal DCG is 0 (no relevant item).
 */
export function gradedNdcgAtK(
  rankedGrades: ArrayLike<number>,
  allGrades: ArrayLike<number>,
  k: number,
  options: { gain?: 'exponential' | 'linear' } = {},
): number {
  checkCutoff('gradedNdcgAtK', k);
  rejectUnknownOptions('gradedNdcgAtK', options, ['gain']);
  const gainKind = options.gain ?? 'exponential';
  if (gainKind !== 'exponential' && gainKind !== 'linear') {
    throw argumentError('gradedNdcgAtK', `options.gain must be 'exponential' or 'linear', got ${String(gainKind)}`);
  }
  const gain = (grade: number, name: string, index: number): number => {
    if (!Number.isFinite(grade))
      throw numericError('gradedNdcgAtK', `${name}[${index}] must be a finite grade ≥ 0, got ${grade}`, { index });
    if (grade < 0)
      throw argumentError('gradedNdcgAtK', `${name}[${index}] must be a finite grade ≥ 0, got ${grade}`, { index });
    return gainKind === 'exponential' ? 2 ** grade - 1 : grade;
  };
  let dcg = 0;
  const end = Math.min(k, rankedGrades.length);
  for (let r = 0; r < end; r++) dcg += gain(rankedGrades[r], 'rankedGrades', r) * discount(r + 1);
  const ideal = Float64Array.from(allGrades, (grade, index) => gain(grade, 'allGrades', index));
  ideal.sort().reverse();
  let idcg = 0;
  const idealEnd = Math.min(k, ideal.length);
  for (let r = 0; r < idealEnd; r++) idcg += ideal[r] * discount(r + 1);
  if (dcg > idcg * (1 + 1e-12)) {
    throw shapeError(
      'gradedNdcgAtK',
      `the ranked grades exceed the ideal list (DCG ${dcg} > IDCG ${idcg}); allGrades must contain every grade in rankedGrades`,
    );
  }
  return idcg === 0 ? Number.NaN : dcg / idcg;
}

/**
 * AUC of one user: the probability that a positive scores above a negative, over all (positive, negative)
 * pairs among the candidates, ties counted half (the Mann–Whitney statistic; seed 001, §Evaluation).
 * Candidates are all items of `scores` except `exclude` (e.g. training items); negatives are the candidates
 * that are not positives. Returns NaN when there is no positive or no negative. A positive that is also
 * excluded is an error (it could never be ranked).
 *
 * Cost O(n log P) for n items and P positives: positive scores are sorted once and every negative is placed
 * among them by binary search (no full sort of the n scores).
 */
export function aucPerUser(scores: Float32Array | Float64Array, positives: Int32Array, exclude?: Int32Array): number {
  const n = scores.length;
  const mark = new Uint8Array(n);
  if (exclude) {
    for (let t = 0; t < exclude.length; t++) {
      const item = exclude[t];
      if (!Number.isInteger(item) || item < 0 || item >= n)
        throw argumentError('aucPerUser', `exclude[${t}] = ${item} is outside [0, ${n})`);
      mark[item] = 1;
    }
  }
  const positiveScores = new Float64Array(positives.length);
  for (let t = 0; t < positives.length; t++) {
    const item = positives[t];
    if (!Number.isInteger(item) || item < 0 || item >= n)
      throw argumentError('aucPerUser', `positives[${t}] = ${item} is outside [0, ${n})`);
    if (mark[item] === 1)
      throw argumentError('aucPerUser', `positives[${t}] = ${item} is also excluded; a positive must be a candidate`);
    if (mark[item] === 2) throw argumentError('aucPerUser', `positives[${t}] = ${item} is listed twice`);
    mark[item] = 2;
    const score = scores[item];
    if (Number.isNaN(score)) throw numericError('aucPerUser', `scores[${item}] is NaN`, { index: item });
    positiveScores[t] = score;
  }
  positiveScores.sort();
  const p = positiveScores.length;
  let negatives = 0;
  let below = 0;
  let ties = 0;
  for (let i = 0; i < n; i++) {
    if (mark[i] !== 0) continue;
    const s = scores[i];
    if (Number.isNaN(s)) throw numericError('aucPerUser', `scores[${i}] is NaN`, { index: i });
    negatives++;
    // Ascending positive scores: positives above s are those at index ≥ upper(s); ties are [lower(s), upper(s)).
    const lower = lowerBound(positiveScores, p, s);
    let upper = lower;
    while (upper < p && positiveScores[upper] === s) upper++;
    below += p - upper;
    ties += upper - lower;
  }
  if (p === 0 || negatives === 0) return Number.NaN;
  return (below + 0.5 * ties) / (p * negatives);
}

/** First index in ascending sorted[0, length) whose value is ≥ value. */
function lowerBound(sorted: Float64Array, length: number, value: number): number {
  let low = 0;
  let high = length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle] < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * GAUC: the mean of per-user AUCs weighted by each user's number of positives, Σ_u P_u·AUC_u / Σ_u P_u
 * (Zhou et al., DIN, eq. 4 weights by impressions; here by positives). Users whose AUC is NaN (no positive or
 * no negative) are left out of both sums. Returns NaN when no user remains.
 */
export function gauc(aucs: ArrayLike<number>, numPositives: ArrayLike<number>): number {
  if (aucs.length !== numPositives.length) {
    throw shapeError('gauc', `aucs has ${aucs.length} entries but numPositives has ${numPositives.length}`);
  }
  let weighted = 0;
  let weight = 0;
  for (let u = 0; u < aucs.length; u++) {
    const w = numPositives[u];
    if (!Number.isFinite(w))
      throw numericError('gauc', `numPositives[${u}] must be a finite non-negative number, got ${w}`, { index: u });
    if (w < 0) throw argumentError('gauc', `numPositives[${u}] must be a finite non-negative number, got ${w}`);
    const auc = aucs[u];
    if (!(auc >= 0 && auc <= 1) && !Number.isNaN(auc)) {
      throw argumentError('gauc', `aucs[${u}] must be an AUC in [0, 1] (or NaN for an undefined one), got ${auc}`, {
        index: u,
      });
    }
    if (Number.isNaN(auc) || w === 0) continue;
    weighted += w * auc;
    weight += w;
  }
  return weight === 0 ? Number.NaN : weighted / weight;
}

/**
 * Item coverage: the fraction of the catalogue that appears in at least one user's top-K list,
 * |∪_u top-K(u)| / numItems. `topK` holds the lists row-major with `listLength` entries per user; entries
 * equal to −1 are padding (a list shorter than `listLength`) and are ignored. Only the first `k` entries of each
 * list count (k defaults to listLength).
 */
export function itemCoverage(topK: Int32Array, listLength: number, numItems: number, k = listLength): number {
  if (!Number.isInteger(listLength) || listLength < 1)
    throw argumentError('itemCoverage', `listLength must be a positive integer, got ${listLength}`);
  if (!Number.isInteger(numItems) || numItems < 1)
    throw argumentError('itemCoverage', `numItems must be a positive integer, got ${numItems}`);
  if (!Number.isInteger(k) || k < 1 || k > listLength)
    throw argumentError('itemCoverage', `k must be an integer in [1, ${listLength}], got ${k}`);
  if (topK.length % listLength !== 0) {
    throw shapeError('itemCoverage', `topK has ${topK.length} entries, not a multiple of listLength ${listLength}`);
  }
  const seen = new Uint8Array(numItems);
  let covered = 0;
  for (let base = 0; base < topK.length; base += listLength) {
    for (let r = 0; r < k; r++) {
      const item = topK[base + r];
      if (item === -1) continue;
      if (item < 0 || item >= numItems) {
        throw argumentError(
          'itemCoverage',
          `topK[${base + r}] (user ${base / listLength}, position ${r}) = ${item} is outside [0, ${numItems})`,
        );
      }
      if (seen[item] === 0) {
        seen[item] = 1;
        covered++;
      }
    }
  }
  return covered / numItems;
}
