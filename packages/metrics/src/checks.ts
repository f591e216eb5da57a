import { TrustRecError } from '@trustrec/core-linalg';

/**
 * Unknown-option check (E_CONFIG), internal: `options` must be an object whose own keys are all in `known`,
 * whatever their values, so a misspelt name (`{ alternatve: 'less' }`) fails instead of running the default.
 * Worded like the defenses' `rejectUnknownOptions`: the function, the unknown name, the known names and the value.
 */
export function rejectUnknownOptions(where: string, options: unknown, known: readonly string[]): void {
  if (typeof options !== 'object' || options === null) {
    throw new TrustRecError({
      code: 'E_CONFIG',
      message: `${where}: options must be an object with the keys ${known.join(', ')}, got ${describeValue(options)}`,
      details: { value: options },
    });
  }
  for (const name of Object.keys(options)) {
    if (!known.includes(name)) {
      const value = (options as Record<string, unknown>)[name];
      throw new TrustRecError({
        code: 'E_CONFIG',
        message: `${where}: option '${name}' must be one of the known options (${known.join(', ')}), got ${describeValue(value)}; check its spelling`,
        details: { option: name, value },
      });
    }
  }
}

function describeValue(value: unknown): string {
  if (typeof value === 'function') return 'a function';
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name}`;
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'object' && value !== null) return Array.isArray(value) ? 'an array' : 'an object';
  return String(value);
}

/** A NaN or infinite value where a finite number is required (E_NUMERIC), naming the function and the entry. */
export function numericError(where: string, message: string, details?: Record<string, unknown>): TrustRecError {
  return new TrustRecError({ code: 'E_NUMERIC', message: `${where}: ${message}`, details });
}
