import { TrustRecError, argumentError, rejectUnknownOptions } from '@trustrec/core-linalg';
import { type Recommender, type TrainingCallback, supportsRestore } from '../recommender/recommender.js';

export interface EarlyStoppingOptions {
  /** Validations without improvement before stopping (default 3): epochs when validation runs every epoch. */
  readonly patience?: number;
  /** Minimum improvement that counts (default 0). */
  readonly minDelta?: number;
  /**
   * Bring back the model of the best epoch when training ends (default true): its whole learned state (factors,
   * biases, network weights), so it scores exactly as it did at that epoch. Needs a model with `restore`
   * (every built-in one).
   */
  readonly restoreBest?: boolean;
}

const EARLY_STOPPING_OPTION_NAMES: readonly string[] = ['patience', 'minDelta', 'restoreBest'];

/**
 * Early stopping on `FitOptions.validation` (higher is better). Epochs without a validation value are ignored.
 * An unknown option name is `E_CONFIG`; a `patience` that is not an integer ≥ 1, a `minDelta` that is not a
 * finite number ≥ 0 and a non-boolean `restoreBest` are `E_ARGUMENT`.
 * With `restoreBest`, the model is saved (`save()`) at each new best and restored (`restore`) when training ends,
 * as Keras' `restore_best_weights` and RecBole's best checkpoint do.
 */
export function earlyStopping(options: EarlyStoppingOptions = {}): TrainingCallback & { readonly bestEpoch: number } {
  rejectUnknownOptions('earlyStopping', options, EARLY_STOPPING_OPTION_NAMES);
  const patience = options.patience ?? 3;
  const minDelta = options.minDelta ?? 0;
  const restoreBest = options.restoreBest ?? true;
  if (!Number.isInteger(patience) || patience < 1)
    throw argumentError('earlyStopping', `patience must be an integer ≥ 1, got ${patience}`);
  if (typeof minDelta !== 'number' || !Number.isFinite(minDelta) || minDelta < 0)
    throw argumentError('earlyStopping', `minDelta must be a finite number ≥ 0, got ${String(minDelta)}`);
  if (typeof restoreBest !== 'boolean')
    throw argumentError('earlyStopping', `restoreBest must be true or false, got ${String(restoreBest)}`);
  let best = Number.NEGATIVE_INFINITY;
  let bestEpoch = 0;
  let waited = 0;
  let snapshot: Uint8Array | undefined;
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
      if (restoreBest && !supportsRestore(model)) {
        throw new TrustRecError({
          code: 'E_CONFIG',
          message: `earlyStopping: restoreBest needs a model with restore(bytes), '${model.name}' has none; implement it (BaseRecommender does) or pass restoreBest: false`,
        });
      }
    },
    onEpochEnd(event) {
      if (event.validation === undefined) return;
      if (event.validation > best + minDelta) {
        best = event.validation;
        bestEpoch = event.epoch;
        waited = 0;
        if (restoreBest) snapshot = event.model.save();
        return;
      }
      waited++;
      return waited >= patience ? 'stop' : undefined;
    },
    onTrainEnd(model) {
      if (restoreBest && snapshot && supportsRestore(model)) model.restore(snapshot);
    },
  };
}

/** Calls `write(model.save(), epoch)` every `every` epochs (checkpointing). */
export function checkpoint(every: number, write: (bytes: Uint8Array, epoch: number) => void): TrainingCallback {
  if (!Number.isInteger(every) || every < 1)
    throw argumentError('checkpoint', `every must be an integer ≥ 1, got ${every}`);
  if (typeof write !== 'function')
    throw argumentError('checkpoint', `write must be a function (bytes, epoch) => void, got ${String(write)}`);
  return {
    name: 'checkpoint',
    onEpochEnd(event) {
      if (event.epoch % every === 0) write(event.model.save(), event.epoch);
    },
  };
}
