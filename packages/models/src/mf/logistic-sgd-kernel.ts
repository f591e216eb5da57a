import { shuffleInterleavedPairs, xoshiroBelow } from './bpr-sgd-kernel.js';

/**
 * The fused per-example SGD kernel of dot-product matrix factorisation with the pointwise logistic loss (Rendle,
 * Krichene, Zhang, Anderson. Neural Collaborative Filtering vs. Matrix Factorization Revisited. RecSys 2020, §2
 * and appendix A; reference code google-research `dot_vs_learned_similarity/mf_simple.py`).
 *
 * Examples are stored interleaved in an Int32Array: `examples[2t]` is the user and `examples[2t + 1]` the item,
 * with the label in the sign: item i ≥ 0 is a positive (label 1), a negative value ~j = −j − 1 is a sampled
 * negative j (label 0). See {@link encodeNegative} and {@link logisticTrainingExamples}.
 */

/** The stored form of a negative example's item j (label 0): the bitwise complement ~j = −j − 1 (< 0). */
export function encodeNegative(item: number): number {
  return ~item;
}

/**
 * Builds one epoch's examples and shuffles them, advancing the xoshiro128** state `words` in place (the same
 * draws as `rng.nextInt`, see {@link xoshiroBelow}): for each training positive (u, i) in CSR order, the example
 * (u, i, 1) followed by `negatives` examples (u, j, 0) with j drawn uniformly from ALL `numItems` items — like the
 * reference code, the draw does not exclude the user's positives nor repeats (Rendle et al. 2020, appendix A:
 * "#neg/|I| Σ_{j ∈ I} ln(1 + exp(y(u, j)))" sums over every item) — then a Fisher–Yates shuffle of all
 * (1 + negatives)·nnz examples (the swaps of `Rng.shuffle`). `out` has length 2·(1 + negatives)·nnz.
 */
export function logisticTrainingExamples(
  userOfEntry: Int32Array,
  items: Int32Array,
  negatives: number,
  numItems: number,
  words: Int32Array,
  out: Int32Array,
): void {
  const nnz = userOfEntry.length;
  const total = nnz * (1 + negatives);
  const itemLimit = 4294967296 - (4294967296 % numItems);
  let w = 0;
  for (let e = 0; e < nnz; e++) {
    const u = userOfEntry[e];
    out[w] = u;
    out[w + 1] = items[e];
    w += 2;
    for (let s = 0; s < negatives; s++) {
      out[w] = u;
      out[w + 1] = ~xoshiroBelow(words, numItems, itemLimit);
      w += 2;
    }
  }
  shuffleInterleavedPairs(out, total, words);
}

/**
 * Plain SGD over the examples `start ≤ t < end` (in order), one step per example, on the pointwise logistic loss
 * of Rendle et al. 2020 with score y(u, i) = b + b_u + b_i + ⟨p_u, q_i⟩ and L2 weight λ:
 *
 *   g   = label − σ(y)                       (σ computed stably on either side of 0)
 *   p_u ← p_u + η (g q_i − λ p_u)
 *   q_i ← q_i + η (g p_u − λ q_i)            (p_u: the value before this step)
 *   b_u ← b_u + η (g − λ b_u),  b_i ← b_i + η (g − λ b_i),  b ← b + η (g − λ b)
 *
 * Every update reads the pre-step values (simultaneous SGD on the example's loss). Note: the reference code's
 * `user_emb` is a NumPy view, so its q_i update actually reads the already-updated p_u; the difference is
 * O(η²) per step and we follow the textbook gradient.
 *
 * The per-example loss (before the step) is ln(1 + e^{−y}) for label 1 and ln(1 + e^{y}) for label 0, computed
 * without overflow; the kernel returns their sum. `globalBias` is a one-element Float64Array updated in place
 * (the reference code keeps b in float64). The k-loops are unrolled by 4 with hoisted row offsets; every product
 * is formed in float64 and rounded once to float32 on store. Allocates nothing per example.
 */
export function logisticSgdExamples(
  examples: Int32Array,
  start: number,
  end: number,
  p: Float32Array,
  q: Float32Array,
  userBias: Float32Array,
  itemBias: Float32Array,
  globalBias: Float64Array,
  k: number,
  eta: number,
  lambda: number,
): number {
  /** 1 − ηλ: the decay factor of θ ← θ + η(g ∂y/∂θ − λθ). */
  const keep = 1 - eta * lambda;
  const k4 = k - (k % 4);
  let b = globalBias[0];
  let lossSum = 0;
  for (let t = start; t < end; t++) {
    const u = examples[2 * t];
    const stored = examples[2 * t + 1];
    const positive = stored >= 0;
    const i = positive ? stored : ~stored;
    const uBase = u * k;
    const iBase = i * k;
    // y = b + b_u + b_i + ⟨p_u, q_i⟩ with four accumulators.
    let a0 = 0;
    let a1 = 0;
    let a2 = 0;
    let a3 = 0;
    let c = 0;
    for (; c < k4; c += 4) {
      a0 += p[uBase + c] * q[iBase + c];
      a1 += p[uBase + c + 1] * q[iBase + c + 1];
      a2 += p[uBase + c + 2] * q[iBase + c + 2];
      a3 += p[uBase + c + 3] * q[iBase + c + 3];
    }
    for (; c < k; c++) a0 += p[uBase + c] * q[iBase + c];
    const bu = userBias[u];
    const bi = itemBias[i];
    const y = b + bu + bi + (a0 + a1 + (a2 + a3));
    // σ(y) and ln(1 + e^{∓y}) without overflow: e = e^{−|y|} ∈ (0, 1].
    const e = Math.exp(-Math.abs(y));
    const log1pE = Math.log1p(e);
    let sigma: number;
    if (y >= 0) {
      sigma = 1 / (1 + e);
      lossSum += positive ? log1pE : y + log1pE;
    } else {
      sigma = e / (1 + e);
      lossSum += positive ? -y + log1pE : log1pE;
    }
    const step = eta * ((positive ? 1 : 0) - sigma);
    c = 0;
    for (; c < k4; c += 4) {
      const pu0 = p[uBase + c];
      const pu1 = p[uBase + c + 1];
      const pu2 = p[uBase + c + 2];
      const pu3 = p[uBase + c + 3];
      const qi0 = q[iBase + c];
      const qi1 = q[iBase + c + 1];
      const qi2 = q[iBase + c + 2];
      const qi3 = q[iBase + c + 3];
      p[uBase + c] = pu0 * keep + step * qi0;
      p[uBase + c + 1] = pu1 * keep + step * qi1;
      p[uBase + c + 2] = pu2 * keep + step * qi2;
      p[uBase + c + 3] = pu3 * keep + step * qi3;
      q[iBase + c] = qi0 * keep + step * pu0;
      q[iBase + c + 1] = qi1 * keep + step * pu1;
      q[iBase + c + 2] = qi2 * keep + step * pu2;
      q[iBase + c + 3] = qi3 * keep + step * pu3;
    }
    for (; c < k; c++) {
      const pu = p[uBase + c];
      const qi = q[iBase + c];
      p[uBase + c] = pu * keep + step * qi;
      q[iBase + c] = qi * keep + step * pu;
    }
    userBias[u] = bu * keep + step;
    itemBias[i] = bi * keep + step;
    b = b * keep + step;
  }
  globalBias[0] = b;
  return lossSum;
}
