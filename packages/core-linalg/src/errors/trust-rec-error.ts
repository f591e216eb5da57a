import type { ErrorCode } from './error-codes.js';

const MARKER = Symbol.for('trustrec.error');

export interface TrustRecErrorOptions {
  /** Stable code from {@link ERROR_CODES}. */
  code: ErrorCode;
  /** What was wrong, where (function, option, file, line, field), and how to fix it. */
  message: string;
  /** The underlying error, if any. */
  cause?: unknown;
  /** Structured context (option name, file, line, ...), kept for programs that inspect errors. */
  details?: Readonly<Record<string, unknown>>;
}

/**
 * The one base class for every error TrustRec throws on purpose. Identify it with
 * `TrustRecError.isInstance(error)`, which works across duplicate package copies where `instanceof` does not
 * (the marker is a `Symbol.for` key, as in vercel/ai's `AISDKError`).
 */
export class TrustRecError extends Error {
  // Read through the symbol key by isInstance, which survives duplicate package copies.
  // biome-ignore lint/correctness/noUnusedPrivateClassMembers: the marker is read via Symbol.for in isInstance
  private readonly [MARKER] = true;
  readonly code: ErrorCode;
  readonly details: Readonly<Record<string, unknown>>;

  constructor({ code, message, cause, details }: TrustRecErrorOptions) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'TrustRecError';
    this.code = code;
    this.details = details ?? {};
  }

  /** True when `error` is a TrustRecError (from any copy of this package), optionally with the given code. */
  static isInstance(error: unknown, code?: ErrorCode): error is TrustRecError {
    if (typeof error !== 'object' || error === null) return false;
    if ((error as Record<symbol, unknown>)[MARKER] !== true) return false;
    return code === undefined || (error as TrustRecError).code === code;
  }
}

/** Shorthand for a shape error naming the function and the offending dimensions. */
export function shapeError(where: string, message: string, details?: Record<string, unknown>): TrustRecError {
  return new TrustRecError({ code: 'E_SHAPE', message: `${where}: ${message}`, details });
}

/** Shorthand for an argument error naming the function and option. */
export function argumentError(where: string, message: string, details?: Record<string, unknown>): TrustRecError {
  return new TrustRecError({ code: 'E_ARGUMENT', message: `${where}: ${message}`, details });
}
