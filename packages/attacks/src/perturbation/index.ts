export { APR_PAPER, BIM_PAPER } from './attack-description.js';
export type {
  AttackDescription,
  AttackKnowledge,
  AttackParameterValue,
  PerturbationTarget,
} from './attack-description.js';
export type { PerturbationNorms, PerturbationResult } from './perturbation-result.js';
export { bprLossGradient, sampleBprTriples } from './bpr-gradient.js';
export type { BprGradient, BprTriples, MfParameters } from './bpr-gradient.js';
export { FactorSnapshotModel, assertDotProductScoring, cloneFactorModel } from './victim-model.js';
export { describeRandomPerturbation, randomPerturbation } from './random-perturbation.js';
export type { RandomPerturbationOptions } from './random-perturbation.js';
export type { AttackLoss, GradientPerturbationResult } from './gradient-perturbation.js';
export { describeFgsmPerturbation, fgsmPerturbation } from './fgsm-perturbation.js';
export type { FgsmPerturbationOptions } from './fgsm-perturbation.js';
export {
  DEFAULT_BIM_STEPS,
  DEFAULT_BIM_STEP_FRACTION,
  bimPerturbation,
  describeBimPerturbation,
} from './bim-perturbation.js';
export type { BimPerturbationOptions } from './bim-perturbation.js';
export { PERTURBATION_ATTACKS } from './perturbation-attacks.js';
export type { PerturbationAttackEntry, PerturbationAttackName } from './perturbation-attacks.js';
export { evaluateUnderAttack, relativeDrop } from './evaluate-under-attack.js';
export type {
  AttackProgress,
  AttackSpec,
  AttackedEvaluation,
  EvaluateUnderAttackOptions,
  UnderAttackResult,
} from './evaluate-under-attack.js';
