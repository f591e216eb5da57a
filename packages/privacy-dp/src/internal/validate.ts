import { argumentError, describeOptionValue } from '@trustrec/core-linalg';

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

/** E_ARGUMENT unless `rng` is an `Rng` (from `createRng(seed)` or `rng.fork(label)` of @trustrec/core-linalg). */
export function requireRng(where: string, rng: unknown): void {
  const candidate = rng as Partial<Record<'nextUint32' | 'nextFloat' | 'nextInt' | 'normal', unknown>> | null;
  if (
    candidate === null ||
    typeof candidate !== 'object' ||
    typeof candidate.nextUint32 !== 'function' ||
    typeof candidate.nextFloat !== 'function' ||
    typeof candidate.nextInt !== 'function' ||
    typeof candidate.normal !== 'function'
  ) {
    throw argumentError(
      where,
      `rng must be an Rng (createRng(seed) or rng.fork(label) from @trustrec/core-linalg), got ${describeOptionValue(rng)}`,
      { option: 'rng' },
    );
  }
}

/** The RDP → (ε, δ) conversions (see `RdpConversion`). */
const CONVERSIONS: readonly string[] = ['improved', 'classic'];

/** E_ARGUMENT unless `conversion` is 'improved' or 'classic' (a misspelt name must not run the default). */
export function requireConversion(where: string, conversion: unknown): void {
  if (!CONVERSIONS.includes(conversion as string)) {
    throw argumentError(
      where,
      `conversion must be 'improved' or 'classic', got ${describeOptionValue(conversion)}; leave it out for 'improved'`,
      { option: 'conversion', value: conversion },
    );
  }
}

/**
 * E_ARGUMENT unless `orders` is a non-empty array (or typed array) of finite Rényi orders > 1, each named by its
 * index.
 */
export function requireOrders(where: string, orders: unknown): void {
  if (!(Array.isArray(orders) || (ArrayBuffer.isView(orders) && !(orders instanceof DataView)))) {
    throw argumentError(where, `orders must be an array of Rényi orders > 1, got ${describeOptionValue(orders)}`, {
      option: 'orders',
    });
  }
  const list = orders as ArrayLike<number>;
  if (list.length === 0) throw argumentError(where, 'orders must not be empty', { option: 'orders' });
  for (let index = 0; index < list.length; index++) {
    const order = list[index];
    if (!(typeof order === 'number' && order > 1 && Number.isFinite(order))) {
      throw argumentError(where, `orders[${index}] must be a finite number > 1, got ${order}`, { option: 'orders' });
    }
  }
}

/**
 * E_ARGUMENT unless `value` is what an `ArrayLike<number>` argument takes: an array, a typed array of numbers (not a
 * BigInt64Array / BigUint64Array) or another object with an integer `length` ≥ 0. Anything else (undefined, a
 * number, a string, a Set) would otherwise fail with a TypeError or be read as an empty list. `what` says what the
 * elements are, `example` is a valid value for the message.
 */
export function requireNumberList(where: string, name: string, value: unknown, what: string, example: string): void {
  let ok: boolean;
  if (Array.isArray(value)) ok = true;
  else if (ArrayBuffer.isView(value))
    ok = !(value instanceof DataView || value instanceof BigInt64Array || value instanceof BigUint64Array);
  else if (typeof value === 'object' && value !== null) {
    const length = (value as { length?: unknown }).length;
    ok = typeof length === 'number' && Number.isSafeInteger(length) && length >= 0;
  } else ok = false;
  if (!ok) {
    throw argumentError(
      where,
      `${name} must be an array (or typed array) of ${what}, got ${describeOptionValue(value)}; pass e.g. ${example}`,
      { option: name },
    );
  }
}

/** E_ARGUMENT unless `vector` is a Float32Array or a Float64Array (the in-place noise functions write into it). */
export function requireFloatVector(where: string, vector: unknown): void {
  if (!(vector instanceof Float32Array || vector instanceof Float64Array)) {
    throw argumentError(
      where,
      `vector must be a Float32Array or a Float64Array (the noise is added in place), got ${describeOptionValue(vector)}; wrap a plain array with Float64Array.from(values)`,
      { option: 'vector' },
    );
  }
}
