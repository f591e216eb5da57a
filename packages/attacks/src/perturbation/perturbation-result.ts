import type { FactorModel } from '@trustrec/models';
import type { AttackDescription } from './attack-description.js';

/** The per-row L2 norms of the perturbation that was added, for the tables that were perturbed. */
export interface PerturbationNorms {
  /** ‖Δp_u‖ per user (numUsers), when user factors were perturbed. */
  readonly users?: Float32Array;
  /** ‖Δq_i‖ per item (numItems), when item factors were perturbed. */
  readonly items?: Float32Array;
}

/** What every perturbation attack returns. */
export interface PerturbationResult {
  /** A perturbed COPY of the victim; the victim is never mutated. */
  readonly model: FactorModel;
  readonly norms: PerturbationNorms;
  readonly attack: AttackDescription;
}
