import { TrustRecError, optionNames, rejectUnknownOptions } from '@trustrec/core-linalg';
import {
  requireConversion,
  requireCount,
  requireOpenUnit,
  requireOrders,
  requirePositive,
  requireSamplingRate,
} from '../internal/validate.js';
import { bisect } from '../math/bisect.js';
import { DEFAULT_RDP_ORDERS } from './default-orders.js';
import { type RdpConversion, epsilonAtOrderUnchecked, rdpToEpsilon } from './rdp-conversion.js';
import { rdpSampledGaussian } from './rdp-sampled-gaussian.js';

const MAX_NOISE_MULTIPLIER = 1e6;

function perStepCurve(samplingRate: number, noiseMultiplier: number, orders: readonly number[]): Float64Array {
  const curve = new Float64Array(orders.length);
  for (let i = 0; i < orders.length; i++) curve[i] = rdpSampledGaussian(samplingRate, noiseMultiplier, orders[i]);
  return curve;
}

function epsilonFor(
  perStep: Float64Array,
  steps: number,
  orders: readonly number[],
  delta: number,
  conversion: RdpConversion,
): number {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < orders.length; i++) {
    const epsilon = epsilonAtOrderUnchecked(steps * perStep[i], orders[i], delta, conversion);
    if (epsilon < best) best = epsilon;
  }
  return Math.max(0, best);
}

export interface NoiseCalibration {
  /** The smallest noise multiplier found (to `relativeTolerance`) whose ε does not exceed the target. */
  readonly noiseMultiplier: number;
  /** The ε the returned noise multiplier actually gives (≤ target). */
  readonly epsilon: number;
  readonly order: number;
  readonly accountant: 'rdp';
  readonly conversion: RdpConversion;
}

const CALIBRATION_OPTIONS = optionNames<Parameters<typeof calibrateNoiseMultiplier>[0]>({
  targetEpsilon: true,
  delta: true,
  samplingRate: true,
  steps: true,
  orders: true,
  conversion: true,
  relativeTolerance: true,
});

const MAX_STEPS_OPTIONS = optionNames<Parameters<typeof maxStepsForBudget>[0]>({
  targetEpsilon: true,
  delta: true,
  samplingRate: true,
  noiseMultiplier: true,
  orders: true,
  conversion: true,
});

/**
 * The noise multiplier σ needed for T steps of the Poisson-subsampled Gaussian mechanism at rate q to satisfy
 * (targetEpsilon, δ)-DP under the RDP accountant. ε(σ) is decreasing in σ, so this brackets σ (doubling) and
 * bisects (geometrically) to a relative width of `relativeTolerance` (default 1e-6), returning the upper end —
 * the answer never exceeds the budget. Throws E_PRIVACY_BUDGET when even σ = 10⁶ does not reach the target.
 * An unknown option name is E_CONFIG; bad values (orders not all finite and > 1, a conversion other than
 * 'improved' / 'classic', a relativeTolerance outside (0, 1)) are E_ARGUMENT.
 */
export function calibrateNoiseMultiplier(options: {
  targetEpsilon: number;
  delta: number;
  samplingRate: number;
  steps: number;
  orders?: readonly number[];
  conversion?: RdpConversion;
  relativeTolerance?: number;
}): NoiseCalibration {
  const where = 'calibrateNoiseMultiplier';
  rejectUnknownOptions(where, options, CALIBRATION_OPTIONS);
  requirePositive(where, 'targetEpsilon', options.targetEpsilon);
  requireOpenUnit(where, 'delta', options.delta);
  requireSamplingRate(where, 'samplingRate', options.samplingRate);
  requireCount(where, 'steps', options.steps, 1);
  const orders = options.orders ?? DEFAULT_RDP_ORDERS;
  requireOrders(where, orders);
  const conversion = options.conversion ?? 'improved';
  requireConversion(where, conversion);
  if (options.relativeTolerance !== undefined) requireOpenUnit(where, 'relativeTolerance', options.relativeTolerance);
  const epsilonOf = (sigma: number) =>
    epsilonFor(perStepCurve(options.samplingRate, sigma, orders), options.steps, orders, options.delta, conversion);
  const meets = (sigma: number) => epsilonOf(sigma) <= options.targetEpsilon;

  let upper = 1;
  while (!meets(upper)) {
    upper *= 2;
    if (upper > MAX_NOISE_MULTIPLIER) {
      throw new TrustRecError({
        code: 'E_PRIVACY_BUDGET',
        message: `${where}: no noise multiplier up to ${MAX_NOISE_MULTIPLIER} reaches ε = ${options.targetEpsilon} at δ = ${options.delta} with q = ${options.samplingRate} and ${options.steps} steps; raise the budget or lower q or the number of steps`,
        details: { ...options },
      });
    }
  }
  let lower = upper / 2;
  while (meets(lower)) {
    upper = lower;
    lower /= 2;
    if (lower < 1e-6) break;
  }
  const { upper: sigma } = bisect(meets, lower, upper, {
    relativeTolerance: options.relativeTolerance ?? 1e-6,
    geometric: true,
  });
  const result = rdpToEpsilon(
    orders,
    perStepCurve(options.samplingRate, sigma, orders).map((value) => value * options.steps),
    options.delta,
    conversion,
  );
  return { noiseMultiplier: sigma, epsilon: result.epsilon, order: result.order, accountant: 'rdp', conversion };
}

/**
 * The largest number of steps T of the subsampled Gaussian mechanism (rate q, noise multiplier σ) whose ε under
 * the RDP accountant stays within (targetEpsilon, δ). ε is increasing in T, so this is an exponential then
 * binary search over integers; the per-step RDP curve is computed once. Returns 0 when even one step exceeds the
 * budget. An unknown option name is E_CONFIG; bad values (orders not all finite and > 1, a conversion other than
 * 'improved' / 'classic') are E_ARGUMENT.
 */
export function maxStepsForBudget(options: {
  targetEpsilon: number;
  delta: number;
  samplingRate: number;
  noiseMultiplier: number;
  orders?: readonly number[];
  conversion?: RdpConversion;
}): { steps: number; epsilon: number; accountant: 'rdp'; conversion: RdpConversion } {
  const where = 'maxStepsForBudget';
  rejectUnknownOptions(where, options, MAX_STEPS_OPTIONS);
  requirePositive(where, 'targetEpsilon', options.targetEpsilon);
  requireOpenUnit(where, 'delta', options.delta);
  requireSamplingRate(where, 'samplingRate', options.samplingRate);
  requirePositive(where, 'noiseMultiplier', options.noiseMultiplier);
  const orders = options.orders ?? DEFAULT_RDP_ORDERS;
  requireOrders(where, orders);
  const conversion = options.conversion ?? 'improved';
  requireConversion(where, conversion);
  const perStep = perStepCurve(options.samplingRate, options.noiseMultiplier, orders);
  const epsilonOf = (steps: number) => epsilonFor(perStep, steps, orders, options.delta, conversion);
  if (epsilonOf(1) > options.targetEpsilon) return { steps: 0, epsilon: 0, accountant: 'rdp', conversion };
  let good = 1;
  let bad = 2;
  while (epsilonOf(bad) <= options.targetEpsilon) {
    good = bad;
    bad *= 2;
    if (bad > Number.MAX_SAFE_INTEGER) return { steps: good, epsilon: epsilonOf(good), accountant: 'rdp', conversion };
  }
  while (bad - good > 1) {
    const middle = Math.floor((good + bad) / 2);
    if (epsilonOf(middle) <= options.targetEpsilon) good = middle;
    else bad = middle;
  }
  return { steps: good, epsilon: epsilonOf(good), accountant: 'rdp', conversion };
}
