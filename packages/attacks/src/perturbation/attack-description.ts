/** What the attacker knows about the victim (seed 001 §2.2.3). */
export type AttackKnowledge = 'white-box' | 'grey-box' | 'black-box';

/** Which embedding tables a parameter-perturbation attack perturbs. */
export type PerturbationTarget = 'users' | 'items' | 'both';

/** A JSON-safe parameter value of an attack description. */
export type AttackParameterValue = number | string | boolean;

/**
 * What every attack says about itself, for reports and `results.json`: a stable registry name, a display name,
 * the paper (and equations) it implements, the attacker's knowledge level and the exact parameters of the run.
 */
export interface AttackDescription {
  /** Stable name (`random`, `fgsm`, `bim`). */
  readonly name: string;
  /** Human-readable name, e.g. "FGSM (adversarial perturbation)". */
  readonly displayName: string;
  /** Short citation of the paper the attack follows. */
  readonly paper: string;
  /** Equations implemented, e.g. "seed 001 eq. 5; APR eq. 11". */
  readonly equations: string;
  /** Seed file in ../shared/seeds, when there is one (e.g. "001"). */
  readonly seed?: string;
  readonly knowledge: AttackKnowledge;
  readonly parameters: Readonly<Record<string, AttackParameterValue>>;
}

/** Seed 001 is the course report on APR (He et al. 2018); the attacks below follow both. */
export const APR_PAPER =
  'He, He, Du, Chua. Adversarial Personalized Ranking for Recommendation. SIGIR 2018 (as reported in seed 001)';
export const BIM_PAPER =
  'Kurakin, Goodfellow, Bengio. Adversarial Machine Learning at Scale. arXiv:1611.01236 (BIM); Elliot MSAP';
