import { argumentError } from '@trustrec/core-linalg';

/** Learning rate for a 0-based epoch. */
export type LearningRateSchedule = (epoch: number) => number;

export type ScheduleName = 'constant' | 'exponential' | 'linear' | 'step';

/**
 * Builds a schedule from a name: `constant` (η), `exponential` (η·decay^epoch), `linear` (η → η·decay over
 * `epochs`), `step` (η·decay^⌊epoch / stepEvery⌋).
 */
export function createLearningRateSchedule(
  name: ScheduleName,
  learningRate: number,
  options: { decay?: number; epochs?: number; stepEvery?: number } = {},
): LearningRateSchedule {
  if (!(learningRate > 0) || !Number.isFinite(learningRate)) {
    throw argumentError('createLearningRateSchedule', `learningRate must be a finite number > 0, got ${learningRate}`);
  }
  const decay = options.decay ?? 1;
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
