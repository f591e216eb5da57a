import { argumentError } from '@trustrec/core-linalg';

/** Parses an integer CLI option, rejecting anything else with E_ARGUMENT naming the flag. */
export function parseIntegerOption(flag: string, text: string, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isInteger(value) || value < min || value > max) {
    throw argumentError('trustrec', `--${flag} must be an integer in [${min}, ${max}], got "${text}"`, {
      option: flag,
    });
  }
  return value;
}

/** Parses a number CLI option within an open or closed range, rejecting anything else with E_ARGUMENT. */
export function parseNumberOption(
  flag: string,
  text: string,
  range: { min?: number; max?: number; exclusiveMin?: boolean } = {},
): number {
  const value = Number(text);
  const min = range.min ?? Number.NEGATIVE_INFINITY;
  const max = range.max ?? Number.POSITIVE_INFINITY;
  const aboveMin = range.exclusiveMin ? value > min : value >= min;
  if (text.trim() === '' || !Number.isFinite(value) || !aboveMin || value > max) {
    const lower = range.exclusiveMin ? `(${min}` : `[${min}`;
    throw argumentError('trustrec', `--${flag} must be a number in ${lower}, ${max}], got "${text}"`, { option: flag });
  }
  return value;
}

/** Parses a comma-separated list of positive integers (e.g. `--k 5,10,20`). */
export function parseIntegerListOption(flag: string, text: string, min = 1): number[] {
  return text.split(',').map((part) => parseIntegerOption(flag, part.trim(), min));
}
