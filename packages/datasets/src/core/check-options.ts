import { argumentError, describeOptionValue } from '@trustrec/core-linalg';

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
      `${name} must be one of ${allowed.map((entry) => JSON.stringify(entry)).join(', ')}, got ${describeOptionValue(value)}`,
      { option: name, value },
    );
  }
}
