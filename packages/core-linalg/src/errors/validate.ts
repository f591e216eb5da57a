import { argumentError } from './trust-rec-error.js';

/** Throws E_ARGUMENT unless `value` is an integer in [min, max]. */
export function requireInteger(
  where: string,
  name: string,
  value: number,
  min = 0,
  max = Number.MAX_SAFE_INTEGER,
): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw argumentError(where, `${name} must be an integer in [${min}, ${max}], got ${value}`, { option: name, value });
  }
}

/** Throws E_ARGUMENT unless `value` is a finite number (optionally > 0 or >= 0). */
export function requireFinite(
  where: string,
  name: string,
  value: number,
  constraint: 'any' | 'positive' | 'non-negative' = 'any',
): void {
  const ok = Number.isFinite(value) && (constraint === 'any' || (constraint === 'positive' ? value > 0 : value >= 0));
  if (!ok) {
    const wanted = constraint === 'any' ? 'a finite number' : `a finite ${constraint} number`;
    throw argumentError(where, `${name} must be ${wanted}, got ${value}`, { option: name, value });
  }
}
