import { type CsrMatrix, TrustRecError, argumentError, describeOptionValue } from '@trustrec/core-linalg';
import {
  type DecodedModel,
  type FactorModel,
  FactorRecommender,
  type FitReport,
  type ModelDescription,
  type ModelRegistry,
  type Recommender,
  defaultModelRegistry,
  encodeModel,
  isFactorModel,
} from '@trustrec/models';

/** Pairs checked by {@link assertDotProductScoring}. */
const SCORING_PROBES = 8;

/**
 * Checks that `model` is a fitted {@link FactorModel} whose score is the MF score ŷ_ui = p_uᵀq_i (+ b_i) (seed
 * 001 §3.1), which is what the closed-form BPR gradients of FGSM/BIM assume: consistent array lengths, and the
 * model's own `scorePairs` equal to ⟨p_u, q_i⟩ + b_i on a few (u, i) pairs spread over the matrix. Models with
 * another score (NCF, ItemKNN, ...) are rejected with E_ARGUMENT rather than attacked with a wrong gradient. A NaN
 * or infinite factor or bias is E_NUMERIC (it would give NaN losses and rows the gradient attacks cannot move).
 */
export function assertDotProductScoring(where: string, model: Recommender): asserts model is FactorModel {
  if (!isFactorModel(model)) {
    throw argumentError(
      where,
      `model '${model?.name}' is not a FactorModel (no userFactors/itemFactors); parameter-perturbation attacks support matrix-factorisation models whose score is p_u·q_i (+ b_i), e.g. MF-BPR, MF-ALS, APR`,
    );
  }
  if (!model.isFitted) {
    throw new TrustRecError({
      code: 'E_NOT_FITTED',
      message: `${where}: model '${model.name}' is not fitted; fit or load it before attacking it`,
    });
  }
  const { numUsers, numItems, factors, userFactors, itemFactors, itemBias } = model;
  if (
    !Number.isInteger(factors) ||
    factors < 1 ||
    userFactors.length !== numUsers * factors ||
    itemFactors.length !== numItems * factors
  ) {
    throw new TrustRecError({
      code: 'E_SHAPE',
      message: `${where}: model '${model.name}' has ${numUsers} users, ${numItems} items and ${factors} factors but userFactors/itemFactors hold ${userFactors.length}/${itemFactors.length} floats`,
    });
  }
  if (itemBias !== undefined && itemBias.length !== numItems) {
    throw new TrustRecError({
      code: 'E_SHAPE',
      message: `${where}: model '${model.name}' has an itemBias of length ${itemBias.length}, expected ${numItems}`,
    });
  }
  requireFiniteTable(where, model.name, 'userFactors', userFactors, factors);
  requireFiniteTable(where, model.name, 'itemFactors', itemFactors, factors);
  if (itemBias !== undefined) requireFiniteTable(where, model.name, 'itemBias', itemBias, 1);
  if (numUsers === 0 || numItems === 0) return;
  const probes = Math.min(SCORING_PROBES, numUsers * numItems);
  const users = new Int32Array(probes);
  const items = new Int32Array(probes);
  for (let t = 0; t < probes; t++) {
    users[t] = Math.floor(((t + 0.5) * numUsers) / probes);
    items[t] = Math.floor(((probes - t - 0.5) * numItems) / probes);
  }
  const scores = model.scorePairs(users, items);
  for (let t = 0; t < probes; t++) {
    let expected = itemBias === undefined ? 0 : itemBias[items[t]];
    for (let c = 0; c < factors; c++)
      expected += userFactors[users[t] * factors + c] * itemFactors[items[t] * factors + c];
    if (!(Math.abs(scores[t] - expected) <= 1e-4 * (1 + Math.abs(expected)))) {
      throw argumentError(
        where,
        `model '${model.name}' scores (user ${users[t]}, item ${items[t]}) as ${scores[t]} but p_u·q_i + b_i = ${expected}; FGSM/BIM compute the BPR gradient of the MF score p_u·q_i (+ b_i) and do not support this model`,
      );
    }
  }
}

/** E_NUMERIC naming the table and row of the first non-finite value (one pass, once per call). */
function requireFiniteTable(where: string, name: string, table: string, values: Float32Array, width: number): void {
  for (let p = 0; p < values.length; p++) {
    if (!Number.isFinite(values[p])) {
      throw new TrustRecError({
        code: 'E_NUMERIC',
        message: `${where}: model '${name}' has ${values[p]} in ${table} (row ${Math.floor(p / width)}); attacks need finite parameters — refit or reload the model`,
        details: { table, row: Math.floor(p / width) },
      });
    }
  }
}

/**
 * A stand-alone copy of a dot-product factor model (factors and item bias copied, scores ⟨p_u, q_i⟩ + b_i), used
 * when the victim's class is not in the model registry so `save()` + `loadModel()` cannot clone it. It describes
 * itself as the victim did. It cannot be re-fitted; `save()` writes a `factor-snapshot` file.
 */
export class FactorSnapshotModel extends FactorRecommender {
  readonly name: string;
  readonly factors: number;
  private readonly description: ModelDescription;

  constructor(source: FactorModel) {
    super();
    this.name = source.name;
    this.factors = source.factors;
    this.numUsers = source.numUsers;
    this.numItems = source.numItems;
    this.users = source.userFactors.slice();
    this.items = source.itemFactors.slice();
    this.biases = source.itemBias?.slice();
    this.description = source.describe();
    this.fitted = true;
  }

  fit(_train: CsrMatrix): Promise<FitReport> {
    return Promise.reject(
      new TrustRecError({
        code: 'E_ARGUMENT',
        message: `${this.name}.fit: a factor snapshot (a perturbed copy) cannot be re-fitted; fit the original model class instead`,
      }),
    );
  }

  save(): Uint8Array {
    const arrays: Record<string, Float32Array> = { userFactors: this.users, itemFactors: this.items };
    if (this.biases) arrays.itemBias = this.biases;
    return encodeModel({
      model: 'factor-snapshot',
      modelVersion: 1,
      hyperParameters: { factors: this.factors, source: this.name },
      state: { numUsers: this.numUsers, numItems: this.numItems },
      arrays,
    });
  }

  protected override get savedModelName(): string {
    return 'factor-snapshot';
  }

  /** Restores a `factor-snapshot` file of the same shape (with an item bias exactly when this snapshot has one). */
  protected restoreState(decoded: DecodedModel): void {
    this.restoreFactors(decoded, this.biases !== undefined);
  }

  describe(): ModelDescription {
    return { ...this.description, numUsers: this.numUsers, numItems: this.numItems, fitted: true };
  }
}

/**
 * @internal E_ARGUMENT naming `where` and `option` unless `registry` is undefined (the default registry) or a
 * {@link ModelRegistry} (an object with a `load(bytes)` method), so that a bad `registry` option is refused before
 * any work rather than failing with a TypeError when the victim is cloned.
 */
export function validateRegistry(where: string, registry: unknown, option = 'registry'): void {
  if (registry === undefined) return;
  if (typeof registry !== 'object' || registry === null || typeof (registry as ModelRegistry).load !== 'function') {
    throw argumentError(
      where,
      `${option} must be a ModelRegistry from @trustrec/models (e.g. defaultModelRegistry(), or a new ModelRegistry() with the victim's model registered), got ${describeOptionValue(registry)}; leave it out for the default registry`,
      { option },
    );
  }
}

/**
 * An independent copy of a factor model: `save()` then `loadModel()` through `registry` (the default registry
 * unless given), which restores the same class bit-for-bit; when the registry does not know the model
 * (E_FORMAT), a {@link FactorSnapshotModel}. The copy's factor arrays never share memory with the victim's.
 */
export function cloneFactorModel(model: FactorModel, registry: ModelRegistry = defaultModelRegistry()): FactorModel {
  validateRegistry('cloneFactorModel', registry);
  let clone: Recommender | undefined;
  try {
    clone = registry.load(model.save());
  } catch (error) {
    if (!TrustRecError.isInstance(error, 'E_FORMAT')) throw error;
  }
  if (clone === undefined || !isFactorModel(clone) || !sameFactors(model, clone)) return new FactorSnapshotModel(model);
  if (clone.userFactors.buffer === model.userFactors.buffer || clone.itemFactors.buffer === model.itemFactors.buffer) {
    clone.userFactors = clone.userFactors.slice();
    clone.itemFactors = clone.itemFactors.slice();
  }
  return clone;
}

function sameFactors(a: FactorModel, b: FactorModel): boolean {
  if (a.factors !== b.factors || a.numUsers !== b.numUsers || a.numItems !== b.numItems) return false;
  if (a.userFactors.length !== b.userFactors.length || a.itemFactors.length !== b.itemFactors.length) return false;
  if ((a.itemBias === undefined) !== (b.itemBias === undefined)) return false;
  const equal = (x: Float32Array, y: Float32Array): boolean => {
    const xb = new Uint32Array(x.buffer, x.byteOffset, x.length);
    const yb = new Uint32Array(y.buffer, y.byteOffset, y.length);
    for (let p = 0; p < xb.length; p++) if (xb[p] !== yb[p]) return false;
    return true;
  };
  return (
    equal(a.userFactors, b.userFactors) &&
    equal(a.itemFactors, b.itemFactors) &&
    (a.itemBias === undefined || equal(a.itemBias, b.itemBias as Float32Array))
  );
}
