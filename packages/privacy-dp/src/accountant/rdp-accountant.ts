import { optionNames, rejectUnknownOptions } from '@trustrec/core-linalg';
import {
  requireConversion,
  requireCount,
  requireOrders,
  requirePositive,
  requireSamplingRate,
} from '../internal/validate.js';
import { DEFAULT_RDP_ORDERS } from './default-orders.js';
import { type RdpConversion, type RdpEpsilon, rdpToDelta, rdpToEpsilon } from './rdp-conversion.js';
import { rdpLaplace, rdpSampledGaussian } from './rdp-sampled-gaussian.js';

/** One composed event, as recorded by {@link RdpAccountant} (for reports). */
export type RdpEvent =
  | {
      readonly kind: 'sampled-gaussian';
      readonly samplingRate: number;
      readonly noiseMultiplier: number;
      readonly steps: number;
      readonly label?: string;
    }
  | { readonly kind: 'laplace'; readonly noiseMultiplier: number; readonly steps: number; readonly label?: string };

/** The (ε, δ) an accountant reports, labelled with the accountant that produced it. */
export interface AccountedEpsilon extends RdpEpsilon {
  readonly accountant: 'rdp';
}

export interface RdpAccountantOptions {
  /** Rényi orders to track (each > 1); default {@link DEFAULT_RDP_ORDERS}. */
  orders?: readonly number[];
}

const ACCOUNTANT_OPTIONS = optionNames<RdpAccountantOptions>({ orders: true });
const SAMPLED_GAUSSIAN_EVENT = ['samplingRate', 'noiseMultiplier', 'steps', 'label'] as const;
const GAUSSIAN_EVENT = ['noiseMultiplier', 'steps', 'label'] as const;
const CONVERSION_OPTIONS = ['conversion'] as const;

/**
 * A Rényi-DP accountant (Mironov 2017): keeps the total RDP curve over a grid of orders, adds each event's curve
 * (RDP composes additively at every order, Prop. 1 — adaptively, so phases may depend on earlier outputs), and
 * converts to (ε, δ) on demand. Heterogeneous phases compose freely, e.g. pre-training with (q₁, σ₁, T₁) then
 * fine-tuning with (q₂, σ₂, T₂).
 *
 * Assumptions of every sampled-Gaussian event: Poisson sampling with rate q, per-example contributions clipped
 * to L2 norm C, Gaussian noise with standard deviation σ·C on the sum, add/remove-one adjacency (Abadi et al.
 * 2016; Mironov, Talwar & Zhang 2019). Shuffled fixed-size batches are NOT covered by this analysis.
 *
 * Every options or event object is checked once per call: an unknown name (`step` for `steps`, which would
 * otherwise account for one step) is E_CONFIG, a bad value E_ARGUMENT.
 */
export class RdpAccountant {
  readonly orders: readonly number[];
  private readonly total: Float64Array;
  private readonly history: RdpEvent[] = [];

  constructor(options: RdpAccountantOptions = {}) {
    rejectUnknownOptions('RdpAccountant', options, ACCOUNTANT_OPTIONS);
    const orders = options.orders ?? DEFAULT_RDP_ORDERS;
    requireOrders('RdpAccountant', orders);
    this.orders = Object.freeze([...orders]);
    this.total = new Float64Array(orders.length);
  }

  /** Adds `steps` steps of the Poisson-subsampled Gaussian mechanism (q = 1: the plain Gaussian mechanism). */
  composeSampledGaussian(event: {
    samplingRate: number;
    noiseMultiplier: number;
    steps?: number;
    label?: string;
  }): this {
    const where = 'RdpAccountant.composeSampledGaussian';
    rejectUnknownOptions(where, event, SAMPLED_GAUSSIAN_EVENT);
    const steps = event.steps ?? 1;
    requireSamplingRate(where, 'samplingRate', event.samplingRate);
    requirePositive(where, 'noiseMultiplier', event.noiseMultiplier);
    requireCount(where, 'steps', steps, 0);
    for (let i = 0; i < this.orders.length; i++) {
      this.total[i] += steps * rdpSampledGaussian(event.samplingRate, event.noiseMultiplier, this.orders[i]);
    }
    this.history.push({
      kind: 'sampled-gaussian',
      samplingRate: event.samplingRate,
      noiseMultiplier: event.noiseMultiplier,
      steps,
      label: event.label,
    });
    return this;
  }

  /** Adds `steps` releases of the Gaussian mechanism with noise multiplier σ = std / L2-sensitivity (q = 1). */
  composeGaussian(event: { noiseMultiplier: number; steps?: number; label?: string }): this {
    rejectUnknownOptions('RdpAccountant.composeGaussian', event, GAUSSIAN_EVENT);
    return this.composeSampledGaussian({ ...event, samplingRate: 1 });
  }

  /** Adds `steps` releases of the Laplace mechanism with scale b = `noiseMultiplier` · L1-sensitivity. */
  composeLaplace(event: { noiseMultiplier: number; steps?: number; label?: string }): this {
    const where = 'RdpAccountant.composeLaplace';
    rejectUnknownOptions(where, event, GAUSSIAN_EVENT);
    const steps = event.steps ?? 1;
    requirePositive(where, 'noiseMultiplier', event.noiseMultiplier);
    requireCount(where, 'steps', steps, 0);
    for (let i = 0; i < this.orders.length; i++)
      this.total[i] += steps * rdpLaplace(event.noiseMultiplier, this.orders[i]);
    this.history.push({ kind: 'laplace', noiseMultiplier: event.noiseMultiplier, steps, label: event.label });
    return this;
  }

  /** The events composed so far, in order. */
  get events(): readonly RdpEvent[] {
    return this.history;
  }

  /** A copy of the total RDP curve (one value per order). */
  rdp(): Float64Array {
    return this.total.slice();
  }

  /** The tightest (ε, δ) over the grid; `conversion` defaults to `improved` (another value is E_ARGUMENT). */
  getEpsilon(delta: number, options: { conversion?: RdpConversion } = {}): AccountedEpsilon {
    rejectUnknownOptions('RdpAccountant.getEpsilon', options, CONVERSION_OPTIONS);
    requireConversion('RdpAccountant.getEpsilon', options.conversion ?? 'improved');
    return { ...rdpToEpsilon(this.orders, this.total, delta, options.conversion ?? 'improved'), accountant: 'rdp' };
  }

  /** The smallest δ for a target ε over the grid; `conversion` as in {@link RdpAccountant.getEpsilon}. */
  getDelta(epsilon: number, options: { conversion?: RdpConversion } = {}): { delta: number; order: number } {
    rejectUnknownOptions('RdpAccountant.getDelta', options, CONVERSION_OPTIONS);
    requireConversion('RdpAccountant.getDelta', options.conversion ?? 'improved');
    return rdpToDelta(this.orders, this.total, epsilon, options.conversion ?? 'improved');
  }
}

/** Options of a DP-SGD style run: T steps of the Poisson-subsampled Gaussian mechanism. */
export interface SampledGaussianRun {
  /** Poisson sampling rate q ∈ (0, 1] (expected batch size / dataset size). */
  samplingRate: number;
  /** Noise multiplier σ > 0 (noise standard deviation / L2 clipping norm). */
  noiseMultiplier: number;
  /** Number of steps T ≥ 0. */
  steps: number;
}

const RUN_OPTIONS = optionNames<
  SampledGaussianRun & { delta: number; orders?: readonly number[]; conversion?: RdpConversion }
>({ samplingRate: true, noiseMultiplier: true, steps: true, delta: true, orders: true, conversion: true });

/**
 * ε for T steps of the subsampled Gaussian mechanism at δ, through the RDP accountant. `steps` is required (an
 * integer ≥ 0; unlike an accountant event it has no default of 1); an unknown option name is E_CONFIG.
 */
export function computeSampledGaussianEpsilon(
  options: SampledGaussianRun & { delta: number; orders?: readonly number[]; conversion?: RdpConversion },
): AccountedEpsilon {
  const where = 'computeSampledGaussianEpsilon';
  rejectUnknownOptions(where, options, RUN_OPTIONS);
  requireCount(where, 'steps', options.steps, 0);
  requireConversion(where, options.conversion ?? 'improved');
  const { samplingRate, noiseMultiplier, steps } = options;
  return new RdpAccountant({ orders: options.orders })
    .composeSampledGaussian({ samplingRate, noiseMultiplier, steps })
    .getEpsilon(options.delta, { conversion: options.conversion });
}
