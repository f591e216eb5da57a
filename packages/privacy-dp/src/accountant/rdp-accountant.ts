import { argumentError } from '@trustrec/core-linalg';
import { requireCount, requirePositive, requireSamplingRate } from '../internal/validate.js';
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

/**
 * A Rényi-DP accountant (Mironov 2017): keeps the total RDP curve over a grid of orders, adds each event's curve
 * (RDP composes additively at every order, Prop. 1 — adaptively, so phases may depend on earlier outputs), and
 * converts to (ε, δ) on demand. Heterogeneous phases compose freely, e.g. pre-training with (q₁, σ₁, T₁) then
 * fine-tuning with (q₂, σ₂, T₂).
 *
 * Assumptions of every sampled-Gaussian event: Poisson sampling with rate q, per-example contributions clipped
 * to L2 norm C, Gaussian noise with standard deviation σ·C on the sum, add/remove-one adjacency (Abadi et al.
 * 2016; Mironov, Talwar & Zhang 2019). Shuffled fixed-size batches are NOT covered by this analysis.
 */
export class RdpAccountant {
  readonly orders: readonly number[];
  private readonly total: Float64Array;
  private readonly history: RdpEvent[] = [];

  constructor(options: RdpAccountantOptions = {}) {
    const orders = options.orders ?? DEFAULT_RDP_ORDERS;
    if (orders.length === 0) throw argumentError('RdpAccountant', 'orders must not be empty', { option: 'orders' });
    orders.forEach((order, index) => {
      if (!(order > 1) || !Number.isFinite(order)) {
        throw argumentError('RdpAccountant', `orders[${index}] must be a finite number > 1, got ${order}`, {
          option: 'orders',
        });
      }
    });
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
    return this.composeSampledGaussian({ ...event, samplingRate: 1 });
  }

  /** Adds `steps` releases of the Laplace mechanism with scale b = `noiseMultiplier` · L1-sensitivity. */
  composeLaplace(event: { noiseMultiplier: number; steps?: number; label?: string }): this {
    const where = 'RdpAccountant.composeLaplace';
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

  /** The tightest (ε, δ) over the grid; `conversion` defaults to `improved`. */
  getEpsilon(delta: number, options: { conversion?: RdpConversion } = {}): AccountedEpsilon {
    return { ...rdpToEpsilon(this.orders, this.total, delta, options.conversion ?? 'improved'), accountant: 'rdp' };
  }

  /** The smallest δ for a target ε over the grid. */
  getDelta(epsilon: number, options: { conversion?: RdpConversion } = {}): { delta: number; order: number } {
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

/** ε for T steps of the subsampled Gaussian mechanism at δ, through the RDP accountant. */
export function computeSampledGaussianEpsilon(
  options: SampledGaussianRun & { delta: number; orders?: readonly number[]; conversion?: RdpConversion },
): AccountedEpsilon {
  return new RdpAccountant({ orders: options.orders })
    .composeSampledGaussian(options)
    .getEpsilon(options.delta, { conversion: options.conversion });
}
