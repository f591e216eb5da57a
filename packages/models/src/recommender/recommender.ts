import type { CsrMatrix, TopKResult } from '@trustrec/core-linalg';

/**
 * The Recommender contract (STYLE.md "Recommender contract"; implicit's `recommender_base.py` + RecBole's
 * `predict` / `full_sort_predict`). Batch-first, typed arrays everywhere, optional capabilities as separate
 * interfaces checked by type guards ({@link FactorModel}, {@link PartialFitModel}, {@link RestorableModel}).
 *
 * Stability: this file is the contract other packages (attacks, defenses, privacy-dp, unlearning) and the NCF
 * models build against. Additions are allowed; changes to existing members are not.
 */

/** A hyper-parameter value as stored in descriptions and save headers (JSON-safe). */
export type HyperParameterValue = number | string | boolean | null | readonly number[] | readonly string[];

/** Hyper-parameters of a model, JSON-safe. */
export type HyperParameters = Readonly<Record<string, HyperParameterValue>>;

/** A published reference for a model. */
export interface ModelReference {
  /** Short citation, e.g. "Rendle et al., BPR: Bayesian Personalized Ranking from Implicit Feedback, UAI 2009". */
  readonly citation: string;
  /** Equations implemented, e.g. "eq. 10 (LearnBPR)". */
  readonly equations?: string;
  /** Seed file in ../shared/seeds, when there is one (e.g. "001"). */
  readonly seed?: string;
  readonly url?: string;
}

/** What `describe()` returns: enough to reproduce the model and cite it. */
export interface ModelDescription {
  /** Registry name (`bpr`, `als`, `ials`, `itemknn`, `pop`, `neumf`, `gmf`, `mlp`). */
  readonly name: string;
  /** Human-readable name, e.g. "MF-BPR". */
  readonly displayName: string;
  readonly hyperParameters: HyperParameters;
  readonly reference: ModelReference;
  /** Compute backend used for training/scoring (e.g. `typed-array`, `wasm`). */
  readonly backend: string;
  readonly fitted: boolean;
  readonly numUsers: number;
  readonly numItems: number;
}

/** One finished epoch (or ALS iteration) as seen by `onEpoch` and training callbacks. */
export interface EpochEvent {
  /** 1-based epoch number. */
  readonly epoch: number;
  readonly totalEpochs: number;
  /** Mean training loss over the epoch's examples, when the model has one (NaN otherwise). */
  readonly loss: number;
  /** Training examples (samples, triples, rows solved) processed in this epoch. */
  readonly samples: number;
  /** Wall-clock seconds of this epoch's training (validation excluded). */
  readonly seconds: number;
  /** Learning rate used in this epoch (NaN for closed-form solvers). */
  readonly learningRate: number;
  /** Validation metric, when `FitOptions.validation` ran this epoch (higher is better). */
  readonly validation?: number;
  /** The model being trained, in its state after this epoch (e.g. for checkpoints). */
  readonly model: Recommender;
}

/** Per-epoch validation: a scalar where higher is better (e.g. NDCG@10 on a validation split). */
export interface ValidationOptions {
  /** Name for reports, e.g. "ndcg@10". */
  readonly name: string;
  readonly evaluate: (model: Recommender) => number | Promise<number>;
  /** Evaluate every n epochs (default 1). The last epoch is always evaluated. */
  readonly every?: number;
}

/** Per-epoch record kept in the {@link FitReport}. */
export interface EpochRecord {
  readonly epoch: number;
  readonly loss: number;
  readonly samples: number;
  readonly seconds: number;
  readonly learningRate: number;
  readonly validation?: number;
}

/** A callback in the training loop (see `src/training/callbacks.ts` for early stopping and checkpoints). */
export interface TrainingCallback {
  readonly name: string;
  onTrainBegin?(model: Recommender): void;
  /** Return 'stop' to end training after this epoch. */
  // biome-ignore lint/suspicious/noConfusingVoidType: a callback that returns nothing (void) must type-check; 'stop' is the only value read
  onEpochEnd?(event: EpochEvent): void | 'stop';
  onTrainEnd?(model: Recommender, report: FitReport): void;
}

export interface FitOptions {
  /** Called after every epoch/iteration; return 'stop' to end training early. */
  // biome-ignore lint/suspicious/noConfusingVoidType: a callback that returns nothing (void) must type-check; 'stop' is the only value read
  readonly onEpoch?: (event: EpochEvent) => void | 'stop';
  /**
   * Called after each epoch of a pre-training stage that `fit` runs first (NeuMF's GMF and MLP with
   * `pretrainEpochs > 0`); `event.model` is the model being pre-trained (its `name` says which stage).
   */
  readonly onPretrainEpoch?: (event: EpochEvent) => void;
  /** Cancels training between epochs (and between batches for long epochs): `fit` rejects with `E_ABORTED`. */
  readonly signal?: AbortSignal;
  /** Per-epoch validation metric, passed to callbacks (early stopping) as `event.validation`. */
  readonly validation?: ValidationOptions;
  /** More callbacks (early stopping, checkpoints, progress). */
  readonly callbacks?: readonly TrainingCallback[];
}

export type StopReason = 'completed' | 'callback' | 'converged';

/** What `fit` resolves to. */
export interface FitReport {
  readonly model: string;
  /** Epochs (or ALS iterations) actually run. */
  readonly epochs: number;
  /** Total fit seconds (wall clock, validation and pre-training included). */
  readonly seconds: number;
  /** Seconds of the pre-training stages `fit` ran first (NeuMF with `pretrainEpochs > 0`), part of `seconds`. */
  readonly pretrainSeconds?: number;
  /** Mean training seconds per epoch/iteration (validation excluded). */
  readonly secondsPerEpoch: number;
  /** Training examples processed in total. */
  readonly samples: number;
  /** samples / training seconds. */
  readonly samplesPerSecond: number;
  readonly finalLoss: number;
  readonly stopReason: StopReason;
  /** Best validation value and its epoch, when validation ran. */
  readonly bestValidation?: { readonly epoch: number; readonly value: number };
  readonly history: readonly EpochRecord[];
  readonly backend: string;
}

export interface RecommendOptions {
  /** Items never to recommend per user: row u of this (numUsers × numItems) matrix, typically the train set. */
  readonly exclude?: CsrMatrix;
}

/** The contract every recommender implements. */
export interface Recommender {
  /** Registry name, e.g. `bpr`. */
  readonly name: string;
  /** Users / items the model was fitted on (0 before fit). */
  readonly numUsers: number;
  readonly numItems: number;
  readonly isFitted: boolean;
  /**
   * Trains on a (numUsers × numItems) interaction matrix (values: 1 for implicit feedback, ratings for
   * explicit models). Validates hyper-parameters first (`E_CONFIG`). Re-fitting starts from a fresh seeded
   * initialisation, so the same seed and data give identical parameters.
   */
  fit(train: CsrMatrix, options?: FitOptions): Promise<FitReport>;
  /** Scores of every item for one user, written into `out` (length numItems) when given. */
  scoreUser(user: number, out?: Float32Array): Float32Array;
  /** Scores for a batch of users: row-major (users.length × numItems), into `out` when given. */
  scoreUsers(users: Int32Array, out?: Float32Array): Float32Array;
  /** Scores of (users[t], items[t]) pairs — the sampled-protocol path (cheap for neural models). */
  scorePairs(users: Int32Array, items: Int32Array, out?: Float32Array): Float32Array;
  /** Top-k items per user, best first, skipping `exclude`'s row for that user. */
  recommend(users: Int32Array, k: number, options?: RecommendOptions): TopKResult[];
  /** Serialises to the versioned model format (`loadModel` restores it bit-for-bit). */
  save(): Uint8Array;
  describe(): ModelDescription;
}

/**
 * Matrix-factorisation-style models. The factor arrays are the live parameters (not copies): attacks perturb
 * them, defenses regularise them, unlearning edits them. Assigning a new array of the right length replaces
 * the parameters.
 */
export interface FactorModel extends Recommender {
  /** numUsers × factors, row-major. */
  userFactors: Float32Array;
  /** numItems × factors, row-major. */
  itemFactors: Float32Array;
  /** Latent dimension. */
  readonly factors: number;
  /** Optional per-item bias added to every score (length numItems). */
  readonly itemBias?: Float32Array;
}

export function isFactorModel(model: Recommender): model is FactorModel {
  const candidate = model as Partial<FactorModel>;
  return (
    candidate.userFactors instanceof Float32Array &&
    candidate.itemFactors instanceof Float32Array &&
    typeof candidate.factors === 'number'
  );
}

/**
 * Fold-in / partial fit (implicit's `partial_fit_users` / `partial_fit_items`): recompute the given rows with
 * the other side fixed. `interactions` row t holds the interactions of `ids[t]` (users × items for users,
 * items × users for items). Ids ≥ numUsers (numItems) grow the model, which is how attacks inject users.
 */
export interface PartialFitModel extends Recommender {
  partialFitUsers(users: Int32Array, interactions: CsrMatrix): void;
  partialFitItems(items: Int32Array, interactions: CsrMatrix): void;
}

export function supportsPartialFit(model: Recommender): model is PartialFitModel {
  const candidate = model as Partial<PartialFitModel>;
  return typeof candidate.partialFitUsers === 'function' && typeof candidate.partialFitItems === 'function';
}

/**
 * Restoring a saved state into a live model (Keras' `set_weights`, RecBole's best-checkpoint reload): every
 * built-in model supports it. `restore(bytes)` replaces this model's learned state with what `save()` wrote, so its
 * scores equal those of the model that saved it bit for bit, while it keeps its own hyper-parameters. Early
 * stopping uses it to bring back the best epoch; `loadModel` is the way to get a new model instead.
 */
export interface RestorableModel extends Recommender {
  /**
   * Replaces the learned state with `bytes` from `save()` of a model of the same name (`E_FORMAT` otherwise, or
   * when the saved arrays do not fit this model's hyper-parameters, e.g. another factor count). Parameter arrays
   * of an unchanged shape are written into, so references to the live `userFactors` / `itemFactors` (or an NCF
   * model's network) see the restored values; optimizer state (Adam moments) starts afresh, as after `loadModel`.
   */
  restore(bytes: Uint8Array): void;
}

export function supportsRestore(model: Recommender): model is RestorableModel {
  return typeof (model as Partial<RestorableModel>).restore === 'function';
}
