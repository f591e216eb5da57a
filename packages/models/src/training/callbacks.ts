import { TrustRecError, argumentError } from '@trustrec/core-linalg';
import { type Recommender, type TrainingCallback, isFactorModel } from '../recommender/recommender.js';

export interface EarlyStoppingOptions {
  /** Epochs without improvement of the validation metric before stopping (default 3). */
  readonly patience?: number;
  /** Minimum improvement that counts (default 0). */
  readonly minDelta?: number;
  /** Restore the factors of the best epoch at the end (factor models only; default true). */
  readonly restoreBest?: boolean;
}

/**
 * Early stopping on `FitOptions.validation` (higher is better). Epochs without a validation value are ignored.
 * With `restoreBest`, a factor model's `userFactors` / `itemFactors` are copied at each new best and written
 * back when training ends.
 */
export function earlyStopping(options: EarlyStoppingOptions = {}): TrainingCallback & { readonly bestEpoch: number } {
  const patience = options.patience ?? 3;
  const minDelta = options.minDelta ?? 0;
  const restoreBest = options.restoreBest ?? true;
  if (!Number.isInteger(patience) || patience < 1)
    throw argumentError('earlyStopping', `patience must be an integer ≥ 1, got ${patience}`);
  let best = Number.NEGATIVE_INFINITY;
  let bestEpoch = 0;
  let waited = 0;
  let snapshot: { users: Float32Array; items: Float32Array } | undefined;
  return {
    name: 'early-stopping',
    get bestEpoch() {
      return bestEpoch;
    },
    onTrainBegin(model: Recommender) {
      best = Number.NEGATIVE_INFINITY;
      bestEpoch = 0;
      waited = 0;
      snapshot = undefined;
      if (restoreBest && !isFactorModel(model)) {
        throw new TrustRecError({
          code: 'E_CONFIG',
          message: `earlyStopping: restoreBest needs a factor model, '${model.name}' is not one; pass restoreBest: false`,
        });
      }
    },
    onEpochEnd(event) {
      if (event.validation === undefined) return;
      if (event.validation > best + minDelta) {
        best = event.validation;
        bestEpoch = event.epoch;
        waited = 0;
        if (restoreBest && isFactorModel(event.model)) {
          snapshot = { users: event.model.userFactors.slice(), items: event.model.itemFactors.slice() };
        }
        return;
      }
      waited++;
      return waited >= patience ? 'stop' : undefined;
    },
    onTrainEnd(model) {
      if (restoreBest && snapshot && isFactorModel(model)) {
        model.userFactors.set(snapshot.users);
        model.itemFactors.set(snapshot.items);
      }
    },
  };
}

/** Calls `write(model.save(), epoch)` every `every` epochs (checkpointing). */
export function checkpoint(every: number, write: (bytes: Uint8Array, epoch: number) => void): TrainingCallback {
  if (!Number.isInteger(every) || every < 1)
    throw argumentError('checkpoint', `every must be an integer ≥ 1, got ${every}`);
  return {
    name: 'checkpoint',
    onEpochEnd(event) {
      if (event.epoch % every === 0) write(event.model.save(), event.epoch);
    },
  };
}
