import { type Rng, requireInteger, rejectUnknownOptions } from '@trustrec/core-linalg';
import { type Split, type SplitSource, describeSplit, partitionEntries } from './split.js';
import { requireOneOf } from '../core/check-options.js';
import { splitRng } from './split-options.js';

const OPTION_NAMES = ['seed', 'rng', 'k', 'stratify'];

export interface KFoldOptions {
  readonly seed?: number;
  readonly rng?: Rng;
  /** Number of folds (≥ 2). */
  readonly k: number;
  /** `user` (default): each user's interactions are dealt over the folds (every user in every test fold when n ≥ k); `global`: entries dealt over folds regardless of user. */
  readonly stratify?: 'user' | 'global';
}

/**
 * k-fold cross-validation: entries are shuffled (seeded) and dealt round-robin into k disjoint folds; split f
 * tests on fold f and trains on the rest, so the k test sets partition the data (like ML-100K's u1–u5).
 */
export function kFoldSplits(source: SplitSource, options: KFoldOptions): Split[] {
  const where = 'kFoldSplits';
  rejectUnknownOptions(where, options, OPTION_NAMES);
  if (options.stratify !== undefined) requireOneOf(where, 'stratify', options.stratify, ['user', 'global']);
  const { rng, seed } = splitRng(where, options);
  requireInteger(where, 'k', options.k, 2, 1000);
  const k = options.k;
  const stratify = options.stratify ?? 'user';
  const { indptr, numRows, nnz } = source.interactions;
  const fold = new Int32Array(nnz);
  const draw = rng.fork('k-fold');
  const deal = (start: number, end: number) => {
    const n = end - start;
    const order = new Int32Array(n);
    for (let t = 0; t < n; t++) order[t] = start + t;
    draw.shuffle(order);
    const offset = draw.nextInt(k);
    for (let t = 0; t < n; t++) fold[order[t]] = (t + offset) % k;
  };
  if (stratify === 'user') for (let u = 0; u < numRows; u++) deal(indptr[u], indptr[u + 1]);
  else deal(0, nnz);
  const splits: Split[] = [];
  const parts = new Uint8Array(nnz);
  for (let f = 0; f < k; f++) {
    for (let p = 0; p < nnz; p++) parts[p] = fold[p] === f ? 1 : 0;
    const [train, test] = partitionEntries(source.interactions, parts, 2);
    splits.push({
      train,
      test,
      description: describeSplit(`k-fold ${f + 1}/${k}`, source, { train, test }, { k, fold: f, stratify }, [], seed),
    });
  }
  return splits;
}
