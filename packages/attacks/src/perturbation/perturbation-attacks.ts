import type { AttackKnowledge } from './attack-description.js';
import { describeBimPerturbation } from './bim-perturbation.js';
import { describeFgsmPerturbation } from './fgsm-perturbation.js';
import { describeRandomPerturbation } from './random-perturbation.js';

/** Names of the parameter-perturbation attacks. */
export type PerturbationAttackName = 'random' | 'fgsm' | 'bim';

/** One entry of {@link PERTURBATION_ATTACKS}: what a CLI or report needs without running the attack. */
export interface PerturbationAttackEntry {
  readonly name: PerturbationAttackName;
  readonly displayName: string;
  readonly knowledge: AttackKnowledge;
  readonly paper: string;
  /** Needs the training matrix (gradient attacks differentiate the BPR loss over it). */
  readonly needsTrainingData: boolean;
}

function entry(name: PerturbationAttackName, needsTrainingData: boolean): PerturbationAttackEntry {
  const options = { epsilon: 0, target: 'both' as const, seed: 0 };
  const description =
    name === 'random'
      ? describeRandomPerturbation(options)
      : name === 'fgsm'
        ? describeFgsmPerturbation(options)
        : describeBimPerturbation(options);
  return {
    name,
    displayName: description.displayName,
    knowledge: description.knowledge,
    paper: description.paper,
    needsTrainingData,
  };
}

/** The embedding-perturbation attacks of seed 001 (random, FGSM) and their iterative version (BIM), in report order. */
export const PERTURBATION_ATTACKS: readonly PerturbationAttackEntry[] = Object.freeze([
  entry('random', false),
  entry('fgsm', true),
  entry('bim', true),
]);
