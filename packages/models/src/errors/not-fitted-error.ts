import { TrustRecError } from '@trustrec/core-linalg';

/**
 * Thrown when a model is used (scored, recommended from, saved, partially fitted) before `fit` or `load`.
 * Code `E_NOT_FITTED`; identify it with `TrustRecError.isInstance(error, 'E_NOT_FITTED')`.
 */
export class NotFittedError extends TrustRecError {
  readonly model: string;
  readonly operation: string;

  constructor({ model, operation }: { model: string; operation: string }) {
    super({
      code: 'E_NOT_FITTED',
      message: `${model}.${operation}: the model is not fitted; call fit(train) or loadModel(bytes) first`,
      details: { model, operation },
    });
    this.name = 'NotFittedError';
    this.model = model;
    this.operation = operation;
  }
}

/** An `E_CONFIG` error for a hyper-parameter: names the model, the option, the value and what is allowed. */
export function configError(model: string, option: string, value: unknown, expected: string): TrustRecError {
  return new TrustRecError({
    code: 'E_CONFIG',
    message: `${model}: option '${option}' must be ${expected}, got ${JSON.stringify(value)}`,
    details: { model, option, value },
  });
}

/** An `E_ABORTED` error for a fit cancelled through its AbortSignal. */
export function abortedError(model: string, epoch: number): TrustRecError {
  return new TrustRecError({
    code: 'E_ABORTED',
    message: `${model}.fit: aborted by the caller's AbortSignal after ${epoch} completed epoch(s); the model keeps the parameters of the last completed epoch`,
    details: { model, epoch },
  });
}

/**
 * The `E_ABORTED` error of a fit whose AbortSignal was already aborted when `fit` was called: thrown before the
 * model changes, so it says the model is as it was (unlike {@link abortedError}, thrown between epochs).
 */
export function abortedBeforeFitError(model: string): TrustRecError {
  return new TrustRecError({
    code: 'E_ABORTED',
    message: `${model}.fit: the caller's AbortSignal was already aborted when fit was called; nothing was trained and the model is as it was before the call (still fitted with its previous parameters, or still unfitted)`,
    details: { model, epoch: 0 },
  });
}

/**
 * The `E_ABORTED` error of a fit whose AbortSignal fired while `fit` was `preparing` (an await before the first
 * epoch, e.g. starting worker threads) and before it changed the model: like {@link abortedBeforeFitError}, it
 * says the model is as it was.
 */
export function abortedBeforeTrainingError(model: string, preparing: string): TrustRecError {
  return new TrustRecError({
    code: 'E_ABORTED',
    message: `${model}.fit: aborted by the caller's AbortSignal while ${preparing}, before the first epoch; nothing was trained and the model is as it was before the call (still fitted with its previous parameters, or still unfitted)`,
    details: { model, epoch: 0 },
  });
}
