import { NotFittedError } from '../errors/not-fitted-error.js';
import type { MatrixFactorizationLogistic } from '../mf/matrix-factorization-logistic.js';

/** The network parameters of a GMF (by their {@link NcfNetwork} names) and its shape. */
export interface GmfParameters {
  readonly factors: number;
  readonly numUsers: number;
  readonly numItems: number;
  readonly arrays: {
    readonly gmfUser: Float32Array;
    readonly gmfItem: Float32Array;
    readonly outputWeights: Float32Array;
    readonly outputBias: Float32Array;
  };
}

/**
 * The GMF (He et al. 2017, eq. 8–9: ŷ = σ(hᵀ(p'_u ⊙ q'_i) + b')) whose logit equals a fitted logistic MF's logit
 * y(u, i) = b + b_u + b_i + ⟨p_u, q_i⟩ (Rendle et al. 2020) for every pair, with K + 2 factors:
 *
 *   p'_u = [p_u; b_u; 1],  q'_i = [q_i; 1; b_i],  h = 1 (all ones),  b' = b,
 *
 * so hᵀ(p'_u ⊙ q'_i) + b' = ⟨p_u, q_i⟩ + b_u + b_i + b. The logistic MF is trained by a fused per-example SGD kernel
 * (the fastest way we have to a good dot-product model); this hands its result to NeuMF as the pre-trained GMF
 * (§3.4.1). The arrays are fresh copies; the MF is not changed.
 */
export function gmfParametersFromLogisticMf(mf: MatrixFactorizationLogistic): GmfParameters {
  if (!mf.isFitted) throw new NotFittedError({ model: mf.name, operation: 'gmfParametersFromLogisticMf' });
  const k = mf.factors;
  const width = k + 2;
  const numUsers = mf.numUsers;
  const numItems = mf.numItems;
  const p = mf.userFactors;
  const q = mf.itemFactors;
  const userBias = mf.userBias;
  const itemBias = mf.itemBias as Float32Array;
  const gmfUser = new Float32Array(numUsers * width);
  for (let u = 0; u < numUsers; u++) {
    const row = u * width;
    gmfUser.set(p.subarray(u * k, (u + 1) * k), row);
    gmfUser[row + k] = userBias[u];
    gmfUser[row + k + 1] = 1;
  }
  const gmfItem = new Float32Array(numItems * width);
  for (let i = 0; i < numItems; i++) {
    const row = i * width;
    gmfItem.set(q.subarray(i * k, (i + 1) * k), row);
    gmfItem[row + k] = 1;
    gmfItem[row + k + 1] = itemBias[i];
  }
  return {
    factors: width,
    numUsers,
    numItems,
    arrays: {
      gmfUser,
      gmfItem,
      outputWeights: new Float32Array(width).fill(1),
      outputBias: Float32Array.of(mf.globalBias),
    },
  };
}
