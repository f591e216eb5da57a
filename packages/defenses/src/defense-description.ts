/** A JSON-safe parameter value of a defense description. */
export type DefenseParameterValue = number | string | boolean;

/** What every defense says about itself, for reports and `results.json`. */
export interface DefenseDescription {
  /** Stable name (`apr`, `distillation`, `adversarial-distillation`). */
  readonly name: string;
  /** Human-readable name, e.g. "APR (adversarial MF)". */
  readonly displayName: string;
  /** Short citation of the paper the defense follows. */
  readonly paper: string;
  /** Equations / sections implemented. */
  readonly equations: string;
  /** Seed file in ../shared/seeds (e.g. "001"). */
  readonly seed?: string;
  readonly parameters: Readonly<Record<string, DefenseParameterValue>>;
}

export const APR_CITATION =
  'He, He, Du, Chua. Adversarial Personalized Ranking for Recommendation. SIGIR 2018 (seed 001 §3.3)';
export const DISTILLATION_CITATION =
  'Papernot et al. Distillation as a Defense to Adversarial Perturbations, S&P 2016; Hinton et al. 2015; MF distillation of seed 001 §4';
