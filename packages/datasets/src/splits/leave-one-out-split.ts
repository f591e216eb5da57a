import { type Rng, requireInteger, rejectUnknownOptions } from '@trustrec/core-linalg';
import { sampleTestCandidates } from '../sampling/sample-test-candidates.js';
import { perUserHoldout } from './per-user-holdout.js';
import {
  type SampledCandidates,
  type SmallUserPolicy,
  type Split,
  type SplitSource,
  describeSplit,
  partitionEntries,
} from './split.js';
import { requireOneOf } from '../core/check-options.js';
import { requireSmallUserPolicy, splitRng } from './split-options.js';

const OPTION_NAMES = ['seed', 'rng', 'holdOut', 'validation', 'order', 'smallUsers', 'candidates'];

export interface LeaveOneOutOptions {
  readonly seed?: number;
  readonly rng?: Rng;
  /** Entries held out per user for test (default 1: leave-one-out; more gives leave-k-out). */
  readonly holdOut?: number;
  /** Also hold out the next `holdOut` entries per user for validation (default false). */
  readonly validation?: boolean;
  /** `time` (default when timestamps exist): latest entries are held out; `random`: seeded random entries. */
  readonly order?: 'time' | 'random';
  /** Users with fewer than `holdOut × parts + 1` interactions (default `train-only`). */
  readonly smallUsers?: SmallUserPolicy;
  /** Also draw fixed test candidates (1 positive + numNegatives, NCF protocol) from items outside train and test. */
  readonly candidates?: { readonly numNegatives: number };
}

/**
 * Leave-one-out (He et al., NCF, WWW 2017, §4.1): each user's latest interaction (by timestamp; seeded random when
 * there are no timestamps) is the test item, optionally the next latest the validation item; users with too few
 * interactions follow `smallUsers`. With `candidates`, also samples the fixed negatives of the sampled protocol.
 */
export function leaveOneOutSplit(source: SplitSource, options: LeaveOneOutOptions): Split {
  const where = 'leaveOneOutSplit';
  rejectUnknownOptions(where, options, OPTION_NAMES);
  if (options.candidates !== undefined) rejectUnknownOptions(where, options.candidates, ['numNegatives'], 'candidates');
  if (options.order !== undefined) requireOneOf(where, 'order', options.order, ['time', 'random']);
  const { rng, seed } = splitRng(where, options);
  const holdOut = options.holdOut ?? 1;
  requireInteger(where, 'holdOut', holdOut, 1);
  const smallUsers = options.smallUsers ?? 'train-only';
  requireSmallUserPolicy(where, smallUsers);
  const byTime = (options.order ?? (source.timestamps ? 'time' : 'random')) === 'time';
  const validationCount = options.validation ? holdOut : 0;
  const notes: string[] = [];
  if (!source.timestamps && options.order === undefined)
    notes.push('no timestamps: held-out entries chosen in seeded random order');
  const parts = perUserHoldout(
    where,
    source,
    rng.fork('holdout'),
    byTime,
    smallUsers,
    (n) => (n > holdOut + validationCount ? { test: holdOut, validation: validationCount } : null),
    notes,
  );
  const [train, test, validation] = partitionEntries(source.interactions, parts, 3);
  const matrices = { train, test, validation: options.validation ? validation : undefined };
  let candidates: SampledCandidates | undefined;
  if (options.candidates) {
    candidates = sampleTestCandidates(train, test, {
      numNegatives: options.candidates.numNegatives,
      rng: rng.fork('candidates'),
    });
  }
  return {
    ...matrices,
    candidates,
    description: describeSplit(
      options.holdOut && options.holdOut > 1 ? 'leave-k-out' : 'leave-one-out',
      source,
      matrices,
      {
        holdOut,
        validation: Boolean(options.validation),
        order: byTime ? 'time' : 'random',
        smallUsers,
        candidates: options.candidates,
      },
      notes,
      seed,
    ),
  };
}
