import {
  type CsrMatrix,
  TrustRecError,
  argumentError,
  createRng,
  shapeError,
  rejectUnknownOptions,
} from '@trustrec/core-linalg';
import type { EvaluationResult, RankingMetricName } from '@trustrec/metrics';
import type { FactorModel, ModelRegistry, Recommender } from '@trustrec/models';
import type { AttackDescription, PerturbationTarget } from './attack-description.js';
import { DEFAULT_BIM_STEPS, bimPerturbation } from './bim-perturbation.js';
import { fgsmPerturbation } from './fgsm-perturbation.js';
import { validateGradientSettings, validateTrainingMatrix } from './gradient-perturbation.js';
import type { PerturbationAttackName } from './perturbation-attacks.js';
import { TARGETS } from './perturbation-kernels.js';
import type { PerturbationResult } from './perturbation-result.js';
import { randomPerturbation } from './random-perturbation.js';
import { assertDotProductScoring, validateRegistry } from './victim-model.js';

/** One attack of the grid; ε comes from `epsilons`. `target` defaults to `both` (APR perturbs P and Q). */
export type AttackSpec =
  | { readonly name: 'random'; readonly target?: PerturbationTarget; readonly distribution?: 'gaussian' | 'uniform' }
  | { readonly name: 'fgsm'; readonly target?: PerturbationTarget; readonly negativesPerPositive?: number }
  | {
      readonly name: 'bim';
      readonly target?: PerturbationTarget;
      readonly steps?: number;
      /** Absolute step size; default `stepSizeFraction` · ε. */
      readonly stepSize?: number;
      /** Step size as a fraction of each ε (default 0.25). */
      readonly stepSizeFraction?: number;
      readonly negativesPerPositive?: number;
    };

export interface AttackProgress {
  /** Cells done (clean evaluation included) and in total (1 + attacks × epsilons). */
  readonly done: number;
  readonly total: number;
  readonly attack: PerturbationAttackName | 'clean';
  readonly epsilon: number;
}

export interface EvaluateUnderAttackOptions {
  readonly model: FactorModel;
  /** The victim's training interactions (gradient attacks differentiate the BPR loss over them). */
  readonly train: CsrMatrix;
  readonly attacks: readonly AttackSpec[];
  /** Perturbation norms to evaluate, e.g. [0.1, 0.25, 0.5, 1, 2]. */
  readonly epsilons: readonly number[];
  /** Evaluates a model (clean or perturbed copy), e.g. with `evaluateFullRanking`. */
  readonly evaluate: (model: Recommender) => Promise<EvaluationResult> | EvaluationResult;
  /** Attack `a` runs with the seed of `createRng(seed).fork('attack:a:name')`, the same at every ε. */
  readonly seed: number;
  readonly onProgress?: (progress: AttackProgress) => void;
  readonly registry?: ModelRegistry;
}

export interface AttackedEvaluation {
  readonly attack: AttackDescription;
  readonly epsilon: number;
  readonly result: EvaluationResult;
  /**
   * (clean − attacked) / clean per metric and cut-off: 0.2 means the attack removed 20 % of the metric
   * (negative when the metric rose; NaN when the clean value is 0).
   */
  readonly relativeDrop: Record<RankingMetricName, Record<number, number>>;
  /** The same for the mean AUC. */
  readonly relativeAucDrop: number;
  /** Mean per-row perturbation norm actually applied (users, items), for reports. */
  readonly meanNorm: { readonly users?: number; readonly items?: number };
}

export interface UnderAttackResult {
  readonly clean: EvaluationResult;
  readonly attacked: AttackedEvaluation[];
}

const WHERE = 'evaluateUnderAttack';
const ATTACK_NAMES: readonly PerturbationAttackName[] = ['random', 'fgsm', 'bim'];
const OPTION_NAMES: readonly string[] = [
  'model',
  'train',
  'attacks',
  'epsilons',
  'evaluate',
  'seed',
  'onProgress',
  'registry',
];
/** The fields of each {@link AttackSpec}, by attack name. */
const SPEC_FIELDS: Readonly<Record<PerturbationAttackName, readonly string[]>> = {
  random: ['name', 'target', 'distribution'],
  fgsm: ['name', 'target', 'negativesPerPositive'],
  bim: ['name', 'target', 'steps', 'stepSize', 'stepSizeFraction', 'negativesPerPositive'],
};

/**
 * Checks one attack of the grid before anything runs (E_CONFIG for a field the attack does not have or for both
 * `stepSize` and `stepSizeFraction`, E_ARGUMENT for a bad value, each naming `attacks[index].field`), so a bad
 * last attack does not fail after the clean evaluation and the earlier attacks have run.
 */
function validateAttackSpec(spec: AttackSpec, index: number): void {
  const prefix = `attacks[${index}].`;
  rejectUnknownOptions(WHERE, spec, SPEC_FIELDS[spec.name], `attacks[${index}]`);
  if (spec.target !== undefined && !TARGETS.includes(spec.target)) {
    throw argumentError(
      WHERE,
      `${prefix}target must be one of ${TARGETS.join(', ')}, got ${JSON.stringify(spec.target)}`,
      { option: `${prefix}target`, value: spec.target },
    );
  }
  if (spec.name === 'random') {
    if (spec.distribution !== undefined && spec.distribution !== 'gaussian' && spec.distribution !== 'uniform') {
      throw argumentError(
        WHERE,
        `${prefix}distribution must be 'gaussian' or 'uniform', got ${JSON.stringify(spec.distribution)}`,
        { option: `${prefix}distribution` },
      );
    }
    return;
  }
  const steps = spec.name === 'bim' ? (spec.steps ?? DEFAULT_BIM_STEPS) : 1;
  const stepSize = spec.name === 'bim' ? (spec.stepSize ?? 0) : 0;
  validateGradientSettings(WHERE, { steps, stepSize, negativesPerPositive: spec.negativesPerPositive ?? 1 }, prefix);
  if (spec.name === 'bim' && spec.stepSizeFraction !== undefined) {
    if (spec.stepSize !== undefined) {
      throw new TrustRecError({
        code: 'E_CONFIG',
        message: `${WHERE}: ${prefix}stepSize and ${prefix}stepSizeFraction are both set; give one (stepSize is absolute, stepSizeFraction a fraction of each ε)`,
        details: { option: `${prefix}stepSizeFraction` },
      });
    }
    const fraction = spec.stepSizeFraction;
    if (typeof fraction !== 'number' || !Number.isFinite(fraction) || fraction < 0) {
      throw argumentError(WHERE, `${prefix}stepSizeFraction must be a finite number ≥ 0, got ${fraction}`, {
        option: `${prefix}stepSizeFraction`,
        value: fraction,
      });
    }
  }
}

/**
 * "Metrics under attack": evaluates the model clean, then under each attack at each ε (a perturbed copy per
 * cell; the victim is never mutated), and reports the relative drop of every metric (seed 001 §5.3, Fig. 7;
 * APR Fig. 2). Cells run in order attacks × epsilons; the same attack seed is used at every ε, so a random
 * attack scales one fixed direction and FGSM/BIM differentiate over the same triples.
 *
 * Every option and every attack of the grid is checked before the clean evaluation: an unknown option or attack
 * field (e.g. `steps` on an FGSM attack), or both `stepSize` and `stepSizeFraction` on a BIM attack, is E_CONFIG;
 * a bad value is E_ARGUMENT naming `attacks[i].field`; a `train` of another shape than the model is E_SHAPE.
 */
export async function evaluateUnderAttack(options: EvaluateUnderAttackOptions): Promise<UnderAttackResult> {
  rejectUnknownOptions(WHERE, options, OPTION_NAMES);
  const { model, train, attacks, epsilons, evaluate, seed, onProgress, registry } = options;
  if (typeof evaluate !== 'function')
    throw argumentError(WHERE, 'evaluate must be a function (model) => EvaluationResult');
  if (!Array.isArray(attacks) || attacks.length === 0)
    throw argumentError(WHERE, 'attacks must be a non-empty array of { name: random | fgsm | bim, ... }');
  attacks.forEach((attack, index) => {
    if (!ATTACK_NAMES.includes(attack?.name)) {
      throw argumentError(
        WHERE,
        `attacks[${index}].name must be one of ${ATTACK_NAMES.join(', ')}, got ${JSON.stringify(attack?.name)}`,
        { option: `attacks[${index}].name` },
      );
    }
  });
  if (!Array.isArray(epsilons) || epsilons.length === 0)
    throw argumentError(WHERE, 'epsilons must be a non-empty array of numbers ≥ 0');
  epsilons.forEach((epsilon, index) => {
    if (typeof epsilon !== 'number' || !Number.isFinite(epsilon) || epsilon < 0) {
      throw argumentError(WHERE, `epsilons[${index}] must be a finite number ≥ 0, got ${epsilon}`, {
        option: `epsilons[${index}]`,
      });
    }
  });
  if (!Number.isSafeInteger(seed) || seed < 0)
    throw argumentError(WHERE, `seed must be a non-negative safe integer, got ${seed}`, { option: 'seed' });
  if (onProgress !== undefined && typeof onProgress !== 'function') {
    throw argumentError(WHERE, 'onProgress must be a function (progress) => void when given', {
      option: 'onProgress',
    });
  }
  validateRegistry(WHERE, registry);
  assertDotProductScoring(WHERE, model);
  attacks.forEach(validateAttackSpec);
  if (attacks.some((attack) => attack.name !== 'random')) validateTrainingMatrix(WHERE, model, train);

  const total = 1 + attacks.length * epsilons.length;
  const clean = await evaluate(model);
  let done = 1;
  onProgress?.({ done, total, attack: 'clean', epsilon: 0 });
  const root = createRng(seed);
  const attacked: AttackedEvaluation[] = [];
  for (let index = 0; index < attacks.length; index++) {
    const spec = attacks[index];
    const attackSeed = root.fork(`attack:${index}:${spec.name}`).seed;
    for (const epsilon of epsilons) {
      const perturbation = runAttack(spec, model, train, epsilon, attackSeed, registry);
      const result = await evaluate(perturbation.model);
      attacked.push({
        attack: perturbation.attack,
        epsilon,
        result,
        relativeDrop: relativeDrop(clean, result),
        relativeAucDrop: drop(clean.auc, result.auc),
        meanNorm: { users: mean(perturbation.norms.users), items: mean(perturbation.norms.items) },
      });
      done++;
      onProgress?.({ done, total, attack: spec.name, epsilon });
    }
  }
  return { clean, attacked };
}

function runAttack(
  spec: AttackSpec,
  model: FactorModel,
  train: CsrMatrix,
  epsilon: number,
  seed: number,
  registry: ModelRegistry | undefined,
): PerturbationResult {
  const target = spec.target ?? 'both';
  switch (spec.name) {
    case 'random':
      return randomPerturbation(model, { epsilon, target, seed, distribution: spec.distribution, registry });
    case 'fgsm':
      return fgsmPerturbation(model, train, {
        epsilon,
        target,
        seed,
        negativesPerPositive: spec.negativesPerPositive,
        registry,
      });
    case 'bim': {
      const stepSize =
        spec.stepSize ?? (spec.stepSizeFraction === undefined ? undefined : spec.stepSizeFraction * epsilon);
      return bimPerturbation(model, train, {
        epsilon,
        target,
        seed,
        steps: spec.steps,
        stepSize,
        negativesPerPositive: spec.negativesPerPositive,
        registry,
      });
    }
  }
}

function drop(clean: number, attacked: number): number {
  return clean === 0 ? Number.NaN : (clean - attacked) / clean;
}

/**
 * (clean − attacked) / clean for every metric and cut-off of the clean result. `attacked` must report every metric
 * and cut-off `clean` does (E_SHAPE otherwise: results of different evaluations, e.g. other `ks`, do not compare).
 */
export function relativeDrop(
  clean: EvaluationResult,
  attacked: EvaluationResult,
): Record<RankingMetricName, Record<number, number>> {
  const out = {} as Record<RankingMetricName, Record<number, number>>;
  for (const metric of Object.keys(clean.mean) as RankingMetricName[]) {
    const values: Record<number, number> = {};
    for (const k of clean.ks) {
      const value = attacked.mean[metric]?.[k];
      if (value === undefined) {
        throw shapeError(
          'relativeDrop',
          `the attacked result has no ${metric}@${k} but the clean result does (clean ks ${clean.ks.join(', ')}, attacked ks ${attacked.ks?.join(', ')}); evaluate both with the same metrics and ks`,
        );
      }
      values[k] = drop(clean.mean[metric][k], value ?? Number.NaN);
    }
    out[metric] = values;
  }
  return out;
}

function mean(values: Float32Array | undefined): number | undefined {
  if (values === undefined || values.length === 0) return undefined;
  let sum = 0;
  for (let t = 0; t < values.length; t++) sum += values[t];
  return sum / values.length;
}
