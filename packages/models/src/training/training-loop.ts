import { type Rng, TrustRecError } from '@trustrec/core-linalg';
import { abortedError } from '../errors/not-fitted-error.js';
import type {
  EpochEvent,
  EpochRecord,
  FitOptions,
  FitReport,
  Recommender,
  StopReason,
  TrainingCallback,
} from '../recommender/recommender.js';
import type { BatchSampler } from './batch-sampler.js';
import { checkFitOptions } from './fit-options.js';
import type { GradientModel, GradientTransform, TransformContext } from './gradient-transform.js';
import type { Optimizer } from './optimizer.js';
import type { SparseGradientBatch } from './sparse-gradient-batch.js';

/** What one epoch (or ALS iteration) of a model reports back to {@link runEpochs}. */
export interface EpochResult {
  /** Mean loss over the epoch's examples (NaN when the model has none). */
  readonly loss: number;
  readonly samples: number;
  readonly learningRate: number;
  /** True when the model converged and wants to stop. */
  readonly converged?: boolean;
}

export interface RunEpochsOptions {
  readonly model: Recommender;
  readonly epochs: number;
  readonly backend: string;
  readonly fit: FitOptions | undefined;
  /** Runs 0-based epoch `epoch`. May throw; must leave the model consistent after each epoch. */
  readonly runEpoch: (epoch: number) => EpochResult | Promise<EpochResult>;
}

const now = (): number => performance.now() / 1000;

function throwIfAborted(signal: AbortSignal | undefined, model: string, epoch: number): void {
  if (signal?.aborted) throw abortedError(model, epoch);
}

/**
 * The epoch driver every model's `fit` runs through: timing, abort checks, validation, `onEpoch`, callbacks
 * (early stopping, checkpoints) and the {@link FitReport}. Models supply only `runEpoch`. The fit options are
 * checked first (`E_CONFIG`, see `checkFitOptions`); a validation value that is not a finite number is `E_NUMERIC`.
 */
export async function runEpochs(options: RunEpochsOptions): Promise<FitReport> {
  const { model, epochs, backend, fit = {}, runEpoch } = options;
  checkFitOptions(model.name, fit);
  const callbacks: readonly TrainingCallback[] = fit.callbacks ?? [];
  const history: EpochRecord[] = [];
  const started = now();
  let trainingSeconds = 0;
  let samples = 0;
  let stopReason: StopReason = 'completed';
  let best: { epoch: number; value: number } | undefined;
  throwIfAborted(fit.signal, model.name, 0);
  for (const callback of callbacks) callback.onTrainBegin?.(model);
  for (let epoch = 0; epoch < epochs; epoch++) {
    const epochStart = now();
    const result = await runEpoch(epoch);
    const seconds = now() - epochStart;
    trainingSeconds += seconds;
    samples += result.samples;
    let validation: number | undefined;
    const every = fit.validation?.every ?? 1;
    if (fit.validation && ((epoch + 1) % every === 0 || epoch === epochs - 1)) {
      validation = await fit.validation.evaluate(model);
      if (typeof validation !== 'number' || !Number.isFinite(validation)) {
        throw new TrustRecError({
          code: 'E_NUMERIC',
          message: `${model.name}.fit: validation '${fit.validation.name}' returned ${String(validation)} after epoch ${epoch + 1}; evaluate must return a finite number (higher is better)`,
          details: { model: model.name, epoch: epoch + 1, validation },
        });
      }
      if (best === undefined || validation > best.value) best = { epoch: epoch + 1, value: validation };
    }
    history.push({
      epoch: epoch + 1,
      loss: result.loss,
      samples: result.samples,
      seconds,
      learningRate: result.learningRate,
      validation,
    });
    const event: EpochEvent = {
      epoch: epoch + 1,
      totalEpochs: epochs,
      loss: result.loss,
      samples: result.samples,
      seconds,
      learningRate: result.learningRate,
      validation,
      model,
    };
    let stop = fit.onEpoch?.(event) === 'stop';
    for (const callback of callbacks) if (callback.onEpochEnd?.(event) === 'stop') stop = true;
    if (stop) {
      stopReason = 'callback';
      break;
    }
    if (result.converged) {
      stopReason = 'converged';
      break;
    }
    // Yield to the event loop so timers and abort requests can run between epochs.
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (epoch < epochs - 1) throwIfAborted(fit.signal, model.name, epoch + 1);
  }
  const run = history.length;
  const report: FitReport = {
    model: model.name,
    epochs: run,
    seconds: now() - started,
    secondsPerEpoch: run > 0 ? trainingSeconds / run : 0,
    samples,
    samplesPerSecond: trainingSeconds > 0 ? samples / trainingSeconds : 0,
    finalLoss: run > 0 ? history[run - 1].loss : Number.NaN,
    stopReason,
    bestValidation: best,
    history,
    backend,
  };
  for (const callback of callbacks) callback.onTrainEnd?.(model, report);
  return report;
}

export interface GradientEpochOptions {
  readonly model: GradientModel;
  readonly sampler: BatchSampler;
  readonly optimizer: Optimizer;
  readonly transforms: readonly GradientTransform[];
  /** Per-transform streams, forked once per fit from the model's rng (same order as `transforms`). */
  readonly transformRngs: readonly Rng[];
  readonly samplerRng: Rng;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly epoch: number;
  /** The gradient buffer (reuse across epochs; built for `model.parameterTables()`). */
  readonly gradients: SparseGradientBatch;
  /** Global step counter, advanced in place. */
  readonly stepCounter: { value: number };
  /** `mean` scales the summed gradient by 1/batch size before the optimizer (PyTorch default); `sum` does not. */
  readonly reduction: 'mean' | 'sum';
  readonly signal?: AbortSignal;
  readonly modelName: string;
}

/**
 * One epoch of the generic gradient loop: sampler → `model.computeGradients` (per-example sparse gradients) →
 * transforms in order → optimizer. Returns the mean loss. Models with a fused fast path (MF-BPR with plain SGD)
 * must give the same numbers as this loop at batch size 1.
 */
export function runGradientEpoch(options: GradientEpochOptions): EpochResult {
  const { model, sampler, optimizer, transforms, gradients, batchSize } = options;
  let lossSum = 0;
  let samples = 0;
  let batches = 0;
  for (const examples of sampler.epoch(options.samplerRng, batchSize)) {
    if ((++batches & 63) === 0 && options.signal?.aborted) throw abortedError(options.modelName, options.epoch);
    gradients.reset();
    lossSum += model.computeGradients(examples, gradients);
    const step = options.stepCounter.value++;
    for (let t = 0; t < transforms.length; t++) {
      const context: TransformContext = {
        epoch: options.epoch,
        step,
        learningRate: options.learningRate,
        rng: options.transformRngs[t],
        model,
        examples,
      };
      transforms[t].apply(gradients, context);
    }
    optimizer.step(gradients, options.learningRate, options.reduction === 'mean' ? 1 / examples.size : 1);
    samples += examples.size;
  }
  return { loss: samples > 0 ? lossSum / samples : Number.NaN, samples, learningRate: options.learningRate };
}
