import type { CsrMatrix, Rng } from '@trustrec/core-linalg';
import type { InteractionLookup } from '../training/interaction-lookup.js';

/** Inputs of one fused BPR-SGD epoch. All arrays are live and updated in place. */
export interface BprSgdEpochInput {
  readonly train: CsrMatrix;
  /** User of each stored entry of `train` (see `expandRows`). */
  readonly userOfEntry: Int32Array;
  /** Entry order for this epoch (a permutation of [0, nnz) or nnz uniform draws). */
  readonly order: Int32Array;
  readonly userFactors: Float32Array;
  readonly itemFactors: Float32Array;
  /** Item biases (length numItems), or undefined for none. */
  readonly itemBias: Float32Array | undefined;
  readonly factors: number;
  readonly learningRate: number;
  readonly regularization: number;
  /** Negative draws: `rng.nextInt(numItems)` rejected while `lookup.has(u, j)`, exactly as `UniformNegativeSampler.sampleNegative`. */
  readonly rng: Rng;
  readonly lookup: InteractionLookup;
}

/**
 * One epoch of LearnBPR (seed 001 eq. 10; Rendle et al. 2009, alg. 1) as a fused per-sample SGD kernel over
 * flat Float32Arrays: for each positive (u, i) in `order`, draw a negative j uniformly from the items u has not
 * seen, then with x = ⟨p_u, q_i − q_j⟩ (+ b_i − b_j) and z = σ(−x) = 1 − σ(x):
 *
 *   p_u ← p_u + η (z (q_i − q_j) − λ p_u)
 *   q_i ← q_i + η (z p_u − λ q_i)
 *   q_j ← q_j + η (−z p_u − λ q_j)
 *   b_i ← b_i + η (z − λ b_i),  b_j ← b_j + η (−z − λ b_j)
 *
 * i.e. SGD on −ln σ(x) + (λ/2)‖θ_uij‖² (the regulariser applied to the rows each sample touches, as in LearnBPR).
 * No allocation; returns the summed loss −ln σ(x) over the epoch (before each update).
 */
export function bprSgdEpoch(input: BprSgdEpochInput): number {
  const { train, userOfEntry, order, userFactors: p, itemFactors: q, itemBias: bias, factors: k, rng } = input;
  const eta = input.learningRate;
  const lambda = input.regularization;
  /** 1 − ηλ: the decay factor of θ ← θ − η(λθ − z ∂x/∂θ). */
  const keep = 1 - eta * lambda;
  const indices = train.indices;
  const lookup = input.lookup;
  const bits = lookup.bits;
  const numItems = train.numColumns;
  let lossSum = 0;
  for (let t = 0; t < order.length; t++) {
    const entry = order[t];
    const u = userOfEntry[entry];
    const i = indices[entry];
    let j = 0;
    if (bits !== undefined) {
      const userBase = u * numItems;
      do {
        j = rng.nextInt(numItems);
      } while ((bits[(userBase + j) >>> 5] & (1 << ((userBase + j) & 31))) !== 0);
    } else {
      do {
        j = rng.nextInt(numItems);
      } while (lookup.has(u, j));
    }
    const uBase = u * k;
    const iBase = i * k;
    const jBase = j * k;
    let x = bprMargin(p, q, uBase, iBase, jBase, k);
    if (bias !== undefined) x += bias[i] - bias[j];
    // z = σ(−x); loss = −ln σ(x) = ln(1 + e^{−x}), computed stably.
    let z: number;
    if (x >= 0) {
      const e = Math.exp(-x);
      z = e / (1 + e);
      lossSum += Math.log1p(e);
    } else {
      const e = Math.exp(x);
      z = 1 / (1 + e);
      lossSum += -x + Math.log1p(e);
    }
    const step = eta * z;
    for (let c = 0; c < k; c++) {
      const pu = p[uBase + c];
      const qi = q[iBase + c];
      const qj = q[jBase + c];
      p[uBase + c] = pu * keep + step * (qi - qj);
      q[iBase + c] = qi * keep + step * pu;
      q[jBase + c] = qj * keep - step * pu;
    }
    if (bias !== undefined) {
      const bi = bias[i];
      const bj = bias[j];
      bias[i] = bi * keep + step;
      bias[j] = bj * keep - step;
    }
  }
  return lossSum;
}

/**
 * ⟨p_u, q_i − q_j⟩ with four accumulators (breaks the add-latency chain; the generic gradient path calls this
 * too, so both paths sum in the same order).
 */
export function bprMargin(
  p: Float32Array,
  q: Float32Array,
  uBase: number,
  iBase: number,
  jBase: number,
  k: number,
): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let c = 0;
  for (; c + 3 < k; c += 4) {
    s0 += p[uBase + c] * (q[iBase + c] - q[jBase + c]);
    s1 += p[uBase + c + 1] * (q[iBase + c + 1] - q[jBase + c + 1]);
    s2 += p[uBase + c + 2] * (q[iBase + c + 2] - q[jBase + c + 2]);
    s3 += p[uBase + c + 3] * (q[iBase + c + 3] - q[jBase + c + 3]);
  }
  for (; c < k; c++) s0 += p[uBase + c] * (q[iBase + c] - q[jBase + c]);
  return s0 + s1 + (s2 + s3);
}
