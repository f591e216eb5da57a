import { type CsrMatrix, TrustRecError, createRng, optionNames, rejectUnknownOptions } from '@trustrec/core-linalg';
import {
  type EpochEvent,
  type FactorModel,
  type FitReport,
  type GradientModel,
  type ModelRegistry,
  type Recommender,
  defaultModelRegistry,
  isFactorModel,
  weightDecay,
} from '@trustrec/models';
import type { DefenseDescription } from '../defense-description.js';
import { APR_DEFAULT_EPSILON, APR_DEFAULT_LAMBDA, aprTransform, describeApr } from './apr-transform.js';
import {
  type DefenseOptimizer,
  bprSampler,
  createDefenseOptimizer,
  requireIntegerOption,
  requireNumberOption,
  requireOneOf,
  requireOptimizerOption,
  requireSeedOption,
  runGradientPhase,
} from './gradient-training.js';
import { resolveParameterTables } from './parameter-tables.js';

/** What APR trains: the models package's MF-BPR (a factor model with per-example BPR gradients). */
export type AprModel = FactorModel & GradientModel;

function asAprModel(where: string, model: Recommender): AprModel {
  if (!isFactorModel(model) || typeof (model as Partial<GradientModel>).computeGradients !== 'function') {
    throw new TrustRecError({
      code: 'E_CONFIG',
      message: `${where}: model '${model.name}' is not a factor model with computeGradients (expected MF-BPR)`,
    });
  }
  return model as AprModel;
}

function regularizationOf(model: Recommender): number {
  const value = model.describe().hyperParameters.regularization;
  if (typeof value !== 'number') {
    throw new TrustRecError({
      code: 'E_CONFIG',
      message: `trainApr: model '${model.name}' does not report a numeric 'regularization' hyper-parameter; pass options.reg`,
    });
  }
  return value;
}

/** One finished epoch of {@link trainApr}, in either phase. */
export interface AprEpochEvent {
  readonly phase: 'pretrain' | 'adversarial';
  /** 1-based within the phase. */
  readonly epoch: number;
  readonly totalEpochs: number;
  /** Mean BPR loss at Θ over the epoch's triples. */
  readonly loss: number;
  /** Mean BPR loss at Θ + Δ_adv (adversarial phase only). */
  readonly adversarialLoss?: number;
  readonly seconds: number;
  readonly model: Recommender;
}

export interface TrainAprOptions {
  /** Embedding size K (default 64, seed 001 Table 2). */
  readonly factors?: number;
  /** MF-BPR pre-training epochs (default 40); E_CONFIG with `pretrained` (there is no pre-training). */
  readonly pretrainEpochs?: number;
  /** Adversarial epochs after pre-training (default 40; the APR paper runs up to 1000 on Yelp). */
  readonly adversarialEpochs?: number;
  /** ε (default 0.5). */
  readonly epsilon?: number;
  /** λ (default 1). */
  readonly lambda?: number;
  /** η of both phases (default 0.05, seed 001 Table 2). */
  readonly learningRate?: number;
  /**
   * L2 weight λ_Θ of both phases (default: the trained MF-BPR's own `regularization` hyper-parameter — MF-BPR's
   * default when trainApr pre-trains it, the `pretrained` model's value with `pretrained`).
   */
  readonly reg?: number;
  /** Adversarial-phase batch size (default 512, seed 001 Table 2). */
  readonly batchSize?: number;
  /** Adversarial-phase optimizer (default `adagrad`, as the APR code). */
  readonly optimizer?: DefenseOptimizer;
  /** Adversarial-phase loss reduction over the batch: `sum` (default, the APR code's reduce_sum) or `mean`. */
  readonly reduction?: 'sum' | 'mean';
  /** `gradient` (APR / AMF-grad, default) or `random` (AMF-random of seed 001 Tables 3–4). */
  readonly adversary?: 'gradient' | 'random';
  /** Learn an item bias (default: MF-BPR's default). */
  readonly itemBias?: boolean;
  readonly seed: number;
  /**
   * Start the adversarial phase from a copy of this fitted MF-BPR (cloned with save()/load(), never mutated)
   * instead of pre-training — e.g. the MF-BPR baseline of the same experiment, as the APR paper does.
   */
  readonly pretrained?: FactorModel;
  /** Registry that creates (`bpr`) and clones the MF (default: the models package's default registry). */
  readonly registry?: ModelRegistry;
  // biome-ignore lint/suspicious/noConfusingVoidType: a callback that returns nothing (void) must type-check; 'stop' is the only value read
  readonly onEpoch?: (event: AprEpochEvent) => void | 'stop';
  readonly signal?: AbortSignal;
}

export interface AprReport {
  readonly description: DefenseDescription;
  /** The MF-BPR pre-training (absent with `pretrained`). */
  readonly pretrain?: FitReport;
  readonly adversarial: FitReport;
  /** Mean BPR loss at Θ + Δ_adv per adversarial epoch. */
  readonly adversarialLoss: readonly number[];
  readonly seconds: number;
}

const WHERE = 'trainApr';

const TRAIN_APR_OPTIONS = optionNames<TrainAprOptions>({
  factors: true,
  pretrainEpochs: true,
  adversarialEpochs: true,
  epsilon: true,
  lambda: true,
  learningRate: true,
  reg: true,
  batchSize: true,
  optimizer: true,
  reduction: true,
  adversary: true,
  itemBias: true,
  seed: true,
  pretrained: true,
  registry: true,
  onEpoch: true,
  signal: true,
});

/** Defaults of {@link trainApr} (APR code / seed 001 Table 2, with fewer epochs). */
export const APR_TRAINING_DEFAULTS = Object.freeze({
  factors: 64,
  pretrainEpochs: 40,
  adversarialEpochs: 40,
  epsilon: APR_DEFAULT_EPSILON,
  lambda: APR_DEFAULT_LAMBDA,
  learningRate: 0.05,
  batchSize: 512,
  optimizer: 'adagrad' as DefenseOptimizer,
  reduction: 'sum' as 'sum' | 'mean',
  adversary: 'gradient' as 'gradient' | 'random',
});

/**
 * Adversarial Personalized Ranking for MF ("AMF", seed 001 §3.3, eq. 11–12; He et al. 2018 Alg. 1) the way the
 * original code runs it: pre-train MF-BPR (the models package's `bpr` registry entry, fused SGD), then
 * continue training the same parameters through the models package's generic loop with the transforms
 * [weightDecay(reg), {@link aprTransform}(ε, λ)] — so each batch minimises L_BPR(Θ) + λ·L_BPR(Θ + Δ_adv) +
 * λ_Θ‖Θ‖². Returns the trained MF (an MF-BPR instance: it saves, loads and clones like one) and a report.
 * The pre-training is the registry's `bpr` model (MF-BPR) created with `factors`, `epochs` = `pretrainEpochs`,
 * `learningRate` and `seed` as resolved here (so trainApr's defaults 64, 40 and 0.05 where not given — not
 * MF-BPR's 64, 60 and 0.1), `regularization` = `reg` and `itemBias` only when given, and that entry's own defaults
 * for every other hyper-parameter (regularization, item bias, learning-rate schedule, …). With `pretrained` there
 * is no pre-training: `factors`, `pretrainEpochs` and `itemBias` are then the pretrained model's, and giving any
 * of them is E_CONFIG (it would have no effect). Hyper-parameter errors, and option names that are not
 * {@link TrainAprOptions} names, are E_CONFIG.
 */
export async function trainApr(
  train: CsrMatrix,
  options: TrainAprOptions,
): Promise<{ model: AprModel; report: AprReport }> {
  const started = performance.now();
  if (options === null || typeof options !== 'object')
    throw new TrustRecError({ code: 'E_CONFIG', message: `${WHERE}: options must be an object with at least a seed` });
  rejectUnknownOptions(WHERE, options, TRAIN_APR_OPTIONS);
  if (options.pretrained !== undefined) {
    for (const name of ['factors', 'pretrainEpochs', 'itemBias'] as const) {
      if (options[name] === undefined) continue;
      throw new TrustRecError({
        code: 'E_CONFIG',
        message: `${WHERE}: option '${name}' has no effect with 'pretrained' (the pretrained model's own value is used); remove it, or drop 'pretrained' to pre-train here`,
        details: { option: name, value: options[name] },
      });
    }
  }
  const d = APR_TRAINING_DEFAULTS;
  const seed = requireSeedOption(WHERE, options.seed);
  const factors = requireIntegerOption(WHERE, 'factors', options.factors ?? d.factors, 1);
  const pretrainEpochs = requireIntegerOption(WHERE, 'pretrainEpochs', options.pretrainEpochs ?? d.pretrainEpochs, 0);
  const adversarialEpochs = requireIntegerOption(
    WHERE,
    'adversarialEpochs',
    options.adversarialEpochs ?? d.adversarialEpochs,
    0,
  );
  const epsilon = requireNumberOption(WHERE, 'epsilon', options.epsilon ?? d.epsilon, 'non-negative');
  const lambda = requireNumberOption(WHERE, 'lambda', options.lambda ?? d.lambda, 'non-negative');
  const learningRate = requireNumberOption(WHERE, 'learningRate', options.learningRate ?? d.learningRate, 'positive');
  const batchSize = requireIntegerOption(WHERE, 'batchSize', options.batchSize ?? d.batchSize, 1);
  const optimizerName = requireOptimizerOption(WHERE, options.optimizer ?? d.optimizer);
  const reduction = requireOneOf(WHERE, 'reduction', options.reduction ?? d.reduction, ['sum', 'mean'] as const);
  const adversary = requireOneOf(WHERE, 'adversary', options.adversary ?? d.adversary, ['gradient', 'random'] as const);
  if (options.reg !== undefined) requireNumberOption(WHERE, 'reg', options.reg, 'non-negative');
  if (options.itemBias !== undefined) requireOneOf(WHERE, 'itemBias', options.itemBias, [true, false]);

  const registry = options.registry ?? defaultModelRegistry();
  let model: AprModel;
  let pretrain: FitReport | undefined;
  if (options.pretrained !== undefined) {
    if (options.pretrained === null || typeof options.pretrained !== 'object' || !options.pretrained.isFitted) {
      throw new TrustRecError({
        code: 'E_CONFIG',
        message: `${WHERE}: option 'pretrained' must be a fitted MF-BPR model`,
      });
    }
    model = asAprModel(WHERE, registry.load(options.pretrained.save()));
  } else {
    const hyperParameters: Record<string, unknown> = { factors, epochs: pretrainEpochs, learningRate, seed };
    if (options.reg !== undefined) hyperParameters.regularization = options.reg;
    if (options.itemBias !== undefined) hyperParameters.itemBias = options.itemBias;
    const created = asAprModel(WHERE, registry.create('bpr', hyperParameters));
    model = created;
    pretrain = await created.fit(train, {
      signal: options.signal,
      onEpoch: options.onEpoch
        ? (event: EpochEvent) =>
            options.onEpoch?.({
              phase: 'pretrain',
              epoch: event.epoch,
              totalEpochs: event.totalEpochs,
              loss: event.loss,
              seconds: event.seconds,
              model: created,
            })
        : undefined,
    });
  }
  if (train.numRows !== model.numUsers || train.numColumns !== model.numItems) {
    throw new TrustRecError({
      code: 'E_SHAPE',
      message: `${WHERE}: train is ${train.numRows}×${train.numColumns} but the pretrained model has ${model.numUsers}×${model.numItems}`,
    });
  }
  const reg = options.reg ?? regularizationOf(model);
  const apr = aprTransform({ epsilon, lambda, adversary });
  const adversarialLoss: number[] = [];
  const adversarial = await runGradientPhase({
    recommender: model,
    gradientModel: model,
    tables: resolveParameterTables(WHERE, model),
    sampler: bprSampler(train),
    transforms: [weightDecay(reg), apr],
    optimizer: createDefenseOptimizer(optimizerName),
    epochs: adversarialEpochs,
    batchSize,
    learningRate,
    reduction,
    rng: createRng(seed).fork('apr'),
    fit: {
      signal: options.signal,
      onEpoch: (event: EpochEvent) => {
        const stats = apr.stats;
        apr.resetStats();
        const meanAdversarial = stats.examples > 0 ? stats.adversarialLoss / stats.examples : Number.NaN;
        adversarialLoss.push(meanAdversarial);
        return options.onEpoch?.({
          phase: 'adversarial',
          epoch: event.epoch,
          totalEpochs: event.totalEpochs,
          loss: event.loss,
          adversarialLoss: meanAdversarial,
          seconds: event.seconds,
          model,
        });
      },
    },
  });
  const description = describeApr({
    epsilon,
    lambda,
    adversary,
    factors: model.factors,
    pretrainEpochs: pretrain ? pretrainEpochs : 0,
    adversarialEpochs,
    learningRate,
    reg,
    batchSize,
    optimizer: optimizerName,
    reduction,
    seed,
    pretrained: options.pretrained !== undefined,
  });
  return {
    model,
    report: { description, pretrain, adversarial, adversarialLoss, seconds: (performance.now() - started) / 1000 },
  };
}
