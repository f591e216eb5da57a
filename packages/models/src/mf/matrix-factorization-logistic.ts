import { type CsrMatrix, type Rng, createRng, shapeError } from '@trustrec/core-linalg';
import { FactorRecommender, restoreInto } from '../recommender/base-recommender.js';
import type { FitOptions, FitReport, ModelDescription, ModelReference } from '../recommender/recommender.js';
import type { ModelEntry } from '../registry/model-registry.js';
import { type HyperParameterSpec, resolveHyperParameters } from '../registry/hyper-parameters.js';
import { type DecodedModel, requireStoredArray, requireStoredCount } from '../serialization/model-format.js';
import { expandRows } from '../training/batch-sampler.js';
import { runEpochs } from '../training/training-loop.js';
import { rngStateFromWords } from './bpr-sgd-kernel.js';
import { logisticSgdExamples, logisticTrainingExamples } from './logistic-sgd-kernel.js';

/** Hyper-parameters of MF with the logistic loss (all JSON-safe; defaults in {@link LOGISTIC_MF_DEFAULTS}). */
export type LogisticMfHyperParameters = {
  /** Latent dimension K (the reference code's `embedding_dim` − 1; biases are separate). */
  readonly factors: number;
  /** Epochs; Rendle et al. 2020 train 256 on ML-1M (their README, with η = 0.002), our default is 48 (η = 0.01). */
  readonly epochs: number;
  /** SGD step size η (constant). */
  readonly learningRate: number;
  /** L2 weight λ on every parameter an example touches (p_u, q_i, b_u, b_i, b). */
  readonly regularization: number;
  /** Sampled negatives per training positive per epoch (uniform over all items). */
  readonly negatives: number;
  /** Standard deviation of the N(0, σ²) initialisation of p and q (biases start at 0). */
  readonly initStd: number;
  readonly seed: number;
};

/**
 * Defaults: the ML-1M setting of the reference code's README (Rendle et al. 2020: λ = 0.005, 8 negatives, σ = 0.1)
 * with K = 64 and η = 0.01 for 48 epochs instead of η = 0.002 for 256 (so a default run takes ~2 min, not ~25).
 * η and the epochs were chosen on a validation split carved from ml-1m-ncf's training set (one random interaction
 * per user, 99 negatives): η ∈ {0.002, 0.005, 0.01, 0.02} and λ ∈ {0.0025, 0.005, 0.01} at 64 epochs, where
 * η = 0.01, λ = 0.005 was best (HR@10 0.839 / NDCG@10 0.594) and flat from epoch 48 on.
 * Measured on ml-1m-ncf's test split (sampled protocol), seeds 42 / 1 / 2: HR@10 0.7237 / 0.7220 / 0.7240, NDCG@10
 * 0.4475 / 0.4455 / 0.4431 (≈ 2.2 min per run). `factors: 192` (best on validation among 64 / 128 / 192: NDCG@10
 * 0.594 / 0.596 / 0.599) reaches HR@10 0.7252 / 0.7273 / 0.7293, NDCG@10 0.4492 / 0.4504 / 0.4509 (≈ 5 min). The
 * paper's largest setting,
 * `factors: 192, epochs: 256, learningRate: 0.002`, reaches HR@10 0.7267 / 0.7290 / 0.7321 and NDCG@10
 * 0.4506 / 0.4521 / 0.4542 with seeds 42 / 1 / 2 (≈ 26 min per run on one core here).
 */
export const LOGISTIC_MF_DEFAULTS: LogisticMfHyperParameters = Object.freeze({
  factors: 64,
  epochs: 48,
  learningRate: 0.01,
  regularization: 0.005,
  negatives: 8,
  initStd: 0.1,
  seed: 42,
});

const LOGISTIC_MF_SPECS: { readonly [K in keyof LogisticMfHyperParameters]: HyperParameterSpec } = {
  factors: { type: 'integer', min: 1, max: 4096 },
  epochs: { type: 'integer', min: 0 },
  learningRate: { type: 'number', min: 0, exclusiveMin: true },
  regularization: { type: 'number', min: 0 },
  negatives: { type: 'integer', min: 1, max: 1024 },
  initStd: { type: 'number', min: 0 },
  seed: { type: 'integer', min: 0 },
};

export const LOGISTIC_MF_REFERENCE: ModelReference = {
  citation:
    'Rendle, Krichene, Zhang, Anderson. Neural Collaborative Filtering vs. Matrix Factorization Revisited. RecSys 2020',
  equations:
    'y(u,i) = b + b_u + b_i + ⟨p_u, q_i⟩; pointwise logistic loss with uniformly sampled negatives, plain SGD (§2, appendix A; reference code dot_vs_learned_similarity/mf_simple.py)',
  url: 'https://arxiv.org/abs/2005.09683',
};

/**
 * Dot-product matrix factorisation trained with the pointwise logistic loss and sampled negatives, exactly the
 * "MF" of Rendle, Krichene, Zhang, Anderson (RecSys 2020): y(u, i) = b + b_u + b_i + ⟨p_u, q_i⟩, and per epoch
 * every training positive gives one example with label 1 plus `negatives` examples with label 0 whose items are
 * drawn uniformly from ALL items (positives are not excluded, as in the reference code), shuffled, then one plain
 * SGD step per example ({@link logisticSgdExamples}).
 *
 * Scores: `scoreUser`, `scoreUsers`, `scorePairs` and `recommend` return ⟨p_u, q_i⟩ + b_i — the model's logit
 * y(u, i) minus the per-user constant b + b_u, which changes no user's ranking (full or sampled protocol) but
 * does shift scores between users. This keeps the {@link FactorRecommender} contract (score = ⟨p_u, q_i⟩ + b_i,
 * `itemBias` = b_i). {@link logits} returns the full y(u, i) (σ(y) is the model's probability of a positive).
 * Saved files keep b_u and b bit-for-bit (binary arrays `userBias` and `globalBias`).
 */
export class MatrixFactorizationLogistic extends FactorRecommender {
  readonly name = 'mf';
  readonly hyperParameters: LogisticMfHyperParameters;
  private userBiases: Float32Array = new Float32Array(0);
  private global = new Float64Array(1);

  constructor(hyperParameters: Readonly<Record<string, unknown>> = {}) {
    super();
    this.hyperParameters = resolveHyperParameters('mf', LOGISTIC_MF_DEFAULTS, LOGISTIC_MF_SPECS, hyperParameters);
  }

  get factors(): number {
    return this.hyperParameters.factors;
  }

  /** The live user biases b_u (length numUsers); not part of the ranking scores (see the class comment). */
  get userBias(): Float32Array {
    return this.userBiases;
  }

  /** The global bias b (float64, as in the reference code); not part of the ranking scores. */
  get globalBias(): number {
    return this.global[0];
  }

  /** Full logits y(u, i) = b + b_u + b_i + ⟨p_u, q_i⟩ of (users[t], items[t]) (float64 sum, one rounding). */
  logits(users: Int32Array, items: Int32Array, out?: Float32Array): Float32Array {
    this.requireFitted('logits');
    if (users.length !== items.length)
      throw shapeError(`${this.name}.logits`, `users (${users.length}) and items (${items.length}) differ in length`);
    const result = this.outputBuffer('logits', users.length, out);
    const k = this.factors;
    const p = this.users;
    const q = this.items;
    const itemBias = this.biases as Float32Array;
    const b = this.global[0];
    for (let t = 0; t < users.length; t++) {
      this.checkUser('logits', users[t]);
      this.checkItem('logits', items[t]);
      const uBase = users[t] * k;
      const iBase = items[t] * k;
      let sum = 0;
      for (let c = 0; c < k; c++) sum += p[uBase + c] * q[iBase + c];
      result[t] = b + this.userBiases[users[t]] + itemBias[items[t]] + sum;
    }
    return result;
  }

  private initialize(numUsers: number, numItems: number, init: Rng): void {
    const k = this.factors;
    const std = this.hyperParameters.initStd;
    this.numUsers = numUsers;
    this.numItems = numItems;
    this.users = new Float32Array(numUsers * k);
    this.items = new Float32Array(numItems * k);
    for (let p = 0; p < this.users.length; p++) this.users[p] = init.normal(0, std);
    for (let p = 0; p < this.items.length; p++) this.items[p] = init.normal(0, std);
    this.biases = new Float32Array(numItems);
    this.userBiases = new Float32Array(numUsers);
    this.global[0] = 0;
    this.fitted = true;
  }

  async fit(train: CsrMatrix, options?: FitOptions): Promise<FitReport> {
    this.checkTrain(train, options);
    const h = this.hyperParameters;
    const rng = createRng(h.seed);
    this.initialize(train.numRows, train.numColumns, rng.fork('init'));
    const samplerRng = rng.fork('sampler');
    const userOfEntry = expandRows(train);
    const samples = train.nnz * (1 + h.negatives);
    const examples = new Int32Array(2 * samples);
    const words = new Int32Array(4);
    return runEpochs({
      model: this,
      epochs: h.epochs,
      backend: 'typed-array',
      fit: options,
      runEpoch: () => {
        // Negatives and the shuffle draw from samplerRng, advanced inline (the same draws as rng.nextInt).
        const state = samplerRng.getState();
        words.set(state.words);
        logisticTrainingExamples(userOfEntry, train.indices, h.negatives, train.numColumns, words, examples);
        samplerRng.setState(rngStateFromWords(words, state));
        const loss = logisticSgdExamples(
          examples,
          0,
          samples,
          this.users,
          this.items,
          this.userBiases,
          this.biases as Float32Array,
          this.global,
          this.factors,
          h.learningRate,
          h.regularization,
        );
        return { loss: loss / samples, samples, learningRate: h.learningRate };
      },
    });
  }

  save(): Uint8Array {
    return this.encodeFactors(this.hyperParameters, {}, { userBias: this.userBiases, globalBias: this.global });
  }

  static load(decoded: DecodedModel): MatrixFactorizationLogistic {
    const model = new MatrixFactorizationLogistic(decoded.header.hyperParameters);
    model.restoreState(decoded);
    return model;
  }

  protected restoreState(decoded: DecodedModel): void {
    const userBiases = requireStoredArray(decoded, 'userBias', Float32Array, requireStoredCount(decoded, 'numUsers'));
    const global = requireStoredArray(decoded, 'globalBias', Float64Array, 1);
    this.restoreFactors(decoded, true);
    this.userBiases = restoreInto(this.userBiases, userBiases);
    this.global = restoreInto(this.global, global);
  }

  describe(): ModelDescription {
    return this.describeFactors('MF (logistic)', LOGISTIC_MF_REFERENCE, this.hyperParameters);
  }
}

export const logisticMfModelEntry: ModelEntry = {
  name: 'mf',
  displayName: 'MF (logistic)',
  summary:
    'Dot-product matrix factorisation with user/item/global biases, pointwise logistic loss and uniformly sampled negatives (Rendle et al. 2020), fused SGD kernel',
  kind: 'factor',
  feedback: 'implicit',
  reference: LOGISTIC_MF_REFERENCE,
  defaults: LOGISTIC_MF_DEFAULTS,
  hyperParameterDocs: {
    factors: { description: 'latent dimension K (biases are extra)', range: 'integer in [1, 4096]' },
    epochs: {
      description: 'passes over the training positives (Rendle et al. 2020 use 256 on ML-1M)',
      range: 'integer ≥ 0',
    },
    learningRate: { description: 'constant SGD step size η', range: '(0, ∞)' },
    regularization: { description: 'L2 weight λ on every parameter an example touches', range: '[0, ∞)' },
    negatives: {
      description: 'negatives per positive per epoch, uniform over all items (positives not excluded)',
      range: 'integer in [1, 1024]',
    },
    initStd: { description: 'standard deviation of the Gaussian initialisation of p, q', range: '[0, ∞)' },
    seed: { description: 'seed of initialisation, negative sampling and shuffling', range: 'integer ≥ 0' },
  },
  create: (hyperParameters) => new MatrixFactorizationLogistic(hyperParameters),
  load: (decoded) => MatrixFactorizationLogistic.load(decoded),
};
