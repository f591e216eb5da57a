import { TrustRecError, argumentError } from '@trustrec/core-linalg';

/** A value for an error message: primitives as written, objects and functions by kind (never a huge dump). */
function describeValue(value: unknown): string {
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (ArrayBuffer.isView(value)) return 'a typed array';
  if (typeof value === 'object' && value !== null) return 'an object';
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

/**
 * Unknown-option check: every own key of `options` whose value is not `undefined` must be one of `known`, so a
 * misspelt name (`testratio`, `minUser`) fails with `E_CONFIG` instead of leaving the option at its default.
 * `options` that is not an object is `E_CONFIG` too. `name` is how the object is called in the message.
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
      message: `${where}: ${name} must be an object, got ${describeValue(options)}`,
      details: { option: name },
    });
  }
  for (const [key, value] of Object.entries(options)) {
    if (value !== undefined && !known.includes(key)) {
      const option = name === 'options' ? key : `${name}.${key}`;
      throw new TrustRecError({
        code: 'E_CONFIG',
        message: `${where}: unknown option '${option}' (got ${describeValue(value)}); the known options are ${known.join(', ')} — check the spelling`,
        details: { option, value },
      });
    }
  }
}

/** `E_ARGUMENT` unless `value` is one of `allowed` (an enumerated option, so a misspelt value never runs a default). */
export function requireOneOf<T extends string>(
  where: string,
  name: string,
  value: unknown,
  allowed: readonly T[],
): asserts value is T {
  if (!(allowed as readonly unknown[]).includes(value)) {
    throw argumentError(
      where,
      `${name} must be one of ${allowed.map((entry) => JSON.stringify(entry)).join(', ')}, got ${describeValue(value)}`,
      { option: name, value },
    );
  }
}
