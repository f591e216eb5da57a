import { argumentError, rejectUnknownOptions } from '@trustrec/core-linalg';

/** Learning rate for a 0-based epoch. */
export type LearningRateSchedule = (epoch: number) => number;

export type ScheduleName = 'constant' | 'exponential' | 'linear' | 'step';

const SCHEDULE_OPTION_NAMES: readonly string[] = ['decay', 'epochs', 'stepEvery'];

/**
 * Builds a schedule from a name: `constant` (η), `exponential` (η·decay^epoch), `linear` (η → η·decay over
 * `epochs`, reached at epoch `epochs` − 1; `epochs` 0 or 1 gives η·decay from epoch 1 on), `step`
 * (η·decay^⌊epoch / stepEvery⌋). Options: `decay` a finite number > 0 (default 1), `epochs` an integer ≥ 0
 * (default 1), `stepEvery` an integer ≥ 1 (default 10); anything else is `E_ARGUMENT`, an unknown option name `E_CONFIG`.
 */
export function createLearningRateSchedule(
  name: ScheduleName,
  learningRate: number,
  options: { decay?: number; epochs?: number; stepEvery?: number } = {},
): LearningRateSchedule {
  if (!(learningRate > 0) || !Number.isFinite(learningRate)) {
    throw argumentError('createLearningRateSchedule', `learningRate must be a finite number > 0, got ${learningRate}`);
  }
  rejectUnknownOptions('createLearningRateSchedule', options, SCHEDULE_OPTION_NAMES);
  const decay = options.decay ?? 1;
  if (typeof decay !== 'number' || !Number.isFinite(decay) || decay <= 0)
    throw argumentError('createLearningRateSchedule', `decay must be a finite number > 0, got ${String(decay)}`);
  if (options.epochs !== undefined && !(Number.isInteger(options.epochs) && options.epochs >= 0))
    throw argumentError('createLearningRateSchedule', `epochs must be an integer ≥ 0, got ${String(options.epochs)}`);
  if (options.stepEvery !== undefined && !(Number.isInteger(options.stepEvery) && options.stepEvery >= 1))
    throw argumentError(
      'createLearningRateSchedule',
      `stepEvery must be an integer ≥ 1, got ${String(options.stepEvery)}`,
    );
  switch (name) {
    case 'constant':
      return () => learningRate;
    case 'exponential':
      return (epoch) => learningRate * decay ** epoch;
    case 'linear': {
      const epochs = Math.max(1, options.epochs ?? 1);
      return (epoch) => learningRate * (1 - (1 - decay) * Math.min(1, epoch / Math.max(1, epochs - 1)));
    }
    case 'step': {
      const every = Math.max(1, options.stepEvery ?? 10);
      return (epoch) => learningRate * decay ** Math.floor(epoch / every);
    }
    default:
      throw argumentError(
        'createLearningRateSchedule',
        `unknown schedule '${String(name)}'; use constant, exponential, linear or step`,
      );
  }
}
