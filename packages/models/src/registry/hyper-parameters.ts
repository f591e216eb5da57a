import type { HyperParameterValue, HyperParameters } from '../recommender/recommender.js';
import { configError } from '../errors/not-fitted-error.js';

/** How one hyper-parameter is validated. */
export type HyperParameterSpec =
  | { readonly type: 'integer'; readonly min?: number; readonly max?: number }
  | { readonly type: 'number'; readonly min?: number; readonly max?: number; readonly exclusiveMin?: boolean }
  | { readonly type: 'boolean' }
  | { readonly type: 'enum'; readonly values: readonly string[] }
  | { readonly type: 'integer-list'; readonly min?: number };

/**
 * Merges `given` over `defaults` and validates every value against `specs`. Unknown names and invalid values
 * throw `E_CONFIG` naming the model, the option and what is allowed — never clamped or coerced.
 */
export function resolveHyperParameters<T extends HyperParameters>(
  model: string,
  defaults: T,
  specs: { readonly [K in keyof T]: HyperParameterSpec },
  given: Readonly<Record<string, unknown>> = {},
): T {
  if (typeof given !== 'object' || given === null) throw configError(model, 'hyperParameters', given, 'an object');
  const result: Record<string, HyperParameterValue> = { ...defaults };
  for (const [key, value] of Object.entries(given)) {
    if (value === undefined) continue;
    if (!Object.hasOwn(specs, key)) {
      throw configError(model, key, value, `one of the known options (${Object.keys(specs).join(', ')})`);
    }
    result[key] = value as HyperParameterValue;
  }
  for (const [key, spec] of Object.entries(specs) as [string, HyperParameterSpec][]) {
    const value = result[key];
    switch (spec.type) {
      case 'integer': {
        const ok =
          typeof value === 'number' &&
          Number.isInteger(value) &&
          (spec.min === undefined || value >= spec.min) &&
          (spec.max === undefined || value <= spec.max);
        if (!ok)
          throw configError(
            model,
            key,
            value,
            `an integer${spec.min !== undefined ? ` ≥ ${spec.min}` : ''}${spec.max !== undefined ? ` and ≤ ${spec.max}` : ''}`,
          );
        break;
      }
      case 'number': {
        const ok =
          typeof value === 'number' &&
          Number.isFinite(value) &&
          (spec.min === undefined || (spec.exclusiveMin ? value > spec.min : value >= spec.min)) &&
          (spec.max === undefined || value <= spec.max);
        if (!ok) {
          const low = spec.min === undefined ? '' : ` ${spec.exclusiveMin ? '>' : '≥'} ${spec.min}`;
          const high = spec.max === undefined ? '' : ` and ≤ ${spec.max}`;
          throw configError(model, key, value, `a finite number${low}${high}`);
        }
        break;
      }
      case 'boolean':
        if (typeof value !== 'boolean') throw configError(model, key, value, 'true or false');
        break;
      case 'enum':
        if (typeof value !== 'string' || !spec.values.includes(value))
          throw configError(model, key, value, `one of ${spec.values.join(', ')}`);
        break;
      case 'integer-list': {
        const ok =
          Array.isArray(value) &&
          value.length > 0 &&
          value.every(
            (entry) =>
              typeof entry === 'number' && Number.isInteger(entry) && (spec.min === undefined || entry >= spec.min),
          );
        if (!ok)
          throw configError(
            model,
            key,
            value,
            `a non-empty list of integers${spec.min !== undefined ? ` ≥ ${spec.min}` : ''}`,
          );
        break;
      }
    }
  }
  return Object.freeze(result) as T;
}
