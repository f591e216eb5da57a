import { TrustRecError, describeOptionValue, rejectUnknownOptions } from '@trustrec/core-linalg';
import type { FitOptions } from '../recommender/recommender.js';

const FIT_OPTION_NAMES: readonly string[] = ['onEpoch', 'onPretrainEpoch', 'signal', 'validation', 'callbacks'];
const VALIDATION_OPTION_NAMES: readonly string[] = ['name', 'evaluate', 'every'];
const CALLBACK_HOOKS = ['onTrainBegin', 'onEpochEnd', 'onTrainEnd'] as const;

function fitOptionError(model: string, option: string, value: unknown, expected: string): TrustRecError {
  return new TrustRecError({
    code: 'E_CONFIG',
    message: `${model}.fit: option '${option}' must be ${expected}, got ${describeOptionValue(value)}`,
    details: { model, option },
  });
}

/**
 * Checks the {@link FitOptions} of a `fit` call before the model changes: unknown option names (a misspelt
 * `callback` would otherwise be ignored), an `onEpoch` / `onPretrainEpoch` that is not a function, a `signal`
 * that is not an AbortSignal, a `validation` without `name` / `evaluate` or with an `every` that is not an
 * integer ≥ 1, and `callbacks` that is not an array of callbacks (an object with a string `name` and at least
 * one of `onTrainBegin`, `onEpochEnd`, `onTrainEnd`, each a function). Options set to `undefined` count as
 * absent. Throws `E_CONFIG` naming the model and the option.
 */
export function checkFitOptions(model: string, options: FitOptions | undefined): void {
  if (options === undefined) return;
  if (typeof options !== 'object' || options === null) {
    throw fitOptionError(model, 'options', options, 'an object of FitOptions or undefined');
  }
  rejectUnknownOptions(`${model}.fit`, options, FIT_OPTION_NAMES);
  const { onEpoch, onPretrainEpoch, signal, validation, callbacks } = options;
  if (onEpoch !== undefined && typeof onEpoch !== 'function') {
    throw fitOptionError(model, 'onEpoch', onEpoch, 'a function');
  }
  if (onPretrainEpoch !== undefined && typeof onPretrainEpoch !== 'function') {
    throw fitOptionError(model, 'onPretrainEpoch', onPretrainEpoch, 'a function');
  }
  if (
    signal !== undefined &&
    (typeof signal !== 'object' || signal === null || typeof (signal as { aborted?: unknown }).aborted !== 'boolean')
  ) {
    throw fitOptionError(model, 'signal', signal, 'an AbortSignal (e.g. new AbortController().signal)');
  }
  if (validation !== undefined) {
    if (typeof validation !== 'object' || validation === null) {
      throw fitOptionError(model, 'validation', validation, 'an object { name, evaluate, every? }');
    }
    rejectUnknownOptions(`${model}.fit`, validation, VALIDATION_OPTION_NAMES, 'validation');
    if (typeof validation.name !== 'string') {
      throw fitOptionError(model, 'validation.name', validation.name, 'a string naming the metric');
    }
    if (typeof validation.evaluate !== 'function') {
      throw fitOptionError(model, 'validation.evaluate', validation.evaluate, 'a function (model) => number');
    }
    const every = validation.every;
    if (every !== undefined && !(Number.isInteger(every) && every >= 1)) {
      throw fitOptionError(model, 'validation.every', every, 'an integer ≥ 1');
    }
  }
  if (callbacks !== undefined) {
    if (!Array.isArray(callbacks)) throw fitOptionError(model, 'callbacks', callbacks, 'an array of callbacks');
    for (let c = 0; c < callbacks.length; c++) {
      const callback = callbacks[c] as unknown as Record<string, unknown> | null;
      const option = `callbacks[${c}]`;
      if (typeof callback !== 'object' || callback === null || typeof callback.name !== 'string') {
        throw fitOptionError(model, option, callback, 'a callback: an object with a string name and hooks');
      }
      let hooks = 0;
      for (const hook of CALLBACK_HOOKS) {
        const value = callback[hook];
        if (value === undefined) continue;
        if (typeof value !== 'function') throw fitOptionError(model, `${option}.${hook}`, value, 'a function');
        hooks++;
      }
      if (hooks === 0) {
        throw fitOptionError(
          model,
          option,
          `'${callback.name}'`,
          `a callback with at least one of ${CALLBACK_HOOKS.join(', ')} (it has none, so it would never run)`,
        );
      }
    }
  }
}
