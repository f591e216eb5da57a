import { argumentError, optionNames, rejectUnknownOptions } from '@trustrec/core-linalg';
import { requireCount, requireOpenUnit, requirePositive } from '../internal/validate.js';

/** An (ε, δ) guarantee; δ = 0 is pure ε-DP. */
export interface PrivacyGuarantee {
  readonly epsilon: number;
  readonly delta: number;
}

/**
 * Basic (sequential) composition: running mechanisms with guarantees (εᵢ, δᵢ) — adaptively, in any order — is
 * (Σ εᵢ, Σ δᵢ)-DP (Dwork, Kenthapadi, McSherry, Mironov & Naor 2006; Dwork & Roth 2014, Thm. 3.16).
 */
export function basicComposition(
  guarantees: readonly PrivacyGuarantee[],
): PrivacyGuarantee & { accountant: 'basic-composition' } {
  let epsilon = 0;
  let delta = 0;
  guarantees.forEach((guarantee, index) => {
    if (
      !(guarantee.epsilon >= 0) ||
      !Number.isFinite(guarantee.epsilon) ||
      !(guarantee.delta >= 0 && guarantee.delta <= 1)
    ) {
      throw argumentError(
        'basicComposition',
        `guarantees[${index}] must have a finite ε ≥ 0 and δ in [0, 1], got (${guarantee.epsilon}, ${guarantee.delta})`,
        {
          option: 'guarantees',
        },
      );
    }
    epsilon += guarantee.epsilon;
    delta += guarantee.delta;
  });
  return { epsilon, delta: Math.min(1, delta), accountant: 'basic-composition' };
}

const ADVANCED_OPTIONS = optionNames<Parameters<typeof advancedComposition>[0]>({
  epsilon: true,
  delta: true,
  count: true,
  deltaPrime: true,
});

/**
 * Advanced composition (Dwork, Rothblum & Vadhan 2010; Dwork & Roth 2014, Thm. 3.20): k adaptive runs of an
 * (ε, δ)-DP mechanism are (ε', kδ + δ')-DP for every δ' > 0, with
 *
 *   ε' = √(2k ln(1/δ')) · ε + k ε (e^ε − 1).
 *
 * Better than basic composition (kε) only for many runs of small ε; `epsilon` reports the smaller of the two
 * (both are valid) and `bound` says which. An unknown option name is E_CONFIG (a misspelt `delta` would
 * otherwise count as δ = 0); bad values are E_ARGUMENT.
 */
export function advancedComposition(options: {
  epsilon: number;
  delta?: number;
  count: number;
  deltaPrime: number;
}): PrivacyGuarantee & { accountant: 'advanced-composition'; bound: 'advanced' | 'basic'; advancedEpsilon: number } {
  const where = 'advancedComposition';
  rejectUnknownOptions(where, options, ADVANCED_OPTIONS);
  requirePositive(where, 'epsilon', options.epsilon);
  const delta = options.delta ?? 0;
  if (!(delta >= 0 && delta < 1)) {
    throw argumentError(where, `delta must be in [0, 1), got ${delta}`, { option: 'delta', value: delta });
  }
  requireCount(where, 'count', options.count, 1);
  requireOpenUnit(where, 'deltaPrime', options.deltaPrime);
  const { epsilon, count, deltaPrime } = options;
  const advancedEpsilon =
    Math.sqrt(2 * count * Math.log(1 / deltaPrime)) * epsilon + count * epsilon * Math.expm1(epsilon);
  const basicEpsilon = count * epsilon;
  const useAdvanced = advancedEpsilon < basicEpsilon;
  return {
    epsilon: useAdvanced ? advancedEpsilon : basicEpsilon,
    delta: Math.min(1, count * delta + (useAdvanced ? deltaPrime : 0)),
    accountant: 'advanced-composition',
    bound: useAdvanced ? 'advanced' : 'basic',
    advancedEpsilon,
  };
}
