import { TrustRecError, argumentError } from '@trustrec/core-linalg';
import { requireConversion, requireOpenUnit } from '../internal/validate.js';

/**
 * Which RDP → (ε, δ) conversion to use:
 * - `improved`: ε = min_α [ RDP(α) + log((α−1)/α) − (log δ + log α)/(α−1) ] — Balle, Barthe, Gaboardi, Hsu &
 *   Sato (2020), "Hypothesis testing interpretations and Rényi DP", Thm. 21; Canonne, Kamath & Steinke (2020),
 *   "The discrete Gaussian for DP", Prop. 12 / Eq. 20. What Opacus and Google's dp_accounting use.
 * - `classic`: ε = min_α [ RDP(α) + log(1/δ)/(α−1) ] — Mironov (2017), Prop. 3. What TF Privacy's
 *   `get_privacy_spent` used (and the ε reported in the TF Privacy MNIST tutorial).
 */
export type RdpConversion = 'improved' | 'classic';

export interface RdpEpsilon {
  /** The smallest ε over the grid (never negative). +Infinity when every order has infinite RDP. */
  readonly epsilon: number;
  /** The order α at which the minimum is reached. */
  readonly order: number;
  readonly delta: number;
  readonly conversion: RdpConversion;
  /** `lowest` / `highest` when the optimum sits at the edge of the grid (widen the grid for a tighter ε). */
  readonly atGridEdge: 'lowest' | 'highest' | null;
  /** Human-readable warnings (currently: the grid-edge warning). */
  readonly warnings: readonly string[];
}

/**
 * ε at one order for the given conversion; +Infinity when RDP(α) is infinite. An order that is not a finite
 * number > 1, a δ outside (0, 1) or a conversion other than 'improved' / 'classic' is E_ARGUMENT, a NaN `rdp`
 * E_NUMERIC.
 */
export function epsilonAtOrder(rdp: number, order: number, delta: number, conversion: RdpConversion): number {
  const where = 'epsilonAtOrder';
  if (typeof rdp !== 'number' || Number.isNaN(rdp)) {
    throw new TrustRecError({
      code: 'E_NUMERIC',
      message: `${where}: rdp must be a number (+Infinity allowed), got ${rdp}; check the RDP curve it comes from`,
      details: { option: 'rdp', value: rdp },
    });
  }
  if (!(typeof order === 'number' && order > 1 && Number.isFinite(order))) {
    throw argumentError(where, `order must be a finite number > 1, got ${order}`, { option: 'order', value: order });
  }
  requireOpenUnit(where, 'delta', delta);
  requireConversion(where, conversion);
  return epsilonAtOrderUnchecked(rdp, order, delta, conversion);
}

/** {@link epsilonAtOrder} without the argument checks, for loops over a grid checked once. @internal */
export function epsilonAtOrderUnchecked(rdp: number, order: number, delta: number, conversion: RdpConversion): number {
  if (!Number.isFinite(rdp)) return Number.POSITIVE_INFINITY;
  if (conversion === 'classic') return rdp - Math.log(delta) / (order - 1);
  return rdp + Math.log1p(-1 / order) - (Math.log(delta) + Math.log(order)) / (order - 1);
}

/**
 * Converts an RDP curve (values at `orders`) to the tightest (ε, δ)-DP guarantee over the grid, with the chosen
 * conversion. Reports the optimal order and warns when it is the first or last order of the grid. A conversion
 * other than 'improved' / 'classic' is E_ARGUMENT.
 */
export function rdpToEpsilon(
  orders: readonly number[],
  rdp: ArrayLike<number>,
  delta: number,
  conversion: RdpConversion = 'improved',
): RdpEpsilon {
  const where = 'rdpToEpsilon';
  requireOpenUnit(where, 'delta', delta);
  requireConversion(where, conversion);
  if (orders.length === 0 || orders.length !== rdp.length) {
    throw argumentError(
      where,
      `orders and rdp must be non-empty and equally long, got ${orders.length} and ${rdp.length}`,
    );
  }
  let best = Number.POSITIVE_INFINITY;
  let bestIndex = -1;
  for (let i = 0; i < orders.length; i++) {
    if (!(orders[i] > 1)) {
      throw argumentError(where, `every order must be > 1, got orders[${i}] = ${orders[i]}`, { option: 'orders' });
    }
    const epsilon = epsilonAtOrderUnchecked(rdp[i], orders[i], delta, conversion);
    if (epsilon < best) {
      best = epsilon;
      bestIndex = i;
    }
  }
  if (bestIndex < 0) {
    return { epsilon: Number.POSITIVE_INFINITY, order: Number.NaN, delta, conversion, atGridEdge: null, warnings: [] };
  }
  const atGridEdge =
    orders.length > 1 && bestIndex === 0
      ? 'lowest'
      : orders.length > 1 && bestIndex === orders.length - 1
        ? 'highest'
        : null;
  const warnings =
    atGridEdge === null
      ? []
      : [
          `the optimal Rényi order ${orders[bestIndex]} is the ${atGridEdge} order of the grid; extend the grid ${
            atGridEdge === 'lowest' ? 'towards 1' : 'to larger orders'
          } for a possibly tighter ε`,
        ];
  return { epsilon: Math.max(0, best), order: orders[bestIndex], delta, conversion, atGridEdge, warnings };
}

/**
 * The smallest δ for a target ε over the grid (the inverse of {@link rdpToEpsilon}), in log space:
 * classic δ = min_α exp((α−1)(RDP(α) − ε)); improved δ = min_α exp((α−1)(RDP(α) − ε + log(1 − 1/α)) − log α)
 * (same references). Capped at 1. Checked like {@link rdpToEpsilon}: `orders` and `rdp` must be non-empty and
 * equally long, every order > 1 and the conversion 'improved' or 'classic' (E_ARGUMENT).
 */
export function rdpToDelta(
  orders: readonly number[],
  rdp: ArrayLike<number>,
  epsilon: number,
  conversion: RdpConversion = 'improved',
): { delta: number; order: number } {
  const where = 'rdpToDelta';
  if (!(epsilon >= 0) || !Number.isFinite(epsilon)) {
    throw argumentError(where, `epsilon must be a finite number ≥ 0, got ${epsilon}`, {
      option: 'epsilon',
      value: epsilon,
    });
  }
  requireConversion(where, conversion);
  if (orders.length === 0 || orders.length !== rdp.length) {
    throw argumentError(
      where,
      `orders and rdp must be non-empty and equally long, got ${orders.length} and ${rdp.length}`,
    );
  }
  let bestLog = Number.POSITIVE_INFINITY;
  let bestOrder = Number.NaN;
  for (let i = 0; i < orders.length; i++) {
    const a = orders[i];
    if (!(a > 1)) {
      throw argumentError(where, `every order must be > 1, got orders[${i}] = ${a}`, { option: 'orders' });
    }
    if (!Number.isFinite(rdp[i])) continue;
    const logDelta =
      conversion === 'classic'
        ? (a - 1) * (rdp[i] - epsilon)
        : (a - 1) * (rdp[i] - epsilon + Math.log1p(-1 / a)) - Math.log(a);
    if (logDelta < bestLog) {
      bestLog = logDelta;
      bestOrder = a;
    }
  }
  return { delta: Math.min(1, Math.exp(bestLog)), order: bestOrder };
}
