import { TrustRecError, argumentError, shapeError, rejectUnknownOptions } from '@trustrec/core-linalg';
import type { EvaluationResult } from './evaluation-result.js';
import { RankingAccumulator, normalizeCutoffs } from './ranking-accumulator.js';

/** Fixed candidate lists: row u of `items` (numCandidates entries) belongs to `users[u]`, its positive first. */
export interface SampledCandidates {
  readonly users: Int32Array;
  /** users.length × numCandidates item indices, row-major; entry 0 of each row is the held-out positive. */
  readonly items: Int32Array;
  readonly numCandidates: number;
}

/** Fills `out` (same length as `items`) with the score of each (user, candidate) pair; `items` is row-major per user. */
export type SampledScoreFunction = (users: Int32Array, items: Int32Array, out: Float32Array) => void | Promise<void>;

/**
 * How a negative that ties the positive's score is ranked.
 * - `strict-greater` (default): rank = 1 + #negatives scoring strictly above the positive — the rule of the NCF
 *   reference evaluation (He et al. 2017) and of most sampled-protocol code; a tied negative does not push the
 *   positive down (ties resolved in the positive's favour).
 * - `greater-or-equal`: rank = 1 + #negatives scoring at least as high (ties resolved against the positive; a
 *   constant scorer then gets HR@K = 0 for K < numCandidates).
 * AUC always counts tied pairs half, whatever the rule.
 */
export type SampledTieRule = 'strict-greater' | 'greater-or-equal';

/**
 * What to do with a negative slot that repeats the row's positive item.
 * - `error` (default): E_ARGUMENT naming the user row and position.
 * - `ignore`: the repeated slot is not a negative (it is the positive itself). This is exactly the NCF reference
 *   evaluation (He et al. 2017, `evaluate.py`), which scores candidates through a dict keyed by item, so a
 *   repeat collapses into the positive; the published `ml-1m.test.negative` repeats the positive for 156 users,
 *   who are therefore ranked among 98 negatives there.
 */
export type RepeatedPositivePolicy = 'error' | 'ignore';

export interface SampledOptions {
  readonly candidates: SampledCandidates;
  readonly score: SampledScoreFunction;
  readonly ks: readonly number[];
  /** Users scored per callback (default 4096). */
  readonly batchSize?: number;
  readonly tieRule?: SampledTieRule;
  /** Default `error`; see {@link RepeatedPositivePolicy}. */
  readonly repeatedPositive?: RepeatedPositivePolicy;
  readonly onProgress?: (done: number, total: number) => void;
}

const WHERE = 'evaluateSampled';

const SAMPLED_OPTIONS: readonly string[] = Object.keys({
  candidates: true,
  score: true,
  ks: true,
  batchSize: true,
  tieRule: true,
  repeatedPositive: true,
  onProgress: true,
} satisfies Record<keyof SampledOptions, true>);

/**
 * Sampled ("1 positive + N negatives") evaluation, as in NCF and seed 001: each user's positive is ranked among
 * its fixed candidates; HR@K = 1 when rank ≤ K, NDCG@K = 1 / log2(rank + 1) when rank ≤ K, precision = HR / K,
 * recall = HR, MRR@K = MAP@K = 1 / rank when rank ≤ K (every metric with P = 1; see ranking-metrics.ts), and
 * AUC = (#negatives below + ½ #tied) / N. Tie rule: see {@link SampledTieRule} (default `strict-greater`).
 * Every user has exactly one positive, so `usersSkipped` is 0. A row that repeats its positive among the
 * negatives is an error (E_ARGUMENT naming user row and position) unless `repeatedPositive: 'ignore'`; so is a
 * negative user or item index, or a callback that is not a function. An unknown option name is E_CONFIG (a
 * misspelt `tieRule` would otherwise run the default rule).
 */
export async function evaluateSampled(options: SampledOptions): Promise<EvaluationResult> {
  rejectUnknownOptions(WHERE, options, SAMPLED_OPTIONS);
  const { candidates, score, onProgress } = options;
  if (typeof score !== 'function') throw argumentError(WHERE, 'score must be a function (users, items, out) => void');
  if (onProgress !== undefined && typeof onProgress !== 'function')
    throw argumentError(WHERE, 'onProgress must be a function (done, total) => void or left out');
  const ks = normalizeCutoffs(WHERE, options.ks);
  const { users, items, numCandidates } = candidates;
  if (!Number.isInteger(numCandidates) || numCandidates < 1) {
    throw argumentError(WHERE, `candidates.numCandidates must be a positive integer, got ${numCandidates}`);
  }
  const numUsers = users.length;
  if (items.length !== numUsers * numCandidates) {
    throw shapeError(
      WHERE,
      `candidates.items has ${items.length} entries, expected users.length × numCandidates = ${numUsers}×${numCandidates}`,
    );
  }
  const tieRule = options.tieRule ?? 'strict-greater';
  if (tieRule !== 'strict-greater' && tieRule !== 'greater-or-equal') {
    throw argumentError(WHERE, `tieRule must be 'strict-greater' or 'greater-or-equal', got ${String(tieRule)}`);
  }
  const repeatedPositive = options.repeatedPositive ?? 'error';
  if (repeatedPositive !== 'error' && repeatedPositive !== 'ignore') {
    throw argumentError(WHERE, `repeatedPositive must be 'error' or 'ignore', got ${String(repeatedPositive)}`);
  }
  const batchSize = options.batchSize ?? 4096;
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw argumentError(WHERE, `batchSize must be a positive integer, got ${batchSize}`);
  for (let row = 0; row < numUsers; row++) {
    if (users[row] < 0) throw argumentError(WHERE, `candidates.users[${row}] = ${users[row]} is negative`);
    const base = row * numCandidates;
    const positive = items[base];
    for (let c = 0; c < numCandidates; c++) {
      const item = items[base + c];
      if (item < 0)
        throw argumentError(
          WHERE,
          `candidates.items[${base + c}] (user row ${row}, position ${c}) = ${item} is negative`,
        );
      if (c > 0 && item === positive && repeatedPositive === 'error') {
        throw argumentError(
          WHERE,
          `user row ${row} (user ${users[row]}): the positive ${positive} also appears as negative at position ${c}`,
        );
      }
    }
  }

  const accumulator = new RankingAccumulator(ks, users);
  const ranks = new Int32Array(1);
  const strict = tieRule === 'strict-greater';
  const batchCapacity = Math.min(batchSize, Math.max(1, numUsers));
  const buffer = new Float32Array(batchCapacity * numCandidates);
  for (let start = 0; start < numUsers; start += batchCapacity) {
    const end = Math.min(numUsers, start + batchCapacity);
    const length = (end - start) * numCandidates;
    const out = length === buffer.length ? buffer : buffer.subarray(0, length);
    const pending = score(users.subarray(start, end), items.subarray(start * numCandidates, end * numCandidates), out);
    if (pending !== undefined && typeof (pending as Promise<void>).then === 'function') await pending;
    for (let row = start; row < end; row++) {
      const base = (row - start) * numCandidates;
      const itemBase = row * numCandidates;
      const positive = items[itemBase];
      const positiveScore = out[base];
      if (Number.isNaN(positiveScore)) throwNaN(row, users[row], 0);
      let greater = 0;
      let ties = 0;
      let negatives = 0;
      for (let c = 1; c < numCandidates; c++) {
        if (items[itemBase + c] === positive) continue; // only reachable with repeatedPositive 'ignore'
        negatives++;
        const s = out[base + c];
        if (s > positiveScore) greater++;
        else if (s === positiveScore) ties++;
        else if (Number.isNaN(s)) throwNaN(row, users[row], c);
      }
      ranks[0] = 1 + greater + (strict ? 0 : ties);
      const auc = negatives === 0 ? Number.NaN : (negatives - greater - 0.5 * ties) / negatives;
      accumulator.record(row, ranks, 1, auc);
    }
    onProgress?.(end, numUsers);
  }
  return accumulator.finish('sampled', 0);
}

function throwNaN(row: number, user: number, position: number): never {
  throw new TrustRecError({
    code: 'E_NUMERIC',
    message: `${WHERE}: score of user row ${row} (user ${user}), candidate position ${position} is NaN; check the model for divergence`,
    details: { row, user, position },
  });
}
