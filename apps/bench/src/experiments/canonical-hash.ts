import { createHash } from 'node:crypto';
import { TrustRecError } from '@trustrec/core-linalg';

/**
 * Canonical JSON: object keys sorted at every level, no whitespace, `undefined` members dropped (as
 * JSON.stringify does). Two configurations that differ only in key order or formatting give the same text,
 * hence the same hash. Non-finite numbers are rejected (JSON would silently turn them into null).
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value))
      throw new TrustRecError({
        code: 'E_ARGUMENT',
        message: `canonicalJson: non-finite number ${value} has no JSON form`,
      });
    return JSON.stringify(value);
  }
  if (Array.isArray(value))
    return `[${value.map((entry) => (entry === undefined ? 'null' : canonicalJson(entry))).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, entry]) => entry !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, entry]) => `${JSON.stringify(key)}:${canonicalJson(entry)}`).join(',')}}`;
  }
  throw new TrustRecError({ code: 'E_ARGUMENT', message: `canonicalJson: cannot encode a ${typeof value}` });
}

/** sha256 (hex) of the canonical JSON of `value`. */
export function stableHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}
