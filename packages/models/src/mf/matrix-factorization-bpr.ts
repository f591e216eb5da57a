import { type CsrMatrix, type Rng, createRng } from '@trustrec/core-linalg';
import { FactorRecommender } from '../recommender/base-recommender.js';
import type { FitOptions, FitReport, ModelDescription, ModelReference } from '../recommender/recommender.js';
import type { ModelEntry } from '../registry/model-registry.js';
import { type HyperParameterSpec, resolveHyperParameters } from '../registry/hyper-parameters.js';
import type { DecodedModel } from '../serialization/model-format.js';
import { type TrainingBatch, UniformNegativeSampler } from '../training/batch-sampler.js';
import { type GradientModel, type GradientTransform, weightDecay } from '../training/gradient-transform.js';
import { createLearningRateSchedule } from '../training/learning-rate-schedule.js';
import { type Optimizer, createOptimizer } from '../training/optimizer.js';
import { type ParameterTable, createParameterTable } from '../training/parameter-table.js';
import { SparseGradientBatch } from '../training/sparse-gradient-batch.js';
import { runEpochs, runGradientEpoch } from '../training/training-loop.js';
import { abortedBeforeTrainingError, configError } from '../errors/not-fitted-error.js';
import { BprHogwild } from './bpr-hogwild.js';
import { bprLogistic, bprMargin, bprSgdPairs, rngStateFromWords, shuffledBprPairs } from './bpr-sgd-kernel.js';

/** MF-BPR hyper-parameters (all JSON-safe; defaults in {@link BPR_DEFAULTS}). */
export type BprHyperParameters = {
  /** Latent dimension K. */
  readonly factors: number;
  readonly epochs: number;
  /** η. */
  readonly learningRate: number;
  /** λ_Θ of seed 001 eq. 10 (applied as λθ to the rows each sample touches). */
  readonly regularization: number;
  readonly optimizer: 'sgd' | 'adagrad' | 'adam';
  /** Examples per optimizer step. 1 with `sgd` runs the fused per-sample kernel. */
  readonly batchSize: number;
  readonly schedule: 'constant' | 'exponential' | 'linear' | 'step';
  /** Decay factor of the schedule (per epoch for exponential, final/initial for linear). */
  readonly learningRateDecay: number;
  /** Standard deviation of the N(0, σ²) initialisation. */
  readonly initStd: number;
  /** Learn an item bias b_i (score = ⟨p_u, q_i⟩ + b_i). */
  readonly itemBias: boolean;
  readonly sampling: 'shuffle' | 'with-replacement';
  /**
   * Negatives drawn per positive. 1 (default): LearnBPR's uniform negative (seed 001). N > 1: dynamic negative
   * sampling (DNS; Zhang, Chen, Wang & Yu, SIGIR 2013): draw N uniform candidates, train on the one the current
   * model scores highest. The model and loss (eq. 10) are unchanged; only which negative each step sees.
   */
  readonly negativeCandidates: number;
  /**
   * Threads for the fused SGD kernel. 1 (default): one thread, bit-identical per seed. > 1: Hogwild over shared
   * memory ({@link BprHogwild}), reproducible only up to the workers' race order. Measured on ML-1M, 64 factors,
   * 2 cores: 2 workers take 0.15–0.19 s per epoch against 0.22–0.23 s for one thread with uniform negatives, and
   * mostly 0.33–0.48 s against 0.57–0.65 s with `negativeCandidates: 8` (single epochs up to 0.7 s; the spread
   * between runs is large on this machine).
   */
  readonly workers: number;
  readonly seed: number;
};

/**
 * Defaults tuned on MovieLens-1M (ml-1m-ncf split, sampled protocol): per-sample SGD with η decaying linearly from
 * 0.1 to 0.005 over 60 epochs, λ = 0.005, item bias.
 */
export const BPR_DEFAULTS: BprHyperParameters = Object.freeze({
  factors: 64,
  epochs: 60,
  learningRate: 0.1,
  regularization: 0.005,
  optimizer: 'sgd',
  batchSize: 1,
  schedule: 'linear',
  learningRateDecay: 0.05,
  initStd: 0.1,
  itemBias: true,
  sampling: 'shuffle',
  negativeCandidates: 1,
  workers: 1,
  seed: 42,
});

const BPR_SPECS: { readonly [K in keyof BprHyperParameters]: HyperParameterSpec } = {
  factors: { type: 'integer', min: 1, max: 4096 },
  epochs: { type: 'integer', min: 0 },
  learningRate: { type: 'number', min: 0, exclusiveMin: true },
  regularization: { type: 'number', min: 0 },
  optimizer: { type: 'enum', values: ['sgd', 'adagrad', 'adam'] },
  batchSize: { type: 'integer', min: 1 },
  schedule: { type: 'enum', values: ['constant', 'exponential', 'linear', 'step'] },
  learningRateDecay: { type: 'number', min: 0, exclusiveMin: true, max: 1 },
  initStd: { type: 'number', min: 0 },
  itemBias: { type: 'boolean' },
  sampling: { type: 'enum', values: ['shuffle', 'with-replacement'] },
  negativeCandidates: { type: 'integer', min: 1, max: 1024 },
  workers: { type: 'integer', min: 1, max: 64 },
  seed: { type: 'integer', min: 0 },
};

export const BPR_REFERENCE: ModelReference = {
  citation:
    'Rendle, Freudenthaler, Gantner, Schmidt-Thieme. BPR: Bayesian Personalized Ranking from Implicit Feedback. UAI 2009',
  equations: 'MF ŷ_ui = p_uᵀq_i; BPR loss eq. 10 of seed 001 (LearnBPR with uniform negative sampling)',
  seed: '001',
};

/** Runtime extensions that are not hyper-parameters (not saved). */
export interface BprExtensions {
  /** Gradient transforms applied after the model's per-example gradients (weight decay is added first). */
  readonly transforms?: readonly GradientTransform[];
  /** An optimizer instance to use instead of `hyperParameters.optimizer`. */
  readonly optimizer?: Optimizer;
}

/** The loss accumulator of `computeGradients` (synchronous; reused so that no batch allocates). */
const gradientLossSum = new Float64Array(1);

/**
 * Matrix factorisation trained with BPR (seed 001 eq. 10). With `optimizer: 'sgd'`, `batchSize: 1` and no
 * transforms, each epoch runs the fused kernel {@link bprSgdPairs} (see bprSgdEpoch); otherwise it runs the generic loop
 * (sampler → per-example sparse gradients → weight decay + transforms → sparse optimizer), which at batch size
 * 1 with SGD computes the same updates. The fused epoch's k-loops run in WebAssembly SIMD when k is a multiple of
 * 4 (bit-identical to the scalar loops); `workers` > 1 runs Hogwild threads ({@link BprHogwild}).
 */
export class MatrixFactorizationBpr extends FactorRecommender implements GradientModel {
  readonly name = 'bpr';
  readonly hyperParameters: BprHyperParameters;
  private readonly extensions: BprExtensions;
  private tables: ParameterTable[] = [];

  constructor(hyperParameters: Readonly<Record<string, unknown>> = {}, extensions: BprExtensions = {}) {
    super();
    this.hyperParameters = resolveHyperParameters('bpr', BPR_DEFAULTS, BPR_SPECS, hyperParameters);
    this.extensions = extensions;
  }

  get factors(): number {
    return this.hyperParameters.factors;
  }

  /** True when `fit` will use the fused per-sample SGD kernel. */
  get usesFusedKernel(): boolean {
    const h = this.hyperParameters;
    return (
      h.optimizer === 'sgd' &&
      h.batchSize === 1 &&
      !this.extensions.optimizer &&
      (this.extensions.transforms?.length ?? 0) === 0
    );
  }

  private initialize(numUsers: number, numItems: number, rng: Rng): void {
    const k = this.factors;
    const std = this.hyperParameters.initStd;
    this.numUsers = numUsers;
    this.numItems = numItems;
    this.users = new Float32Array(numUsers * k);
    this.items = new Float32Array(numItems * k);
    const init = rng.fork('init');
    for (let p = 0; p < this.users.length; p++) this.users[p] = init.normal(0, std);
    for (let p = 0; p < this.items.length; p++) this.items[p] = init.normal(0, std);
    this.biases = this.hyperParameters.itemBias ? new Float32Array(numItems) : undefined;
    this.fitted = true;
  }

  parameterTables(): readonly ParameterTable[] {
    return this.tables;
  }

  /**
   * Per-example gradients of −ln σ(x_uij) (seed 001 eq. 10 without the L2 term, which `weightDecay` adds). With
   * `negativeCandidates` = 1 every negative of the batch gives one example. With N > 1 (DNS; `fit` samples N per
   * positive) each positive gives one example, on the one of its negatives with the smallest margin x_uij under
   * the current parameters (the first on a tie), as the fused kernel does. A batch with one negative per positive
   * (APR's sampler, a probe) then trains on that negative.
   */
  computeGradients(examples: TrainingBatch, out: SparseGradientBatch): number {
    const k = this.factors;
    const p = this.users;
    const q = this.items;
    const bias = this.biases;
    const negatives = examples.negativesPerPositive;
    const dynamic = this.hyperParameters.negativeCandidates > 1;
    const examplesPerPositive = dynamic ? 1 : negatives;
    const lossSum = gradientLossSum;
    lossSum[0] = 0;
    for (let t = 0; t < examples.size; t++) {
      const u = examples.users[t];
      const i = examples.positives[t];
      for (let s = 0; s < examplesPerPositive; s++) {
        const j = dynamic
          ? hardestCandidate(p, q, bias, k, u, i, examples.negatives, t * negatives, negatives)
          : examples.negatives[t * negatives + s];
        out.beginExample();
        const uOffset = out.addRow(0, u);
        const iOffset = out.addRow(1, i);
        const jOffset = out.addRow(1, j);
        let bOffsetI = -1;
        let bOffsetJ = -1;
        if (bias) {
          bOffsetI = out.addRow(2, i);
          bOffsetJ = out.addRow(2, j);
        }
        const g = out.values;
        const uBase = u * k;
        const iBase = i * k;
        const jBase = j * k;
        let x = bprMargin(p, q, uBase, iBase, jBase, k);
        if (bias) x += bias[i] - bias[j];
        const z = bprLogistic(x, lossSum);
        for (let c = 0; c < k; c++) {
          g[uOffset + c] = -z * (q[iBase + c] - q[jBase + c]);
          g[iOffset + c] = -z * p[uBase + c];
          g[jOffset + c] = z * p[uBase + c];
        }
        if (bias) {
          g[bOffsetI] = -z;
          g[bOffsetJ] = z;
        }
      }
    }
    return lossSum[0];
  }

  async fit(train: CsrMatrix, options?: FitOptions): Promise<FitReport> {
    this.checkTrain(train, options);
    const h = this.hyperParameters;
    const rng = createRng(h.seed);
    if (h.workers > 1 && !this.usesFusedKernel) {
      throw configError(
        this.name,
        'workers',
        h.workers,
        '1 unless the fused kernel runs (optimizer sgd, batchSize 1, no transforms)',
      );
    }
    const sampler = new UniformNegativeSampler(train, {
      order: h.sampling,
      negativesPerPositive: h.negativeCandidates,
    });
    const samplerRng = rng.fork('sampler');
    const schedule = createLearningRateSchedule(h.schedule, h.learningRate, {
      decay: h.learningRateDecay,
      epochs: h.epochs,
    });
    if (this.usesFusedKernel) {
      const samples = train.nnz;
      const words = new Int32Array(4);
      const bits = sampler.lookup.bits;
      if (h.workers > 1 && bits === undefined) {
        throw configError(this.name, 'workers', h.workers, '1 for catalogues too large for the interaction bitset');
      }
      // The workers start before the model changes: starting awaits, so the signal can fire meanwhile (and an
      // E_CONFIG from start must not leave freshly initialised factors either). Same rng forks as before: forks are
      // pure, so the order of initialize and start does not change any stream.
      const hogwild =
        h.workers > 1 && bits !== undefined
          ? await BprHogwild.start({
              workers: h.workers,
              factors: this.factors,
              numUsers: train.numRows,
              numItems: train.numColumns,
              hasBias: h.itemBias,
              negativeCandidates: h.negativeCandidates,
              bits,
              pairs: samples,
              rng: samplerRng,
            })
          : undefined;
      const pairs = hogwild ? hogwild.pairs : new Int32Array(2 * samples);
      try {
        if (hogwild && options?.signal?.aborted) {
          throw abortedBeforeTrainingError(this.name, `its ${h.workers} Hogwild worker threads started`);
        }
        // From here to runEpochs' first abort check nothing awaits, so the signal cannot fire in between.
        this.initialize(train.numRows, train.numColumns, rng);
        return await runEpochs({
          model: this,
          epochs: h.epochs,
          backend: 'typed-array',
          fit: options,
          runEpoch: async (epoch) => {
            const learningRate = schedule(epoch);
            // The same draws as sampler.epochOrder(samplerRng) then bprSgdEpoch, with the RNG advanced inline.
            const state = samplerRng.getState();
            words.set(state.words);
            shuffledBprPairs(sampler.userOfEntry, train.indices, h.sampling, words, pairs);
            let loss: number;
            if (hogwild) {
              samplerRng.setState(rngStateFromWords(words, state));
              loss = await hogwild.runEpoch(this.users, this.items, this.biases, learningRate, h.regularization);
            } else {
              loss = bprSgdPairs(
                pairs,
                0,
                samples,
                this.users,
                this.items,
                this.biases,
                this.factors,
                learningRate,
                h.regularization,
                h.negativeCandidates,
                train.numColumns,
                bits,
                sampler.lookup,
                words,
              );
              samplerRng.setState(rngStateFromWords(words, state));
            }
            return { loss: loss / samples, samples, learningRate };
          },
        });
      } finally {
        await hogwild?.close();
      }
    }
    this.initialize(train.numRows, train.numColumns, rng);
    this.tables = [
      createParameterTable('userFactors', this.users, this.factors),
      createParameterTable('itemFactors', this.items, this.factors),
    ];
    if (this.biases) this.tables.push(createParameterTable('itemBias', this.biases, 1));
    const optimizer = this.extensions.optimizer ?? createOptimizer(h.optimizer);
    optimizer.initialize(this.tables);
    const transforms = [weightDecay(h.regularization), ...(this.extensions.transforms ?? [])];
    const transformRngs = transforms.map((transform, index) => rng.fork(`transform:${index}:${transform.name}`));
    const gradients = new SparseGradientBatch(this.tables, Math.max(1024, h.batchSize * 5));
    const stepCounter = { value: 0 };
    return runEpochs({
      model: this,
      epochs: h.epochs,
      backend: 'typed-array',
      fit: options,
      runEpoch: (epoch) =>
        runGradientEpoch({
          model: this,
          sampler,
          optimizer,
          transforms,
          transformRngs,
          samplerRng,
          batchSize: h.batchSize,
          learningRate: schedule(epoch),
          epoch,
          gradients,
          stepCounter,
          reduction: 'mean',
          signal: options?.signal,
          modelName: this.name,
        }),
    });
  }

  save(): Uint8Array {
    return this.encodeFactors(this.hyperParameters);
  }

  static load(decoded: DecodedModel): MatrixFactorizationBpr {
    const model = new MatrixFactorizationBpr(decoded.header.hyperParameters);
    model.restoreState(decoded);
    return model;
  }

  protected restoreState(decoded: DecodedModel): void {
    this.restoreFactors(decoded, this.hyperParameters.itemBias);
  }

  describe(): ModelDescription {
    return this.describeFactors('MF-BPR', BPR_REFERENCE, this.hyperParameters);
  }
}

/**
 * The candidate j among `negatives[from … from + count)` with the smallest margin ⟨p_u, q_i − q_j⟩ + b_i − b_j,
 * i.e. the highest score ŷ_uj (the first on a tie): the negative that dynamic negative sampling trains on.
 */
function hardestCandidate(
  p: Float32Array,
  q: Float32Array,
  bias: Float32Array | undefined,
  k: number,
  u: number,
  i: number,
  negatives: Int32Array,
  from: number,
  count: number,
): number {
  let best = negatives[from];
  let bestMargin = Number.POSITIVE_INFINITY;
  for (let c = 0; c < count; c++) {
    const j = negatives[from + c];
    let margin = bprMargin(p, q, u * k, i * k, j * k, k);
    if (bias) margin += bias[i] - bias[j];
    if (margin < bestMargin || c === 0) {
      best = j;
      bestMargin = margin;
    }
  }
  return best;
}

export const bprModelEntry: ModelEntry = {
  name: 'bpr',
  displayName: 'MF-BPR',
  summary:
    'Matrix factorisation trained with Bayesian Personalized Ranking (pairwise; uniform or dynamic negatives), fused SGD kernel',
  kind: 'factor',
  feedback: 'implicit',
  reference: BPR_REFERENCE,
  defaults: BPR_DEFAULTS,
  hyperParameterDocs: {
    factors: { description: 'latent dimension K', range: 'integer ≥ 1' },
    epochs: { description: 'passes over the training positives', range: 'integer ≥ 0' },
    learningRate: { description: 'step size η', range: '(0, ∞)' },
    regularization: { description: 'L2 weight λ_Θ (seed 001 eq. 10)', range: '[0, ∞)' },
    optimizer: {
      description: 'sgd (fused kernel at batchSize 1), adagrad or adam (sparse/lazy)',
      range: 'sgd | adagrad | adam',
    },
    batchSize: { description: 'examples per optimizer step (mean reduction)', range: 'integer ≥ 1' },
    schedule: { description: 'learning-rate schedule', range: 'constant | exponential | linear | step' },
    learningRateDecay: { description: 'decay factor of the schedule', range: '(0, 1]' },
    initStd: { description: 'standard deviation of the Gaussian initialisation', range: '[0, ∞)' },
    itemBias: { description: 'learn an item bias b_i', range: 'true | false' },
    sampling: {
      description: 'positives per epoch: shuffled once each, or drawn with replacement',
      range: 'shuffle | with-replacement',
    },
    negativeCandidates: {
      description:
        'negatives drawn per positive: 1 = uniform (LearnBPR); N > 1 = dynamic negative sampling, train on the highest-scoring of N (Zhang et al. 2013)',
      range: 'integer in [1, 1024]',
    },
    workers: {
      description:
        'threads of the fused SGD kernel: 1 is exact per seed; > 1 runs Hogwild worker threads over shared memory (reproducible only up to race order)',
      range: 'integer in [1, 64]',
    },
    seed: { description: 'seed of initialisation and sampling', range: 'integer ≥ 0' },
  },
  create: (hyperParameters) => new MatrixFactorizationBpr(hyperParameters),
  load: (decoded) => MatrixFactorizationBpr.load(decoded),
};
