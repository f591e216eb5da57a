import { type CsrMatrix, TrustRecError, createRng, optionNames, rejectUnknownOptions } from '@trustrec/core-linalg';
import {
  FactorRecommender,
  type DecodedModel,
  type FitOptions,
  type FitReport,
  type GradientModel,
  type GradientTransform,
  type ModelDescription,
  type ModelEntry,
  type ParameterTable,
  type Recommender,
  type SparseGradientBatch,
  type TrainingBatch,
  createParameterTable,
  weightDecay,
} from '@trustrec/models';
import { DISTILLATION_CITATION } from '../defense-description.js';
import {
  createDefenseOptimizer,
  requireIntegerOption,
  requireNumberOption,
  requireOneOf,
  requireOptimizerOption,
  requireSeedOption,
  runGradientPhase,
} from '../adversarial/gradient-training.js';
import { DistillationSampler, isDistillationBatch, requireDistillationSamplerValues } from './distillation-sampler.js';

/** Hyper-parameters of the distilled student MF (JSON-safe). */
export type DistilledMfHyperParameters = {
  readonly factors: number;
  readonly epochs: number;
  /** Pairs regressed per epoch. */
  readonly samplesPerEpoch: number;
  /** Targets are teacher score / temperature (default 1). */
  readonly temperature: number;
  /** Share of pairs drawn from the training positives (default 0.5). */
  readonly positiveFraction: number;
  readonly learningRate: number;
  readonly reg: number;
  readonly batchSize: number;
  readonly optimizer: 'sgd' | 'adagrad' | 'adam';
  readonly initStd: number;
  readonly itemBias: boolean;
  readonly seed: number;
};

export const DISTILLED_MF_DEFAULTS: Omit<DistilledMfHyperParameters, 'samplesPerEpoch'> = Object.freeze({
  factors: 64,
  epochs: 20,
  temperature: 1,
  positiveFraction: 0.5,
  learningRate: 0.01,
  reg: 0,
  batchSize: 256,
  optimizer: 'adam',
  initStd: 0.1,
  itemBias: true,
  seed: 42,
});

const NAME = 'distilled-mf';

/**
 * The hyper-parameter names as flags (the compiler checks them against {@link DistilledMfHyperParameters}); the
 * distillation trainers' options start with the same names.
 * @internal
 */
export const DISTILLED_MF_HYPER_PARAMETER_FLAGS = {
  factors: true,
  epochs: true,
  temperature: true,
  samplesPerEpoch: true,
  positiveFraction: true,
  learningRate: true,
  reg: true,
  batchSize: true,
  optimizer: true,
  initStd: true,
  itemBias: true,
  seed: true,
} as const satisfies { readonly [K in keyof Required<DistilledMfHyperParameters>]: true };

const DISTILLED_MF_HYPER_PARAMETERS = optionNames<DistilledMfHyperParameters>(DISTILLED_MF_HYPER_PARAMETER_FLAGS);

/**
 * The student of defensive distillation for MF (seed 001 §4): an MF ŷ_ui = p_uᵀq_i (+ b_i) trained to regress a
 * teacher's scores with the mean squared error ½(ŷ_ui − r_ui / T)² on sampled (u, i) pairs (positives and
 * uniform pairs, see {@link DistillationSampler}), through the models package's generic training loop
 * (sampler → `computeGradients` → transforms (weight decay, optionally APR) → optimizer). A
 * {@link GradientModel}, so APR (the adversarial variant) applies to it unchanged.
 */
export class DistilledMatrixFactorization extends FactorRecommender implements GradientModel {
  readonly name = NAME;
  readonly hyperParameters: DistilledMfHyperParameters;
  private readonly teacher: Recommender | undefined;
  private readonly extraTransforms: readonly GradientTransform[];
  private tables: ParameterTable[] = [];
  /** True once trained with the APR term (fit with an `apr` transform, or continueTraining with one). */
  private adversarial = false;

  constructor(
    hyperParameters: DistilledMfHyperParameters,
    extensions: { teacher?: Recommender; transforms?: readonly GradientTransform[] } = {},
  ) {
    super();
    this.hyperParameters = validateDistilledMfHyperParameters(NAME, hyperParameters);
    this.teacher = extensions.teacher;
    this.extraTransforms = extensions.transforms ?? [];
  }

  get factors(): number {
    return this.hyperParameters.factors;
  }

  parameterTables(): readonly ParameterTable[] {
    return this.tables;
  }

  /** Per-example gradients of ½(ŷ_ui − y_ui)²: ∂/∂p_u = r q_i, ∂/∂q_i = r p_u, ∂/∂b_i = r with r = ŷ − y. */
  computeGradients(examples: TrainingBatch, out: SparseGradientBatch): number {
    if (!isDistillationBatch(examples)) {
      throw new TrustRecError({
        code: 'E_ARGUMENT',
        message: `${NAME}.computeGradients: the batch has no targets; use a DistillationSampler`,
      });
    }
    const k = this.factors;
    const p = this.users;
    const q = this.items;
    const bias = this.biases;
    let loss = 0;
    for (let t = 0; t < examples.size; t++) {
      const u = examples.users[t];
      const i = examples.positives[t];
      out.beginExample();
      const uOffset = out.addRow(0, u);
      const iOffset = out.addRow(1, i);
      const bOffset = bias ? out.addRow(2, i) : -1;
      const g = out.values;
      let prediction = bias ? bias[i] : 0;
      for (let c = 0; c < k; c++) prediction += p[u * k + c] * q[i * k + c];
      const residual = prediction - examples.targets[t];
      loss += 0.5 * residual * residual;
      for (let c = 0; c < k; c++) {
        g[uOffset + c] = residual * q[i * k + c];
        g[iOffset + c] = residual * p[u * k + c];
      }
      if (bias) g[bOffset] = residual;
    }
    return loss;
  }

  async fit(train: CsrMatrix, options?: FitOptions): Promise<FitReport> {
    const teacher = this.teacher;
    if (teacher === undefined) {
      throw new TrustRecError({
        code: 'E_CONFIG',
        message: `${NAME}.fit: a distilled student needs a teacher; create it with trainDistilledMf(teacher, train, options)`,
      });
    }
    this.checkTrain(train, options);
    const h = this.hyperParameters;
    const rng = createRng(h.seed);
    const k = h.factors;
    this.numUsers = train.numRows;
    this.numItems = train.numColumns;
    const init = rng.fork('init');
    this.users = Float32Array.from({ length: this.numUsers * k }, () => init.normal(0, h.initStd));
    this.items = Float32Array.from({ length: this.numItems * k }, () => init.normal(0, h.initStd));
    this.biases = h.itemBias ? new Float32Array(this.numItems) : undefined;
    this.fitted = true;
    this.adversarial = this.extraTransforms.some((t) => t.name === 'apr');
    this.tables = [
      createParameterTable('userFactors', this.users, k),
      createParameterTable('itemFactors', this.items, k),
    ];
    if (this.biases) this.tables.push(createParameterTable('itemBias', this.biases, 1));
    const sampler = new DistillationSampler(teacher, train, {
      samplesPerEpoch: h.samplesPerEpoch,
      positiveFraction: h.positiveFraction,
      temperature: h.temperature,
    });
    return runGradientPhase({
      recommender: this,
      gradientModel: this,
      tables: this.tables,
      sampler,
      transforms: [weightDecay(h.reg), ...this.extraTransforms],
      optimizer: createDefenseOptimizer(h.optimizer),
      epochs: h.epochs,
      batchSize: h.batchSize,
      learningRate: h.learningRate,
      reduction: 'mean',
      rng: rng.fork('train'),
      fit: options,
    });
  }

  /**
   * Continues training the fitted student from its current parameters for `epochs` more epochs with extra
   * transforms (the adversarial phase of {@link trainAdversarialDistilledMf}); the sampler, optimizer kind,
   * learning rate and weight decay are the student's own. The optimizer state starts fresh.
   */
  continueTraining(
    train: CsrMatrix,
    epochs: number,
    transforms: readonly GradientTransform[],
    options?: FitOptions,
  ): Promise<FitReport> {
    const teacher = this.teacher;
    if (teacher === undefined || !this.fitted || this.tables.length === 0) {
      throw new TrustRecError({
        code: 'E_NOT_FITTED',
        message: `${NAME}.continueTraining: fit the student (with its teacher) first`,
      });
    }
    const h = this.hyperParameters;
    requireIntegerOption(`${NAME}.continueTraining`, 'epochs', epochs, 0);
    const sampler = new DistillationSampler(teacher, train, {
      samplesPerEpoch: h.samplesPerEpoch,
      positiveFraction: h.positiveFraction,
      temperature: h.temperature,
    });
    if (transforms.some((t) => t.name === 'apr')) this.adversarial = true;
    return runGradientPhase({
      recommender: this,
      gradientModel: this,
      tables: this.tables,
      sampler,
      transforms: [weightDecay(h.reg), ...transforms],
      optimizer: createDefenseOptimizer(h.optimizer),
      epochs,
      batchSize: h.batchSize,
      learningRate: h.learningRate,
      reduction: 'mean',
      rng: createRng(h.seed).fork(`continue:${transforms.map((t) => t.name).join('+')}`),
      fit: options,
    });
  }

  save(): Uint8Array {
    return this.encodeFactors({ ...this.hyperParameters }, { adversarial: this.adversarial });
  }

  static load(decoded: DecodedModel): DistilledMatrixFactorization {
    const model = new DistilledMatrixFactorization(
      decoded.header.hyperParameters as unknown as DistilledMfHyperParameters,
    );
    model.restoreState(decoded);
    return model;
  }

  protected restoreState(decoded: DecodedModel): void {
    this.restoreFactors(decoded, this.hyperParameters.itemBias);
    this.adversarial = decoded.header.state.adversarial === true;
  }

  describe(): ModelDescription {
    return this.describeFactors(
      this.adversarial ? 'Adversarially distilled MF' : 'Distilled MF',
      {
        citation: DISTILLATION_CITATION,
        equations: 'seed 001 §4: MSE regression of the teacher MF-BPR scores',
        seed: '001',
      },
      this.hyperParameters,
    );
  }
}

/** Validates (E_CONFIG: a bad value, or a name that is not a hyper-parameter) and returns the hyper-parameters. */
export function validateDistilledMfHyperParameters(
  where: string,
  h: DistilledMfHyperParameters,
): DistilledMfHyperParameters {
  if (h === null || typeof h !== 'object')
    throw new TrustRecError({ code: 'E_CONFIG', message: `${where}: hyper-parameters must be an object` });
  rejectUnknownOptions(where, h, DISTILLED_MF_HYPER_PARAMETERS);
  requireIntegerOption(where, 'factors', h.factors, 1);
  requireIntegerOption(where, 'epochs', h.epochs, 0);
  requireDistillationSamplerValues(where, h);
  requireNumberOption(where, 'learningRate', h.learningRate, 'positive');
  requireNumberOption(where, 'reg', h.reg, 'non-negative');
  requireIntegerOption(where, 'batchSize', h.batchSize, 1);
  requireOptimizerOption(where, h.optimizer);
  requireNumberOption(where, 'initStd', h.initStd, 'non-negative');
  requireOneOf(where, 'itemBias', h.itemBias, [true, false]);
  requireSeedOption(where, h.seed);
  return Object.freeze({ ...h });
}

/** Registry entry, so `registry.register(distilledMfModelEntry)` makes saved students loadable by `loadModel`. */
export const distilledMfModelEntry: ModelEntry = {
  name: NAME,
  displayName: 'Distilled MF',
  summary: 'Student MF regressing a teacher recommender’s scores with MSE (defensive distillation, seed 001 §4)',
  kind: 'factor',
  feedback: 'implicit',
  reference: { citation: DISTILLATION_CITATION, equations: 'seed 001 §4', seed: '001' },
  defaults: { ...DISTILLED_MF_DEFAULTS },
  hyperParameterDocs: {},
  create: (hyperParameters) =>
    new DistilledMatrixFactorization({
      ...DISTILLED_MF_DEFAULTS,
      samplesPerEpoch: 100_000,
      ...hyperParameters,
    } as DistilledMfHyperParameters),
  load: (decoded) => DistilledMatrixFactorization.load(decoded),
};
