import { rejectUnknownOptions } from '@trustrec/core-linalg';
import type { CsrMatrix } from '@trustrec/core-linalg';
import type { FactorModel, ModelRegistry } from '@trustrec/models';
import { BIM_PAPER, type AttackDescription, type PerturbationTarget } from './attack-description.js';
import { type GradientPerturbationResult, gradientPerturbation } from './gradient-perturbation.js';

/** Default number of BIM iterations. */
export const DEFAULT_BIM_STEPS = 10;
/** Default BIM step size as a fraction of ε (ε/4: the ball's boundary is reachable in 4 aligned steps). */
export const DEFAULT_BIM_STEP_FRACTION = 0.25;

export interface BimPerturbationOptions {
  /** Radius of the per-row L2 ball (ε ≥ 0). */
  readonly epsilon: number;
  /** Iterations (default {@link DEFAULT_BIM_STEPS}). */
  readonly steps?: number;
  /** Step size α of each iteration (default ε · {@link DEFAULT_BIM_STEP_FRACTION}). */
  readonly stepSize?: number;
  readonly target: PerturbationTarget;
  readonly seed: number;
  /** Negatives per training positive (default 1). */
  readonly negativesPerPositive?: number;
  readonly registry?: ModelRegistry;
}

/** The option names of {@link BimPerturbationOptions}. @internal */
export const BIM_OPTIONS: readonly string[] = [
  'epsilon',
  'steps',
  'stepSize',
  'target',
  'seed',
  'negativesPerPositive',
  'registry',
];

function resolved(options: BimPerturbationOptions): { steps: number; stepSize: number } {
  return {
    steps: options?.steps ?? DEFAULT_BIM_STEPS,
    stepSize: options?.stepSize ?? options?.epsilon * DEFAULT_BIM_STEP_FRACTION,
  };
}

/** The description of a BIM run (white-box). */
export function describeBimPerturbation(options: Omit<BimPerturbationOptions, 'registry'>): AttackDescription {
  const { steps, stepSize } = resolved(options);
  return {
    name: 'bim',
    displayName: 'BIM (iterative adversarial perturbation)',
    paper: BIM_PAPER,
    equations: 'seed 001 §2.2.3 (BIM: iterated eq. 5) with APR eq. 11 L2 steps, projected on ‖Δ_r‖ ≤ ε (Elliot MSAP)',
    seed: '001',
    knowledge: 'white-box',
    parameters: {
      epsilon: options.epsilon,
      steps,
      stepSize,
      target: options.target,
      seed: options.seed,
      negativesPerPositive: options.negativesPerPositive ?? 1,
    },
  };
}

/**
 * The basic iterative method on embeddings (Kurakin et al. 2016, iterative FGSM; Elliot's MSAP): starting from
 * Δ = 0, `steps` times take the FGSM step of size α on the BPR loss at Θ + Δ (same triples every step) and
 * project each row back onto ‖Δ_r‖ ≤ ε. With steps = 1 and stepSize = ε it is exactly
 * {@link fgsmPerturbation}. Same support, copy semantics and determinism as FGSM. An unknown option name is
 * E_CONFIG; bad values are E_ARGUMENT.
 */
export function bimPerturbation(
  model: FactorModel,
  train: CsrMatrix,
  options: BimPerturbationOptions,
): GradientPerturbationResult {
  rejectUnknownOptions('bimPerturbation', options, BIM_OPTIONS);
  const { steps, stepSize } = resolved(options);
  const settings = {
    epsilon: options?.epsilon,
    target: options?.target,
    seed: options?.seed,
    steps,
    stepSize,
    negativesPerPositive: options?.negativesPerPositive ?? 1,
    registry: options?.registry,
  };
  return gradientPerturbation('bimPerturbation', model, train, settings, () => describeBimPerturbation(options));
}
