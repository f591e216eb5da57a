import { argumentError } from '@trustrec/core-linalg';

/** E_ARGUMENT unless `value` is a finite number > 0. */
export function requirePositive(where: string, name: string, value: number): void {
  if (!(typeof value === 'number' && Number.isFinite(value) && value > 0)) {
    throw argumentError(where, `${name} must be a finite number > 0, got ${value}`, { option: name, value });
  }
}

/** E_ARGUMENT unless `value` lies in the open interval (0, 1) (δ, a probability). */
export function requireOpenUnit(where: string, name: string, value: number): void {
  if (!(typeof value === 'number' && value > 0 && value < 1)) {
    throw argumentError(where, `${name} must be in the open interval (0, 1), got ${value}`, { option: name, value });
  }
}

/** E_ARGUMENT unless `value` lies in (0, 1] (a Poisson sampling rate). */
export function requireSamplingRate(where: string, name: string, value: number): void {
  if (!(typeof value === 'number' && value > 0 && value <= 1)) {
    throw argumentError(where, `${name} must be in (0, 1] (a Poisson sampling rate), got ${value}`, {
      option: name,
      value,
    });
  }
}

/** E_ARGUMENT unless `value` is an integer ≥ `min`. */
export function requireCount(where: string, name: string, value: number, min = 1): void {
  if (!(Number.isSafeInteger(value) && value >= min)) {
    throw argumentError(where, `${name} must be an integer ≥ ${min}, got ${value}`, { option: name, value });
  }
}

/** E_ARGUMENT unless `value` is a finite number. */
export function requireFiniteNumber(where: string, name: string, value: number): void {
  if (!(typeof value === 'number' && Number.isFinite(value))) {
    throw argumentError(where, `${name} must be a finite number, got ${value}`, { option: name, value });
  }
}
