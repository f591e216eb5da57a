import { rejectUnknownOptions } from '@trustrec/core-linalg';
import type { Rng } from '@trustrec/core-linalg';
import { perUserHoldout } from './per-user-holdout.js';
import { type SmallUserPolicy, type Split, type SplitSource, describeSplit, partitionEntries } from './split.js';
import { requireOneOf } from '../core/check-options.js';
import { holdoutRatios, requireSmallUserPolicy, splitRng } from './split-options.js';

const OPTION_NAMES = ['seed', 'rng', 'testRatio', 'validationRatio', 'order', 'smallUsers'];

export interface RatioSplitOptions {
  readonly seed?: number;
  readonly rng?: Rng;
  /** Share of each user's interactions in test (default 0.2). */
  readonly testRatio?: number;
  /** Share of each user's interactions in validation (default 0). */
  readonly validationRatio?: number;
  /** `random` (default) or `time` (each user's latest interactions go to test). */
  readonly order?: 'time' | 'random';
  /** Users with fewer than 2 interactions (+1 when validating), default `train-only`. */
  readonly smallUsers?: SmallUserPolicy;
}

/**
 * Per-user ratio split (e.g. the per-user 80/20 split of many MF papers): each user with n interactions puts
 * round(n·testRatio) (at least 1) in test and round(n·validationRatio) in validation, always keeping at least one
 * in train; entries are chosen in seeded random order or latest-first.
 */
export function ratioSplit(source: SplitSource, options: RatioSplitOptions): Split {
  const where = 'ratioSplit';
  rejectUnknownOptions(where, options, OPTION_NAMES);
  if (options.order !== undefined) requireOneOf(where, 'order', options.order, ['time', 'random']);
  const { rng, seed } = splitRng(where, options);
  const { testRatio, validationRatio } = holdoutRatios(where, options);
  const smallUsers = options.smallUsers ?? 'train-only';
  requireSmallUserPolicy(where, smallUsers);
  const byTime = options.order === 'time';
  const notes: string[] = [];
  const validating = validationRatio > 0;
  const parts = perUserHoldout(
    where,
    source,
    rng.fork('holdout'),
    byTime,
    smallUsers,
    (n) => {
      if (n < (validating ? 3 : 2)) return null;
      const validation = validating ? Math.max(1, Math.round(n * validationRatio)) : 0;
      const test = Math.min(Math.max(1, Math.round(n * testRatio)), n - 1 - validation);
      return test < 1 ? null : { test, validation };
    },
    notes,
  );
  const [train, test, validation] = partitionEntries(source.interactions, parts, 3);
  const matrices = { train, test, validation: validating ? validation : undefined };
  return {
    ...matrices,
    description: describeSplit(
      'per-user-ratio',
      source,
      matrices,
      { testRatio, validationRatio, order: byTime ? 'time' : 'random', smallUsers },
      notes,
      seed,
    ),
  };
}
