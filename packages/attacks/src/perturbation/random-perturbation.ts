import { type Rng, argumentError, createRng, rejectUnknownOptions } from '@trustrec/core-linalg';
import type { FactorModel, ModelRegistry } from '@trustrec/models';
import { APR_PAPER, type AttackDescription, type PerturbationTarget } from './attack-description.js';
import {
  addDelta,
  perturbsItems,
  perturbsUsers,
  rowNorms,
  validatePerturbationOptions,
} from './perturbation-kernels.js';
import type { PerturbationResult } from './perturbation-result.js';
import { assertDotProductScoring, cloneFactorModel, validateRegistry } from './victim-model.js';

export interface RandomPerturbationOptions {
  /** L2 norm of every perturbed row (ε ≥ 0). */
  readonly epsilon: number;
  readonly target: PerturbationTarget;
  /** Direction distribution before scaling to norm ε: isotropic Gaussian (default, uniform on the sphere) or i.i.d. U(−1, 1). */
  readonly distribution?: 'gaussian' | 'uniform';
  readonly seed: number;
  /** Registry used to clone the victim through save()/loadModel() (default: the shared default registry). */
  readonly registry?: ModelRegistry;
}

const WHERE = 'randomPerturbation';
/** The option names of {@link RandomPerturbationOptions}. @internal */
export const RANDOM_OPTIONS: readonly string[] = ['epsilon', 'target', 'distribution', 'seed', 'registry'];

/** The description of a random-perturbation run (black-box: the direction ignores the model and data). */
export function describeRandomPerturbation(options: Omit<RandomPerturbationOptions, 'registry'>): AttackDescription {
  return {
    name: 'random',
    displayName: 'Random perturbation',
    paper: APR_PAPER,
    equations:
      'APR §3 / seed 001 §5.3: random noise of L2 norm ε per embedding row (APR code: l2_normalize(N(0, 1)) · ε)',
    seed: '001',
    knowledge: 'black-box',
    parameters: {
      epsilon: options.epsilon,
      target: options.target,
      distribution: options.distribution ?? 'gaussian',
      seed: options.seed,
    },
  };
}

/**
 * Random perturbation of the embeddings (the baseline of seed 001 §5.3 and APR §3): every row of the targeted
 * factor tables gets Δ_r = ε · d_r / ‖d_r‖ with d_r drawn from N(0, I) (or U(−1, 1)^k), so ‖Δ_r‖ = ε exactly
 * like FGSM's rows. Users draw from `fork('users')` and items from `fork('items')` of `createRng(seed)`, so the
 * user perturbation is the same whether items are perturbed too. Returns a perturbed copy; the victim is never
 * mutated. Supports fitted FactorModels scoring p_u·q_i (+ b_i) (see {@link assertDotProductScoring}). An
 * unknown option name is E_CONFIG; bad values are E_ARGUMENT.
 */
export function randomPerturbation(model: FactorModel, options: RandomPerturbationOptions): PerturbationResult {
  rejectUnknownOptions(WHERE, options, RANDOM_OPTIONS);
  validatePerturbationOptions(WHERE, options);
  const distribution = options.distribution ?? 'gaussian';
  if (distribution !== 'gaussian' && distribution !== 'uniform') {
    throw argumentError(WHERE, `distribution must be 'gaussian' or 'uniform', got ${JSON.stringify(distribution)}`, {
      option: 'distribution',
    });
  }
  validateRegistry(WHERE, options.registry);
  assertDotProductScoring(WHERE, model);
  const { epsilon, target } = options;
  const k = model.factors;
  const rng = createRng(options.seed);
  const copy = cloneFactorModel(model, options.registry);
  const norms: { users?: Float32Array; items?: Float32Array } = {};
  if (perturbsUsers(target)) {
    const delta = randomRows(model.numUsers, k, epsilon, distribution, rng.fork('users'));
    copy.userFactors = addDelta(model.userFactors, delta);
    norms.users = rowNorms(delta, k);
  }
  if (perturbsItems(target)) {
    const delta = randomRows(model.numItems, k, epsilon, distribution, rng.fork('items'));
    copy.itemFactors = addDelta(model.itemFactors, delta);
    norms.items = rowNorms(delta, k);
  }
  return { model: copy, norms, attack: describeRandomPerturbation({ ...options, distribution }) };
}

function randomRows(
  rows: number,
  k: number,
  epsilon: number,
  distribution: 'gaussian' | 'uniform',
  rng: Rng,
): Float64Array {
  const delta = new Float64Array(rows * k);
  for (let r = 0; r < rows; r++) {
    const base = r * k;
    let sum = 0;
    // A zero draw has no direction; redraw (probability 0 for Gaussian, 2^-53k for uniform).
    while (sum === 0) {
      for (let c = 0; c < k; c++) {
        const value = distribution === 'gaussian' ? rng.normal() : 2 * rng.nextFloat() - 1;
        delta[base + c] = value;
        sum += value * value;
      }
    }
    const scale = epsilon / Math.sqrt(sum);
    for (let c = 0; c < k; c++) delta[base + c] *= scale;
  }
  return delta;
}
