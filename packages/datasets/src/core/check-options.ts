import { TrustRecError, argumentError, describeOptionValue } from '@trustrec/core-linalg';

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

/**
 * `E_CONFIG` when both `first` and `second` are given (an `undefined` value counts as absent), because one of
 * them would otherwise be silently ignored; `hint` says how to fix it.
 */
export function rejectBothOptions(where: string, options: object, first: string, second: string, hint: string): void {
  const given = options as Readonly<Record<string, unknown>>;
  if (given[first] === undefined || given[second] === undefined) return;
  throw new TrustRecError({
    code: 'E_CONFIG',
    message: `${where}: options '${first}' and '${second}' were both given; ${hint}`,
    details: { option: second, conflictsWith: first },
  });
}
