import { type Rng, argumentError, requireFinite, requireInteger, toRng } from '@trustrec/core-linalg';
import { rejectBothOptions } from '../core/check-options.js';
import type { SmallUserPolicy } from './split.js';

/**
 * `E_CONFIG` when both `seed` and `rng` are given: the rng would win and the seed be silently ignored (shared by
 * the split functions and `sampleTestCandidates`).
 */
export function rejectSeedAndRng(where: string, options: { seed?: number; rng?: Rng }): void {
  rejectBothOptions(
    where,
    options,
    'seed',
    'rng',
    'give seed or rng, not both (pass rng to continue an existing stream, seed to start a new one)',
  );
}

/** Normalises `seed | rng` (exactly one, required) for a split function. */
export function splitRng(where: string, options: { seed?: number; rng?: Rng }): { rng: Rng; seed: number } {
  rejectSeedAndRng(where, options);
  if (options.rng) return { rng: options.rng, seed: options.rng.seed };
  if (options.seed === undefined)
    throw argumentError(where, 'seed (or rng) is required: every split is seeded', { option: 'seed' });
  requireInteger(where, 'seed', options.seed);
  return { rng: toRng(options.seed), seed: options.seed };
}

/** Checks a ratio option in (0, 1) (or [0, 1) when `allowZero`). */
export function requireRatio(where: string, name: string, value: number, allowZero = false): void {
  requireFinite(where, name, value);
  if (!(allowZero ? value >= 0 && value < 1 : value > 0 && value < 1)) {
    throw argumentError(where, `${name} must be in ${allowZero ? '[0, 1)' : '(0, 1)'}, got ${value}`, {
      option: name,
      value,
    });
  }
}

/**
 * Reads and checks the `testRatio` (default 0.2, in (0, 1)) and `validationRatio` (default 0, in [0, 1)) options
 * of a holdout split; their sum must stay below 1 so that train keeps a share.
 */
export function holdoutRatios(
  where: string,
  options: { testRatio?: number; validationRatio?: number },
): { testRatio: number; validationRatio: number } {
  const testRatio = options.testRatio ?? 0.2;
  const validationRatio = options.validationRatio ?? 0;
  requireRatio(where, 'testRatio', testRatio);
  requireRatio(where, 'validationRatio', validationRatio, true);
  requireRatio(where, 'testRatio + validationRatio', testRatio + validationRatio);
  return { testRatio, validationRatio };
}

export function requireSmallUserPolicy(where: string, policy: SmallUserPolicy): void {
  if (policy !== 'train-only' && policy !== 'drop' && policy !== 'error') {
    throw argumentError(where, `smallUsers must be "train-only", "drop" or "error", got ${String(policy)}`, {
      option: 'smallUsers',
    });
  }
}
