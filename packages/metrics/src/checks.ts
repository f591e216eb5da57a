import { TrustRecError } from '@trustrec/core-linalg';

/** A NaN or infinite value where a finite number is required (E_NUMERIC), naming the function and the entry. */
export function numericError(where: string, message: string, details?: Record<string, unknown>): TrustRecError {
  return new TrustRecError({ code: 'E_NUMERIC', message: `${where}: ${message}`, details });
}
