/** What a test reads from a thrown TrustRecError (structurally, so this package needs no dependency on it). */
export interface ThrownError {
  readonly code?: string;
  readonly message: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

/**
 * The error `action` throws, to assert its code, message and details; throws (failing the test) when `action`
 * returns instead, or when what it throws is not an Error.
 */
export function thrownError(action: () => unknown): ThrownError {
  try {
    action();
  } catch (error) {
    if (error instanceof Error) return error as Error & ThrownError;
    throw new Error(`expected an Error to be thrown, got ${String(error)}`);
  }
  throw new Error('expected an error, but nothing was thrown');
}
