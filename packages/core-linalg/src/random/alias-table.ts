import { argumentError } from '../errors/trust-rec-error.js';
import type { Rng } from './rng.js';

/**
 * Walker's alias method (Vose's numerically stable construction): O(n) build, O(1) weighted draws.
 * Used for popularity-based negative sampling and any weighted choice in a hot loop.
 */
export class AliasTable {
  readonly size: number;
  private readonly probability: Float64Array;
  private readonly alias: Int32Array;

  constructor(weights: ArrayLike<number>) {
    const n = weights.length;
    if (n === 0) throw argumentError('AliasTable', 'weights must not be empty');
    let total = 0;
    for (let i = 0; i < n; i++) {
      const weight = weights[i];
      if (!(weight >= 0) || !Number.isFinite(weight)) {
        throw argumentError('AliasTable', `weights[${i}] must be a finite non-negative number, got ${weight}`);
      }
      total += weight;
    }
    if (total <= 0) throw argumentError('AliasTable', 'weights must not all be zero');
    if (!Number.isFinite(total))
      throw argumentError('AliasTable', 'weights sum to Infinity; divide them by a common factor');
    this.size = n;
    this.probability = new Float64Array(n);
    this.alias = new Int32Array(n);
    const scaled = new Float64Array(n);
    const small = new Int32Array(n);
    const large = new Int32Array(n);
    let smallCount = 0;
    let largeCount = 0;
    for (let i = 0; i < n; i++) {
      scaled[i] = (weights[i] * n) / total;
      if (scaled[i] < 1) small[smallCount++] = i;
      else large[largeCount++] = i;
    }
    while (smallCount > 0 && largeCount > 0) {
      const less = small[--smallCount];
      const more = large[--largeCount];
      this.probability[less] = scaled[less];
      this.alias[less] = more;
      scaled[more] = scaled[more] + scaled[less] - 1;
      if (scaled[more] < 1) small[smallCount++] = more;
      else large[largeCount++] = more;
    }
    while (largeCount > 0) this.probability[large[--largeCount]] = 1;
    while (smallCount > 0) this.probability[small[--smallCount]] = 1;
  }

  /** Draws an index with probability proportional to its weight. */
  sample(rng: Rng): number {
    const column = rng.nextInt(this.size);
    return rng.nextFloat() < this.probability[column] ? column : this.alias[column];
  }
}
