import { rejectUnknownOptions } from '@trustrec/core-linalg';
import type { CsrMatrix } from '@trustrec/core-linalg';
import type { FactorModel, ModelRegistry } from '@trustrec/models';
import { APR_PAPER, type AttackDescription, type PerturbationTarget } from './attack-description.js';
import { type GradientPerturbationResult, gradientPerturbation } from './gradient-perturbation.js';

export interface FgsmPerturbationOptions {
  /** L2 norm of every perturbed row (ε ≥ 0). */
  readonly epsilon: number;
  readonly target: PerturbationTarget;
  /** Seeds the negative sampling of the BPR triples the gradient is taken over. */
  readonly seed: number;
  /** Negatives per training positive (default 1): the gradient is summed over nnz × this many triples. */
  readonly negativesPerPositive?: number;
  /** Registry used to clone the victim through save()/loadModel() (default: the shared default registry). */
  readonly registry?: ModelRegistry;
}

/** The option names of {@link FgsmPerturbationOptions}. @internal */
export const FGSM_OPTIONS: readonly string[] = ['epsilon', 'target', 'seed', 'negativesPerPositive', 'registry'];

/** The description of an FGSM run (white-box: gradients of the victim's parameters on its training data). */
export function describeFgsmPerturbation(options: Omit<FgsmPerturbationOptions, 'registry'>): AttackDescription {
  return {
    name: 'fgsm',
    displayName: 'FGSM (adversarial perturbation)',
    paper: `Goodfellow, Shlens, Szegedy. Explaining and Harnessing Adversarial Examples. ICLR 2015; ${APR_PAPER}`,
    equations: 'seed 001 eq. 5 with the L2 normalisation of APR eq. 11: Δ_r = ε · g_r / ‖g_r‖, g = ∇_Θ L_BPR (eq. 10)',
    seed: '001',
    knowledge: 'white-box',
    parameters: {
      epsilon: options.epsilon,
      target: options.target,
      seed: options.seed,
      negativesPerPositive: options.negativesPerPositive ?? 1,
    },
  };
}

/**
 * The fast gradient attack on embeddings (seed 001 eq. 5; APR eq. 11, He et al. 2018): the gradient g of the
 * BPR loss (eq. 10, without L2) is summed over every training positive (u, i) of `train` paired with
 * `negativesPerPositive` uniformly sampled negatives j (nnz × negativesPerPositive triples), and each targeted
 * embedding row moves by Δ_r = ε · g_r / ‖g_r‖ — the L2 form APR uses, so every row with a non-zero gradient has
 * ‖Δ_r‖ = ε (rows no triple touches stay unperturbed, norm 0). Deterministic for a seed.
 *
 * Supports fitted FactorModels whose score is p_u·q_i (+ b_i): MF-BPR, MF-ALS, APR-trained MF, distilled MF
 * (checked at run time; NCF and other scores are rejected with E_ARGUMENT). Biases are not perturbed.
 * Returns a perturbed copy (the victim is never mutated), the per-row norms and the BPR loss before/after. An
 * unknown option name (e.g. BIM's `steps`) is E_CONFIG; bad values are E_ARGUMENT.
 */
export function fgsmPerturbation(
  model: FactorModel,
  train: CsrMatrix,
  options: FgsmPerturbationOptions,
): GradientPerturbationResult {
  rejectUnknownOptions('fgsmPerturbation', options, FGSM_OPTIONS);
  const settings = {
    epsilon: options?.epsilon,
    target: options?.target,
    seed: options?.seed,
    steps: 1,
    stepSize: options?.epsilon,
    negativesPerPositive: options?.negativesPerPositive ?? 1,
    registry: options?.registry,
  };
  return gradientPerturbation('fgsmPerturbation', model, train, settings, () => describeFgsmPerturbation(options));
}
