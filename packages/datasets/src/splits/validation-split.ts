import { TrustRecError, describeOptionValue, rejectUnknownOptions } from '@trustrec/core-linalg';
import type { Rng } from '@trustrec/core-linalg';
import { perUserHoldout } from './per-user-holdout.js';
import { type SmallUserPolicy, type Split, describeSplit, partitionEntries } from './split.js';
import { requireOneOf } from '../core/check-options.js';
import { requireRatio, requireSmallUserPolicy, splitRng } from './split-options.js';

const OPTION_NAMES = ['seed', 'rng', 'method', 'ratio', 'smallUsers'];

export interface ValidationSplitOptions {
  readonly seed?: number;
  readonly rng?: Rng;
  /** `leave-one-out`: one random train entry per user; `ratio` (default): `ratio` of each user's train entries. */
  readonly method?: 'leave-one-out' | 'ratio';
  /** Share of each user's train entries for validation (method `ratio` only, default 0.1; `E_CONFIG` with `leave-one-out`). */
  readonly ratio?: number;
  /** Users with too few train entries (default `train-only`). */
  readonly smallUsers?: SmallUserPolicy;
}

/**
 * Carves a validation set out of a split's train part (test and candidates untouched), so hyper-parameters are
 * tuned without touching test. Train-entry timestamps are not known at this point, so entries are chosen in
 * seeded random order.
 */
export function validationSplit(split: Split, options: ValidationSplitOptions): Split {
  const where = 'validationSplit';
  rejectUnknownOptions(where, options, OPTION_NAMES);
  const { rng, seed } = splitRng(where, options);
  const method = options.method ?? 'ratio';
  requireOneOf(where, 'method', method, ['leave-one-out', 'ratio']);
  if (method === 'leave-one-out' && options.ratio !== undefined) {
    throw new TrustRecError({
      code: 'E_CONFIG',
      message: `${where}: option 'ratio' (${describeOptionValue(options.ratio)}) has no effect with method 'leave-one-out', which holds out exactly one train entry per user; drop ratio, or use method 'ratio'`,
      details: { option: 'ratio', value: options.ratio, conflictsWith: 'method' },
    });
  }
  const ratio = options.ratio ?? 0.1;
  if (method === 'ratio') requireRatio(where, 'ratio', ratio);
  const smallUsers = options.smallUsers ?? 'train-only';
  requireSmallUserPolicy(where, smallUsers);
  const notes = [...split.description.notes];
  const source = { interactions: split.train, name: split.description.dataset };
  const parts = perUserHoldout(
    where,
    source,
    rng.fork('validation'),
    false,
    smallUsers,
    (n) => {
      if (n < 2) return null;
      return {
        test: method === 'leave-one-out' ? 1 : Math.min(n - 1, Math.max(1, Math.round(n * ratio))),
        validation: 0,
      };
    },
    notes,
  );
  const [train, validation] = partitionEntries(split.train, parts, 2);
  const matrices = { train, validation, test: split.test };
  return {
    ...matrices,
    candidates: split.candidates,
    description: describeSplit(
      `${split.description.method} + validation`,
      source,
      matrices,
      { ...split.description.options, validation: { method, ratio, seed, smallUsers } },
      notes,
      split.description.seed,
    ),
  };
}
