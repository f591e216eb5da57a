import { type CsrMatrix, TrustRecError, optionNames, rejectUnknownOptions } from '@trustrec/core-linalg';
import { type EpochEvent, type FitReport, type Recommender, isFactorModel } from '@trustrec/models';
import { APR_DEFAULT_EPSILON, APR_DEFAULT_LAMBDA, aprTransform } from '../adversarial/apr-transform.js';
import { requireNumberOption } from '../adversarial/gradient-training.js';
import { DISTILLATION_CITATION, type DefenseDescription } from '../defense-description.js';
import {
  DISTILLED_MF_DEFAULTS,
  DISTILLED_MF_HYPER_PARAMETER_FLAGS,
  DistilledMatrixFactorization,
  type DistilledMfHyperParameters,
} from './distilled-matrix-factorization.js';
import { type ScoreAgreement, scoreAgreement } from './score-agreement.js';

export interface TrainDistilledMfOptions {
  /** Student embedding size (default: the teacher's factors when it is a factor model, else 64). */
  readonly factors?: number;
  /** Default 20. */
  readonly epochs?: number;
  /** Targets are teacher score / T (default 1). */
  readonly temperature?: number;
  /** Pairs per epoch (default 4 × train.nnz). */
  readonly samplesPerEpoch?: number;
  /** Share of pairs that are training positives (default 0.5); the rest are uniform (u, i) pairs. */
  readonly positiveFraction?: number;
  /** Default 0.01 (Adam). */
  readonly learningRate?: number;
  /** L2 weight (default 0). */
  readonly reg?: number;
  /** Default 256. */
  readonly batchSize?: number;
  /** Default `adam`. */
  readonly optimizer?: 'sgd' | 'adagrad' | 'adam';
  readonly initStd?: number;
  /** Learn an item bias (default true). */
  readonly itemBias?: boolean;
  readonly seed: number;
  /** Pairs used to measure teacher/student agreement after training (default 10 000; 0 skips it). */
  readonly agreementPairs?: number;
  // biome-ignore lint/suspicious/noConfusingVoidType: a callback that returns nothing (void) must type-check; 'stop' is the only value read
  readonly onEpoch?: (event: EpochEvent) => void | 'stop';
  readonly signal?: AbortSignal;
}

export interface TrainAdversarialDistilledMfOptions extends TrainDistilledMfOptions {
  /** APR ε (default 0.5). */
  readonly epsilon?: number;
  /** APR λ (default 1). */
  readonly lambda?: number;
  /**
   * Adversarial epochs after the plain distillation epochs (default: `epochs`). The student is first distilled
   * without the APR term (as APR pre-trains MF-BPR), then trained with it.
   */
  readonly adversarialEpochs?: number;
}

/** The {@link TrainDistilledMfOptions} names (the compiler checks the list against the interface). */
const DISTILLED_MF_OPTION_NAMES = {
  ...DISTILLED_MF_HYPER_PARAMETER_FLAGS,
  agreementPairs: true,
  onEpoch: true,
  signal: true,
} as const satisfies { readonly [K in keyof Required<TrainDistilledMfOptions>]: true };

const DISTILLED_MF_OPTIONS = optionNames<TrainDistilledMfOptions>(DISTILLED_MF_OPTION_NAMES);
const ADVERSARIAL_DISTILLED_MF_OPTIONS = optionNames<TrainAdversarialDistilledMfOptions>({
  ...DISTILLED_MF_OPTION_NAMES,
  epsilon: true,
  lambda: true,
  adversarialEpochs: true,
});

export interface DistillationReport {
  readonly description: DefenseDescription;
  readonly fit: FitReport;
  /** The adversarial phase (adversarial variant only). */
  readonly adversarial?: FitReport;
  /** Teacher name and display name. */
  readonly teacher: { readonly name: string; readonly displayName: string };
  /** Student vs teacher score correlation on fresh sampled pairs (absent when agreementPairs = 0). */
  readonly agreement?: ScoreAgreement;
}

/** The description of (adversarial) defensive distillation with these parameters. */
export function describeDistillation(
  parameters: Readonly<Record<string, number | string | boolean>>,
  adversarial = false,
): DefenseDescription {
  return {
    name: adversarial ? 'adversarial-distillation' : 'distillation',
    displayName: adversarial ? 'Adversarially distilled MF' : 'Distilled MF',
    paper: DISTILLATION_CITATION,
    equations: adversarial
      ? 'seed 001 §4 (Fig. 6): student MF regresses teacher scores with MSE, plus the APR term λ·MSE(Θ + Δ_adv) of eq. 11–12'
      : 'seed 001 §4: student MF regresses teacher scores r_ui/T with MSE on sampled (u, i) pairs',
    seed: '001',
    parameters,
  };
}

/** E_CONFIG unless `options` is an object whose every key is one of `known`. */
function checkOptionsObject(where: string, options: unknown, known: readonly string[]): void {
  if (options === null || typeof options !== 'object')
    throw new TrustRecError({ code: 'E_CONFIG', message: `${where}: options must be an object with at least a seed` });
  rejectUnknownOptions(where, options, known);
}

async function distill(
  where: string,
  teacher: Recommender,
  train: CsrMatrix,
  options: TrainDistilledMfOptions,
  adversarial: { epsilon: number; lambda: number; epochs: number | undefined } | undefined,
): Promise<{ model: DistilledMatrixFactorization; report: DistillationReport }> {
  checkOptionsObject(where, options, adversarial ? ADVERSARIAL_DISTILLED_MF_OPTIONS : DISTILLED_MF_OPTIONS);
  if (teacher === null || typeof teacher !== 'object' || typeof teacher.scorePairs !== 'function') {
    throw new TrustRecError({ code: 'E_ARGUMENT', message: `${where}: teacher must be a fitted Recommender` });
  }
  if (!teacher.isFitted)
    throw new TrustRecError({ code: 'E_NOT_FITTED', message: `${where}: the teacher '${teacher.name}' is not fitted` });
  const d = DISTILLED_MF_DEFAULTS;
  const hyperParameters: DistilledMfHyperParameters = {
    factors: options.factors ?? (isFactorModel(teacher) ? teacher.factors : d.factors),
    epochs: options.epochs ?? d.epochs,
    samplesPerEpoch: options.samplesPerEpoch ?? Math.max(1, 4 * train.nnz),
    temperature: options.temperature ?? d.temperature,
    positiveFraction: options.positiveFraction ?? d.positiveFraction,
    learningRate: options.learningRate ?? d.learningRate,
    reg: options.reg ?? d.reg,
    batchSize: options.batchSize ?? d.batchSize,
    optimizer: options.optimizer ?? d.optimizer,
    initStd: options.initStd ?? d.initStd,
    itemBias: options.itemBias ?? d.itemBias,
    seed: options.seed,
  };
  const agreementPairs = options.agreementPairs ?? 10_000;
  if (agreementPairs !== 0 && !(Number.isInteger(agreementPairs) && agreementPairs >= 2)) {
    throw new TrustRecError({
      code: 'E_CONFIG',
      message: `${where}: option 'agreementPairs' must be 0 or an integer ≥ 2, got ${agreementPairs}`,
    });
  }
  const model = new DistilledMatrixFactorization(hyperParameters, { teacher });
  // Checked before the distillation epochs run, not after them (the constructor has checked `epochs`).
  const adversarialEpochs = adversarial ? (adversarial.epochs ?? model.hyperParameters.epochs) : 0;
  if (!Number.isInteger(adversarialEpochs) || adversarialEpochs < 0)
    throw new TrustRecError({
      code: 'E_CONFIG',
      message: `${where}: option 'adversarialEpochs' must be an integer ≥ 0, got ${JSON.stringify(adversarialEpochs)}`,
    });
  const fit = await model.fit(train, { onEpoch: options.onEpoch, signal: options.signal });
  let adversarialFit: FitReport | undefined;
  if (adversarial) {
    const apr = aprTransform({ epsilon: adversarial.epsilon, lambda: adversarial.lambda });
    adversarialFit = await model.continueTraining(train, adversarialEpochs, [apr], {
      onEpoch: options.onEpoch,
      signal: options.signal,
    });
  }
  const agreement =
    agreementPairs > 0
      ? scoreAgreement(model, teacher, train, {
          pairs: agreementPairs,
          positiveFraction: hyperParameters.positiveFraction,
          seed: hyperParameters.seed,
        })
      : undefined;
  const parameters: Record<string, number | string | boolean> = { ...hyperParameters, teacher: teacher.name };
  if (adversarial)
    Object.assign(parameters, {
      epsilon: adversarial.epsilon,
      lambda: adversarial.lambda,
      adversarialEpochs: adversarialFit?.epochs ?? 0,
    });
  return {
    model,
    report: {
      description: describeDistillation(parameters, adversarial !== undefined),
      fit,
      adversarial: adversarialFit,
      teacher: { name: teacher.name, displayName: teacher.describe().displayName },
      agreement,
    },
  };
}

/**
 * Defensive distillation for MF (seed 001 §4): a student MF (see {@link DistilledMatrixFactorization}) regresses
 * the teacher's scores r_ui / T with MSE on sampled (u, i) pairs — training positives and uniform pairs — through
 * the models package's training loop. The teacher is any fitted Recommender (typically MF-BPR); it is only
 * scored, never changed. Returns the student and a report with the teacher/student score agreement. Bad
 * hyper-parameters, and option names that are not {@link TrainDistilledMfOptions} names (the adversarial
 * variant's `epsilon`, `lambda` and `adversarialEpochs` included), are E_CONFIG.
 */
export function trainDistilledMf(
  teacher: Recommender,
  train: CsrMatrix,
  options: TrainDistilledMfOptions,
): Promise<{ model: DistilledMatrixFactorization; report: DistillationReport }> {
  return distill('trainDistilledMf', teacher, train, options, undefined);
}

/**
 * The adversarial variant of {@link trainDistilledMf} (seed 001 §4, Fig. 6): the same student and MSE, with the
 * APR term λ · MSE(Θ + Δ_adv) added by {@link aprTransform} (Δ_adv = ε·g/‖g‖ per embedding row on each batch).
 * Option names that are not {@link TrainAdversarialDistilledMfOptions} names are E_CONFIG.
 */
export async function trainAdversarialDistilledMf(
  teacher: Recommender,
  train: CsrMatrix,
  options: TrainAdversarialDistilledMfOptions,
): Promise<{ model: DistilledMatrixFactorization; report: DistillationReport }> {
  const where = 'trainAdversarialDistilledMf';
  checkOptionsObject(where, options, ADVERSARIAL_DISTILLED_MF_OPTIONS);
  const epsilon = requireNumberOption(where, 'epsilon', options.epsilon ?? APR_DEFAULT_EPSILON, 'non-negative');
  const lambda = requireNumberOption(where, 'lambda', options.lambda ?? APR_DEFAULT_LAMBDA, 'non-negative');
  return distill(where, teacher, train, options, { epsilon, lambda, epochs: options.adversarialEpochs });
}
