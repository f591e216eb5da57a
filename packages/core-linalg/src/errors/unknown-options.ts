import { TrustRecError } from './trust-rec-error.js';

/**
 * How an option's value is shown in an error message: strings quoted, other primitives as written, and arrays,
 * typed arrays, functions and objects by kind, so that a message never dumps a large value.
 */
export function describeOptionValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name}`;
  if (typeof value === 'object' && value !== null) return 'an object';
  return String(value);
}

/**
 * The option names of an options type, checked by the compiler against it (a name missing from `names`, or one
 * that is not a key of `T`, does not compile), for {@link rejectUnknownOptions}.
 */
export function optionNames<T>(names: { readonly [K in keyof Required<T>]: true }): readonly string[] {
  return Object.freeze(Object.keys(names));
}

/**
 * The unknown-option check every TrustRec function with an options object runs, so that a misspelt name fails
 * instead of silently leaving the option at its default: `E_CONFIG` unless `options` is an object whose own keys
 * are all in `known`. A key whose value is `undefined` counts as absent (as an omitted optional option would),
 * so `{ ...defaults, seed: undefined }` passes. `name` is how the object is called in the message (default
 * `options`; `candidates` makes the option `candidates.numNegatives`). The message names the function, the
 * option, the known names and the value: `leaveOneOutSplit: option 'sed' must be one of the known options (seed,
 * order, …), got 4`.
 */
export function rejectUnknownOptions(
  where: string,
  options: unknown,
  known: readonly string[],
  name = 'options',
): void {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TrustRecError({
      code: 'E_CONFIG',
      message: `${where}: ${name} must be an object with the keys ${known.join(', ')}, got ${describeOptionValue(options)}`,
      details: { option: name, value: options },
    });
  }
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined || known.includes(key)) continue;
    const option = name === 'options' ? key : `${name}.${key}`;
    throw new TrustRecError({
      code: 'E_CONFIG',
      message: `${where}: option '${option}' must be one of the known options (${known.join(', ')}), got ${describeOptionValue(value)}`,
      details: { option, value },
    });
  }
}
