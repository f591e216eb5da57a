import { type CsrMatrix, type Rng, TrustRecError, optionNames, rejectUnknownOptions } from '@trustrec/core-linalg';
import {
  AdagradOptimizer,
  type BatchSampler,
  type FitOptions,
  type FitReport,
  type GradientModel,
  type GradientTransform,
  type Optimizer,
  type ParameterTable,
  type Recommender,
  SparseGradientBatch,
  UniformNegativeSampler,
  createOptimizer,
  runEpochs,
  runGradientEpoch,
} from '@trustrec/models';

/** Optimisers a defense trainer accepts. */
export type DefenseOptimizer = 'sgd' | 'adagrad' | 'adam';

/**
 * The optimizer by name; `adagrad` starts its accumulators at 0.1 like TensorFlow's `AdagradOptimizer`, which
 * the APR code uses (so the first steps after pre-training are not full-size jumps).
 */
export function createDefenseOptimizer(name: DefenseOptimizer): Optimizer {
  return name === 'adagrad' ? new AdagradOptimizer(1e-7, 0.1) : createOptimizer(name);
}

export interface GradientPhaseOptions {
  /** The model whose live tables are trained (it is the `Recommender` the epoch events carry). */
  readonly recommender: Recommender;
  readonly gradientModel: GradientModel;
  readonly tables: readonly ParameterTable[];
  readonly sampler: BatchSampler;
  readonly transforms: readonly GradientTransform[];
  readonly optimizer: Optimizer;
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly reduction: 'mean' | 'sum';
  readonly rng: Rng;
  readonly fit?: FitOptions;
}

const GRADIENT_PHASE_OPTIONS = optionNames<GradientPhaseOptions>({
  recommender: true,
  gradientModel: true,
  tables: true,
  sampler: true,
  transforms: true,
  optimizer: true,
  epochs: true,
  batchSize: true,
  learningRate: true,
  reduction: true,
  rng: true,
  fit: true,
});

/**
 * Continues training a fitted model through the models package's generic loop (`runEpochs` +
 * `runGradientEpoch`: sampler → `computeGradients` → transforms → optimizer) from its current parameters — the
 * warm start APR needs after pre-training, which `fit` (always a fresh initialisation) does not offer.
 * An option name not in {@link GradientPhaseOptions} is E_CONFIG.
 */
export async function runGradientPhase(options: GradientPhaseOptions): Promise<FitReport> {
  if (options === null || typeof options !== 'object') {
    throw new TrustRecError({
      code: 'E_CONFIG',
      message: `runGradientPhase: options must be an object { ${GRADIENT_PHASE_OPTIONS.join(', ')} }`,
    });
  }
  rejectUnknownOptions('runGradientPhase', options, GRADIENT_PHASE_OPTIONS);
  const { gradientModel, tables, sampler, transforms, optimizer, epochs, batchSize, learningRate, reduction, rng } =
    options;
  optimizer.initialize(tables);
  const gradients = new SparseGradientBatch(tables, Math.max(1024, batchSize * 8));
  const transformRngs = transforms.map((transform, index) => rng.fork(`transform:${index}:${transform.name}`));
  const samplerRng = rng.fork('sampler');
  const stepCounter = { value: 0 };
  const adapter: GradientModel = {
    parameterTables: () => tables,
    computeGradients: (examples, out) => gradientModel.computeGradients(examples, out),
  };
  return runEpochs({
    model: options.recommender,
    epochs,
    backend: 'typed-array',
    fit: options.fit,
    runEpoch: (epoch) =>
      runGradientEpoch({
        model: adapter,
        sampler,
        optimizer,
        transforms,
        transformRngs,
        samplerRng,
        batchSize,
        learningRate,
        epoch,
        gradients,
        stepCounter,
        reduction,
        signal: options.fit?.signal,
        modelName: options.recommender.name,
      }),
  });
}

/** The BPR sampler of the models package over `train` (uniform negatives, shuffled positives). */
export function bprSampler(train: CsrMatrix): UniformNegativeSampler {
  return new UniformNegativeSampler(train, { order: 'shuffle' });
}

function configError(where: string, message: string, option: string, value: unknown): TrustRecError {
  return new TrustRecError({ code: 'E_CONFIG', message: `${where}: ${message}`, details: { option, value } });
}

/** Integer hyper-parameter check (E_CONFIG naming the function and option, like the models' hyper-parameters). */
export function requireIntegerOption(where: string, name: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw configError(where, `option '${name}' must be an integer ≥ ${min}, got ${JSON.stringify(value)}`, name, value);
  }
  return value;
}

/** Finite number hyper-parameter check (E_CONFIG); `positive` excludes 0. */
export function requireNumberOption(
  where: string,
  name: string,
  value: unknown,
  constraint: 'positive' | 'non-negative',
): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (constraint === 'positive' && value === 0)) {
    throw configError(
      where,
      `option '${name}' must be a finite ${constraint} number, got ${JSON.stringify(value)}`,
      name,
      value,
    );
  }
  return value;
}

/** Optimizer name check (E_CONFIG). */
export function requireOptimizerOption(where: string, value: unknown): DefenseOptimizer {
  if (value !== 'sgd' && value !== 'adagrad' && value !== 'adam') {
    throw configError(
      where,
      `option 'optimizer' must be sgd, adagrad or adam, got ${JSON.stringify(value)}`,
      'optimizer',
      value,
    );
  }
  return value;
}

/** Boolean / enum hyper-parameter check (E_CONFIG). */
export function requireOneOf<T>(where: string, name: string, value: unknown, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) {
    throw configError(
      where,
      `option '${name}' must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}, got ${JSON.stringify(value)}`,
      name,
      value,
    );
  }
  return value as T;
}

/** Seed check (E_CONFIG): a non-negative safe integer. */
export function requireSeedOption(where: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw configError(
      where,
      `option 'seed' must be a non-negative safe integer, got ${JSON.stringify(value)}`,
      'seed',
      value,
    );
  }
  return value;
}
