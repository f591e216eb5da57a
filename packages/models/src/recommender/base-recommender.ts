import {
  type CsrMatrix,
  type TopKResult,
  TopKSelector,
  TrustRecError,
  createDenseMatrix,
  gemm,
  shapeError,
  rejectUnknownOptions,
} from '@trustrec/core-linalg';
import { NotFittedError, abortedBeforeFitError } from '../errors/not-fitted-error.js';
import { checkFitOptions } from '../training/fit-options.js';
import {
  type DecodedModel,
  type StoredArray,
  type StoredStateValue,
  decodeModel,
  encodeModel,
  requireStoredArray,
  requireStoredCount,
} from '../serialization/model-format.js';
import type {
  FactorModel,
  FitOptions,
  FitReport,
  HyperParameters,
  ModelDescription,
  ModelReference,
  RecommendOptions,
  RestorableModel,
} from './recommender.js';

/**
 * Shared plumbing for recommenders: fitted-state guard, argument checks, batch scoring, top-K recommendation on
 * top of a model's `scoreUser`, and `restore`. Subclasses implement `fit`, `scoreUser`, `save`, `describe` and
 * `restoreState` (the half of their `load` that reads a decoded file into the model).
 */
export abstract class BaseRecommender implements RestorableModel {
  abstract readonly name: string;
  numUsers = 0;
  numItems = 0;
  protected fitted = false;
  private selector: TopKSelector | undefined;
  private pairScratch: Float32Array | undefined;

  get isFitted(): boolean {
    return this.fitted;
  }

  abstract fit(train: CsrMatrix, options?: FitOptions): Promise<FitReport>;
  abstract scoreUser(user: number, out?: Float32Array): Float32Array;
  abstract save(): Uint8Array;
  abstract describe(): ModelDescription;

  /**
   * Reads a decoded save of this model's kind into this model (its learned state, counts and the fitted flag;
   * the hyper-parameters stay this model's) with `requireStoredArray` / `requireStoredCount`, which throw
   * `E_FORMAT` for a missing or mis-sized array or a count that is not an integer ≥ 0.
   */
  protected abstract restoreState(decoded: DecodedModel): void;

  /** The model name `save()` writes into the file header: the registry name unless a subclass saves under another. */
  protected get savedModelName(): string {
    return this.name;
  }

  restore(bytes: Uint8Array): void {
    const decoded = decodeModel(bytes);
    if (decoded.header.model !== this.savedModelName) {
      throw new TrustRecError({
        code: 'E_FORMAT',
        message: `${this.name}.restore: the bytes hold a saved '${decoded.header.model}' model; restore takes what save() of a '${this.savedModelName}' model wrote (use loadModel for any model)`,
        details: { expected: this.savedModelName, found: decoded.header.model },
      });
    }
    try {
      this.restoreState(decoded);
    } catch (cause) {
      if (!TrustRecError.isInstance(cause)) throw cause;
      // The format's own message without its `loadModel: ` prefix (this is restore, not loadModel).
      const reason = cause.message.replace(/^loadModel: /, '');
      throw new TrustRecError({
        code: cause.code,
        message: `${this.name}.restore: ${reason} (was it saved with other hyper-parameters, e.g. another factor count?)`,
        cause,
        details: cause.details,
      });
    }
  }

  protected requireFitted(operation: string): void {
    if (!this.fitted) throw new NotFittedError({ model: this.name, operation });
  }

  protected checkUser(where: string, user: number): void {
    if (!Number.isInteger(user) || user < 0 || user >= this.numUsers) {
      throw shapeError(`${this.name}.${where}`, `user ${user} is outside [0, ${this.numUsers})`);
    }
  }

  protected checkItem(where: string, item: number): void {
    if (!Number.isInteger(item) || item < 0 || item >= this.numItems) {
      throw shapeError(`${this.name}.${where}`, `item ${item} is outside [0, ${this.numItems})`);
    }
  }

  protected outputBuffer(where: string, length: number, out: Float32Array | undefined): Float32Array {
    if (out === undefined) return new Float32Array(length);
    if (out.length !== length)
      throw shapeError(`${this.name}.${where}`, `out has length ${out.length}, expected ${length}`);
    return out;
  }

  /**
   * Checks a training matrix (non-empty, finite values) and, when given, the fit options (`E_CONFIG` for an
   * unknown option name or a malformed signal, validation or callback; see `checkFitOptions`), before `fit`
   * changes the model. Last, a `signal` that is already aborted is `E_ABORTED` here, so that a fit cancelled
   * before it starts leaves a fitted model exactly as it was (counts, parameters, scores) and an unfitted one
   * unfitted; every `fit` calls this before it touches the model.
   */
  protected checkTrain(train: CsrMatrix, options?: FitOptions): void {
    checkFitOptions(this.name, options);
    if (train.numRows < 1 || train.numColumns < 1 || train.nnz < 1) {
      throw new TrustRecError({
        code: 'E_ARGUMENT',
        message: `${this.name}.fit: the training matrix is ${train.numRows}×${train.numColumns} with ${train.nnz} entries; it needs at least one user, item and interaction`,
      });
    }
    const values = train.values;
    for (let p = 0; p < values.length; p++) {
      if (!Number.isFinite(values[p])) {
        throw new TrustRecError({
          code: 'E_ARGUMENT',
          message: `${this.name}.fit: train.values[${p}] = ${values[p]} is not finite`,
        });
      }
    }
    if (options?.signal?.aborted) throw abortedBeforeFitError(this.name);
  }

  scoreUsers(users: Int32Array, out?: Float32Array): Float32Array {
    this.requireFitted('scoreUsers');
    const m = this.numItems;
    const result = this.outputBuffer('scoreUsers', users.length * m, out);
    for (let t = 0; t < users.length; t++) this.scoreUser(users[t], result.subarray(t * m, (t + 1) * m));
    return result;
  }

  /** Default pair scoring through `scoreUser`, re-scoring only when the user changes (sampled protocols group pairs by user). */
  scorePairs(users: Int32Array, items: Int32Array, out?: Float32Array): Float32Array {
    this.requireFitted('scorePairs');
    if (users.length !== items.length)
      throw shapeError(
        `${this.name}.scorePairs`,
        `users (${users.length}) and items (${items.length}) differ in length`,
      );
    const result = this.outputBuffer('scorePairs', users.length, out);
    if (this.pairScratch?.length !== this.numItems) this.pairScratch = new Float32Array(this.numItems);
    const scratch = this.pairScratch;
    let current = -1;
    for (let t = 0; t < users.length; t++) {
      if (users[t] !== current) {
        current = users[t];
        this.scoreUser(current, scratch);
      }
      this.checkItem('scorePairs', items[t]);
      result[t] = scratch[items[t]];
    }
    return result;
  }

  recommend(users: Int32Array, k: number, options: RecommendOptions = {}): TopKResult[] {
    this.requireFitted('recommend');
    if (!Number.isInteger(k) || k < 0)
      throw new TrustRecError({
        code: 'E_ARGUMENT',
        message: `${this.name}.recommend: k must be an integer ≥ 0, got ${k}`,
      });
    rejectUnknownOptions(`${this.name}.recommend`, options, ['exclude']);
    const exclude = options.exclude;
    if (exclude && (exclude.numColumns !== this.numItems || exclude.numRows < this.numUsers)) {
      throw shapeError(
        `${this.name}.recommend`,
        `exclude is ${exclude.numRows}×${exclude.numColumns}, expected at least ${this.numUsers} rows and exactly ${this.numItems} columns`,
      );
    }
    this.selector ??= new TopKSelector(this.numItems);
    const scores = new Float32Array(this.numItems);
    const results: TopKResult[] = [];
    for (let t = 0; t < users.length; t++) {
      const user = users[t];
      this.scoreUser(user, scores);
      const excluded = exclude ? exclude.indices.subarray(exclude.indptr[user], exclude.indptr[user + 1]) : undefined;
      results.push(this.selector.select(scores, k, excluded));
    }
    return results;
  }
}

/**
 * Base for matrix-factorisation models: score(u, i) = ⟨p_u, q_i⟩ (+ b_i when the model has item biases). The
 * factor arrays are live parameters; assigning replaces them after a length check.
 */
export abstract class FactorRecommender extends BaseRecommender implements FactorModel {
  abstract readonly factors: number;
  protected users: Float32Array = new Float32Array(0);
  protected items: Float32Array = new Float32Array(0);
  protected biases: Float32Array | undefined;

  get userFactors(): Float32Array {
    return this.users;
  }
  set userFactors(value: Float32Array) {
    if (!(value instanceof Float32Array) || value.length !== this.numUsers * this.factors) {
      throw shapeError(
        `${this.name}.userFactors`,
        `expected a Float32Array of ${this.numUsers} × ${this.factors} = ${this.numUsers * this.factors} floats, got ${value?.length}`,
      );
    }
    this.users = value;
  }
  get itemFactors(): Float32Array {
    return this.items;
  }
  set itemFactors(value: Float32Array) {
    if (!(value instanceof Float32Array) || value.length !== this.numItems * this.factors) {
      throw shapeError(
        `${this.name}.itemFactors`,
        `expected a Float32Array of ${this.numItems} × ${this.factors} = ${this.numItems * this.factors} floats, got ${value?.length}`,
      );
    }
    this.items = value;
  }
  get itemBias(): Float32Array | undefined {
    return this.biases;
  }

  /**
   * The save format of a factor model: counts (plus `extraState`), user and item factors, and the item bias when
   * there is one.
   */
  protected encodeFactors(
    hyperParameters: HyperParameters,
    extraState: Readonly<Record<string, StoredStateValue>> = {},
    extraArrays: Readonly<Record<string, StoredArray>> = {},
  ): Uint8Array {
    this.requireFitted('save');
    const arrays: Record<string, StoredArray> = { ...extraArrays, userFactors: this.users, itemFactors: this.items };
    if (this.biases) arrays.itemBias = this.biases;
    return encodeModel({
      model: this.name,
      modelVersion: 1,
      hyperParameters,
      state: { ...extraState, numUsers: this.numUsers, numItems: this.numItems },
      arrays,
    });
  }

  /**
   * Restores what {@link encodeFactors} wrote and marks the model fitted. Every array is checked (E_FORMAT on a
   * missing or mis-sized one) before the model changes, so a failed restore leaves it as it was; arrays of an
   * unchanged shape are written into (see {@link restoreInto}).
   */
  protected restoreFactors(decoded: DecodedModel, withItemBias: boolean): void {
    const numUsers = requireStoredCount(decoded, 'numUsers');
    const numItems = requireStoredCount(decoded, 'numItems');
    const users = requireStoredArray(decoded, 'userFactors', Float32Array, numUsers * this.factors);
    const items = requireStoredArray(decoded, 'itemFactors', Float32Array, numItems * this.factors);
    const biases = withItemBias ? requireStoredArray(decoded, 'itemBias', Float32Array, numItems) : undefined;
    this.numUsers = numUsers;
    this.numItems = numItems;
    this.users = restoreInto(this.users, users);
    this.items = restoreInto(this.items, items);
    this.biases = biases === undefined ? undefined : restoreInto(this.biases, biases);
    this.fitted = true;
  }

  /** The `describe()` of a typed-array factor model. */
  protected describeFactors(
    displayName: string,
    reference: ModelReference,
    hyperParameters: HyperParameters,
  ): ModelDescription {
    return {
      name: this.name,
      displayName,
      hyperParameters,
      reference,
      backend: 'typed-array',
      fitted: this.fitted,
      numUsers: this.numUsers,
      numItems: this.numItems,
    };
  }

  scoreUser(user: number, out?: Float32Array): Float32Array {
    this.requireFitted('scoreUser');
    this.checkUser('scoreUser', user);
    const k = this.factors;
    const m = this.numItems;
    const result = this.outputBuffer('scoreUser', m, out);
    const u = this.users;
    const v = this.items;
    const base = user * k;
    const bias = this.biases;
    for (let i = 0; i < m; i++) {
      const itemBase = i * k;
      let s0 = 0;
      let s1 = 0;
      let c = 0;
      for (; c + 1 < k; c += 2) {
        s0 += u[base + c] * v[itemBase + c];
        s1 += u[base + c + 1] * v[itemBase + c + 1];
      }
      if (c < k) s0 += u[base + c] * v[itemBase + c];
      result[i] = s0 + s1 + (bias ? bias[i] : 0);
    }
    return result;
  }

  override scoreUsers(users: Int32Array, out?: Float32Array): Float32Array {
    this.requireFitted('scoreUsers');
    const k = this.factors;
    const m = this.numItems;
    const result = this.outputBuffer('scoreUsers', users.length * m, out);
    const gathered = new Float32Array(users.length * k);
    for (let t = 0; t < users.length; t++) {
      this.checkUser('scoreUsers', users[t]);
      gathered.set(this.users.subarray(users[t] * k, (users[t] + 1) * k), t * k);
    }
    gemm(createDenseMatrix(users.length, k, gathered), createDenseMatrix(m, k, this.items), {
      transposeB: true,
      out: createDenseMatrix(users.length, m, result),
    });
    const bias = this.biases;
    if (bias) for (let t = 0; t < users.length; t++) for (let i = 0; i < m; i++) result[t * m + i] += bias[i];
    return result;
  }

  override scorePairs(users: Int32Array, items: Int32Array, out?: Float32Array): Float32Array {
    this.requireFitted('scorePairs');
    if (users.length !== items.length)
      throw shapeError(
        `${this.name}.scorePairs`,
        `users (${users.length}) and items (${items.length}) differ in length`,
      );
    const result = this.outputBuffer('scorePairs', users.length, out);
    const k = this.factors;
    const u = this.users;
    const v = this.items;
    const bias = this.biases;
    for (let t = 0; t < users.length; t++) {
      this.checkUser('scorePairs', users[t]);
      this.checkItem('scorePairs', items[t]);
      const userBase = users[t] * k;
      const itemBase = items[t] * k;
      let sum = 0;
      for (let c = 0; c < k; c++) sum += u[userBase + c] * v[itemBase + c];
      result[t] = sum + (bias ? bias[items[t]] : 0);
    }
    return result;
  }
}

/**
 * `restored` written into `current` when both have the same length, so that whatever holds the live array (a
 * training loop's parameter tables, an attack, a caller) sees the restored values; otherwise `restored` itself.
 */
export function restoreInto<T extends Float32Array | Float64Array>(current: T | undefined, restored: T): T {
  if (current === undefined || current.length !== restored.length) return restored;
  current.set(restored);
  return current;
}
