import { type Rng, argumentError, requireFinite, requireInteger, toRng } from '@trustrec/core-linalg';
import type { SmallUserPolicy } from './split.js';

/** Normalises `seed | rng` (required) for a split function. */
export function splitRng(where: string, options: { seed?: number; rng?: Rng }): { rng: Rng; seed: number } {
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

export function requireSmallUserPolicy(where: string, policy: SmallUserPolicy): void {
  if (policy !== 'train-only' && policy !== 'drop' && policy !== 'error') {
    throw argumentError(where, `smallUsers must be "train-only", "drop" or "error", got ${String(policy)}`, {
      option: 'smallUsers',
    });
  }
}
