import { type CsrMatrix, argumentError, createRng, shapeError } from '@trustrec/core-linalg';
import type { FactorModel, ModelRegistry } from '@trustrec/models';
import type { AttackDescription, PerturbationTarget } from './attack-description.js';
import { type BprGradient, bprLossGradient, sampleBprTriples } from './bpr-gradient.js';
import {
  addDelta,
  addNormalizedStep,
  perturbsItems,
  perturbsUsers,
  rowNorms,
  validatePerturbationOptions,
} from './perturbation-kernels.js';
import type { PerturbationResult } from './perturbation-result.js';
import { assertDotProductScoring, cloneFactorModel, validateRegistry } from './victim-model.js';

/** BPR loss of the triples the attack used, before and after the perturbation (summed over triples). */
export interface AttackLoss {
  readonly clean: number;
  readonly perturbed: number;
  /** Number of (u, i, j) triples (training positives × negativesPerPositive). */
  readonly triples: number;
}

/** What FGSM and BIM return: a {@link PerturbationResult} plus the BPR loss they ascended. */
export interface GradientPerturbationResult extends PerturbationResult {
  readonly loss: AttackLoss;
}

/** @internal The shared options of FGSM / BIM after defaults. */
export interface GradientAttackSettings {
  readonly epsilon: number;
  readonly target: PerturbationTarget;
  readonly seed: number;
  readonly steps: number;
  readonly stepSize: number;
  readonly negativesPerPositive: number;
  readonly registry?: ModelRegistry;
}

/**
 * @internal The checks of the FGSM / BIM settings (E_ARGUMENT naming the option, prefixed by `prefix`, e.g.
 * `attacks[2].` when {@link evaluateUnderAttack} checks its attack list up front).
 */
export function validateGradientSettings(
  where: string,
  settings: { readonly steps: number; readonly stepSize: number; readonly negativesPerPositive: number },
  prefix = '',
): void {
  const { steps, stepSize, negativesPerPositive } = settings;
  if (!Number.isInteger(steps) || steps < 1) {
    throw argumentError(where, `${prefix}steps must be an integer ≥ 1, got ${steps}`, {
      option: `${prefix}steps`,
      value: steps,
    });
  }
  if (typeof stepSize !== 'number' || !Number.isFinite(stepSize) || stepSize < 0) {
    throw argumentError(where, `${prefix}stepSize must be a finite number ≥ 0, got ${stepSize}`, {
      option: `${prefix}stepSize`,
      value: stepSize,
    });
  }
  if (!Number.isInteger(negativesPerPositive) || negativesPerPositive < 1 || negativesPerPositive > 1000) {
    throw argumentError(
      where,
      `${prefix}negativesPerPositive must be an integer in [1, 1000], got ${negativesPerPositive}`,
      { option: `${prefix}negativesPerPositive` },
    );
  }
}

/** @internal `train` must be a non-empty CsrMatrix of the model's shape (E_ARGUMENT, E_SHAPE). */
export function validateTrainingMatrix(where: string, model: FactorModel, train: CsrMatrix): void {
  if (train === null || typeof train !== 'object' || typeof train.numRows !== 'number') {
    throw argumentError(where, 'train must be the CsrMatrix of training interactions the victim was fitted on');
  }
  if (train.numRows !== model.numUsers || train.numColumns !== model.numItems) {
    throw shapeError(
      where,
      `train is ${train.numRows}×${train.numColumns} but the model has ${model.numUsers} users × ${model.numItems} items`,
    );
  }
  if (train.nnz === 0) throw argumentError(where, 'train has no interactions, so the BPR loss has no gradient');
}

/**
 * @internal Projected normalised gradient ascent on L_BPR(D | Θ + Δ) over the embedding rows (seed 001 eq. 5
 * with APR eq. 11's per-row L2 normalisation; iterated and projected for BIM): Δ⁰ = 0, then `steps` times
 * Δ ← Proj_{‖Δ_r‖ ≤ ε}(Δ + α · g_r / ‖g_r‖) with g = ∇_Δ L_BPR at Θ + Δ over one fixed set of triples
 * (every training positive × `negativesPerPositive` negatives, drawn from `fork('triples')` of the seed).
 * FGSM is the case steps = 1, α = ε, identical arithmetic (so BIM with one step of size ε equals FGSM bit for bit).
 */
export function gradientPerturbation(
  where: string,
  model: FactorModel,
  train: CsrMatrix,
  settings: GradientAttackSettings,
  describe: () => AttackDescription,
): GradientPerturbationResult {
  validatePerturbationOptions(where, settings);
  const { epsilon, target, steps, stepSize, negativesPerPositive } = settings;
  validateGradientSettings(where, settings);
  validateRegistry(where, settings.registry);
  assertDotProductScoring(where, model);
  validateTrainingMatrix(where, model, train);
  const k = model.factors;
  const triples = sampleBprTriples(train, negativesPerPositive, createRng(settings.seed).fork('triples'));
  const gradient: BprGradient = {
    users: new Float64Array(model.userFactors.length),
    items: new Float64Array(model.itemFactors.length),
  };
  const userDelta = new Float64Array(model.userFactors.length);
  const itemDelta = new Float64Array(model.itemFactors.length);
  const withUsers = perturbsUsers(target);
  const withItems = perturbsItems(target);
  let userFactors = model.userFactors;
  let itemFactors = model.itemFactors;
  const parameters = () => ({ userFactors, itemFactors, itemBias: model.itemBias, factors: k });
  const clean = bprLossGradient(parameters(), triples, gradient);
  for (let step = 0; step < steps; step++) {
    if (step > 0) bprLossGradient(parameters(), triples, gradient);
    if (withUsers) addNormalizedStep(userDelta, gradient.users, k, stepSize, epsilon);
    if (withItems) addNormalizedStep(itemDelta, gradient.items, k, stepSize, epsilon);
    if (withUsers) userFactors = addDelta(model.userFactors, userDelta);
    if (withItems) itemFactors = addDelta(model.itemFactors, itemDelta);
  }
  const perturbed = bprLossGradient(parameters(), triples, undefined);
  const copy = cloneFactorModel(model, settings.registry);
  const norms: { users?: Float32Array; items?: Float32Array } = {};
  if (withUsers) {
    copy.userFactors = userFactors;
    norms.users = rowNorms(userDelta, k);
  }
  if (withItems) {
    copy.itemFactors = itemFactors;
    norms.items = rowNorms(itemDelta, k);
  }
  return { model: copy, norms, attack: describe(), loss: { clean, perturbed, triples: triples.users.length } };
}
