import { type CsrMatrix, type Rng, type RngState, argumentError, shapeError } from '@trustrec/core-linalg';
import type { InteractionLookup } from '../training/interaction-lookup.js';
import { type BprSimdKernel, createBprSimdKernel } from './bpr-sgd-simd.js';

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
  /**
   * Uniform candidates drawn per positive; the highest-scoring one is the negative (dynamic negative sampling,
   * see {@link bprSgdPairs}). 1 (the default) = LearnBPR's uniform negative.
   */
  readonly negativeCandidates?: number;
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
 * Returns the summed loss −ln σ(x) over the epoch (before each update). Gathers the (u, i) pairs of `order` into
 * one scratch buffer and runs {@link bprSgdPairs}; `fit` builds the pairs directly while shuffling
 * ({@link shuffledBprPairs}), which avoids two cache-missing reads per sample.
 */
export function bprSgdEpoch(input: BprSgdEpochInput): number {
  checkBprSgdEpochInput(input);
  const { train, userOfEntry, order } = input;
  const indices = train.indices;
  const nnz = train.nnz;
  const pairs = new Int32Array(order.length * 2);
  for (let t = 0; t < order.length; t++) {
    const entry = order[t];
    if (!(entry >= 0 && entry < nnz)) {
      throw shapeError('bprSgdEpoch', `order[${t}] = ${entry} is not an entry of train (outside [0, ${nnz}))`);
    }
    pairs[2 * t] = userOfEntry[entry];
    pairs[2 * t + 1] = indices[entry];
  }
  const state = input.rng.getState();
  const words = Int32Array.from(state.words);
  const loss = bprSgdPairs(
    pairs,
    0,
    order.length,
    input.userFactors,
    input.itemFactors,
    input.itemBias,
    input.factors,
    input.learningRate,
    input.regularization,
    input.negativeCandidates ?? 1,
    train.numColumns,
    input.lookup.bits,
    input.lookup,
    words,
  );
  input.rng.setState(rngStateFromWords(words, state));
  return loss;
}

/**
 * The once-per-call checks of {@link bprSgdEpoch}: array sizes against `train` and `factors` (`E_SHAPE`), finite
 * learning rate and regularisation, an integer `negativeCandidates` ≥ 1 and no user who has every item (no
 * negative exists, the draw would never end) (`E_ARGUMENT`).
 */
function checkBprSgdEpochInput(input: BprSgdEpochInput): void {
  const { train, factors } = input;
  const where = 'bprSgdEpoch';
  if (!Number.isInteger(factors) || factors < 1)
    throw argumentError(where, `factors must be an integer ≥ 1, got ${factors}`);
  const expect = (name: string, array: Float32Array | Int32Array | undefined, length: number): void => {
    if (array !== undefined && array.length !== length)
      throw shapeError(where, `${name} has length ${array.length}, expected ${length}`);
  };
  expect('userFactors', input.userFactors, train.numRows * factors);
  expect('itemFactors', input.itemFactors, train.numColumns * factors);
  expect('itemBias', input.itemBias, train.numColumns);
  expect('userOfEntry', input.userOfEntry, train.nnz);
  if (input.lookup.numItems !== train.numColumns)
    throw shapeError(where, `lookup covers ${input.lookup.numItems} items, train has ${train.numColumns}`);
  for (const [name, value] of [
    ['learningRate', input.learningRate],
    ['regularization', input.regularization],
  ] as const) {
    if (!Number.isFinite(value)) throw argumentError(where, `${name} must be a finite number, got ${value}`);
  }
  const candidates = input.negativeCandidates ?? 1;
  if (!Number.isInteger(candidates) || candidates < 1)
    throw argumentError(where, `negativeCandidates must be an integer ≥ 1, got ${candidates}`);
  for (let user = 0; user < train.numRows; user++) {
    if (train.indptr[user + 1] - train.indptr[user] >= train.numColumns) {
      throw argumentError(
        where,
        `user ${user} interacted with all ${train.numColumns} items, so no negative exists; remove that user`,
      );
    }
  }
}

/** An `RngState` (xoshiro128**) from the four words a kernel advanced, keeping the cached normal spare of `before`. */
export function rngStateFromWords(words: Int32Array, before: RngState): RngState {
  return {
    algorithm: 'xoshiro128**',
    words: [words[0] >>> 0, words[1] >>> 0, words[2] >>> 0, words[3] >>> 0],
    spareNormal: before.spareNormal,
  };
}

/**
 * Fisher–Yates over the first `count` (user, item) pairs stored interleaved in `pairs` (the swaps of
 * `Rng.shuffle`, drawing from the xoshiro128** state `words` in place, see {@link xoshiroBelow}).
 */
export function shuffleInterleavedPairs(pairs: Int32Array, count: number, words: Int32Array): void {
  for (let i = count - 1; i > 0; i--) {
    const max = i + 1;
    const j = xoshiroBelow(words, max, 4294967296 - (4294967296 % max));
    const a = 2 * i;
    const b = 2 * j;
    const heldUser = pairs[a];
    const heldItem = pairs[a + 1];
    pairs[a] = pairs[b];
    pairs[a + 1] = pairs[b + 1];
    pairs[b] = heldUser;
    pairs[b + 1] = heldItem;
  }
}

/**
 * The epoch's (user, positive item) pairs, interleaved (`pairs[2t]` = user, `pairs[2t + 1]` = item), in exactly the
 * order `UniformNegativeSampler.epochOrder(rng)` would visit the entries: for `shuffle`, the Fisher–Yates swaps of
 * `Rng.shuffle` applied to the pairs themselves (so the kernel then reads them sequentially); for
 * `with-replacement`, nnz draws `rng.nextInt(nnz)`. The xoshiro128** stream is advanced inline from `words`
 * (the state, updated in place): the same draws `rng.nextInt` makes, without a call and argument check per draw.
 */
export function shuffledBprPairs(
  userOfEntry: Int32Array,
  items: Int32Array,
  order: 'shuffle' | 'with-replacement',
  words: Int32Array,
  pairs: Int32Array,
): void {
  const total = userOfEntry.length;
  if (order === 'shuffle') {
    for (let p = 0; p < total; p++) {
      pairs[2 * p] = userOfEntry[p];
      pairs[2 * p + 1] = items[p];
    }
    shuffleInterleavedPairs(pairs, total, words);
  } else {
    const limit = 4294967296 - (4294967296 % total);
    for (let p = 0; p < total; p++) {
      const entry = xoshiroBelow(words, total, limit);
      pairs[2 * p] = userOfEntry[entry];
      pairs[2 * p + 1] = items[entry];
    }
  }
}

/**
 * One draw of `rng.nextInt(n)` (xoshiro128**, state `words` advanced in place): 32-bit outputs at or above
 * `limit` = 2³² − (2³² mod n) are rejected (the biased tail), then the remainder mod n. Self-contained, like the
 * kernels that call it (its source also runs in the Hogwild worker threads).
 */
export function xoshiroBelow(words: Int32Array, n: number, limit: number): number {
  let s0 = words[0];
  let s1 = words[1];
  let s2 = words[2];
  let s3 = words[3];
  let draw = 0;
  do {
    const m = Math.imul(s1, 5);
    const result = Math.imul((m << 7) | (m >>> 25), 9);
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = (s3 << 11) | (s3 >>> 21);
    draw = result >>> 0;
  } while (draw >= limit);
  words[0] = s0;
  words[1] = s1;
  words[2] = s2;
  words[3] = s3;
  return draw - Math.floor(draw / n) * n;
}

/**
 * One draw of `rng.nextInt(numItems)` (see {@link xoshiroBelow}) repeated while the user has the item: bit
 * `userBase + item` of the dense interaction bitset `bits` (userBase = user · numItems). Self-contained (also
 * part of the Hogwild worker source).
 */
export function drawUnseenItem(
  words: Int32Array,
  numItems: number,
  limit: number,
  bits: Int32Array,
  userBase: number,
): number {
  for (;;) {
    const item = xoshiroBelow(words, numItems, limit);
    const bit = userBase + item;
    if ((bits[bit >>> 5] & (1 << (bit & 31))) === 0) return item;
  }
}

/**
 * z = σ(−x) = 1 − σ(x), the weight of a BPR step, adding the sample's loss −ln σ(x) = ln(1 + e^{−x}) (computed
 * stably) to `loss[0]`. Self-contained (also part of the Hogwild worker source).
 */
export function bprLogistic(x: number, loss: Float64Array): number {
  if (x >= 0) {
    const e = Math.exp(-x);
    loss[0] += Math.log1p(e);
    return e / (1 + e);
  }
  const e = Math.exp(x);
  loss[0] += -x + Math.log1p(e);
  return 1 / (1 + e);
}

/**
 * The fused LearnBPR kernel (see {@link bprSgdEpoch}) over the pairs `start ≤ t < end` of `pairs`. Negatives are
 * drawn exactly as `rng.nextInt(numItems)` (xoshiro128** advanced inline from `words`, updated in place; rejection
 * of the biased tail, then the remainder) and rejected while the user has the item (the dense `bits` set when
 * given, else `lookup.has`). The k-loops are unrolled by 4; every product is formed in float64 and rounded once
 * to float32 on store, so the result is bit-identical to the plain loop. Returns the summed loss −ln σ(x).
 *
 * `candidates` > 1 is dynamic negative sampling (DNS; Zhang, Chen, Wang & Yu, SIGIR 2013): that many
 * negatives are drawn as above and the step uses the one the model currently ranks highest, i.e. the smallest
 * margin x_uij = ŷ_ui − ŷ_uj (the first drawn on a tie). `candidates` = 1 draws and computes exactly what LearnBPR does.
 */
export function bprSgdPairs(
  pairs: Int32Array,
  start: number,
  end: number,
  p: Float32Array,
  q: Float32Array,
  bias: Float32Array | undefined,
  k: number,
  eta: number,
  lambda: number,
  candidates: number,
  numItems: number,
  bits: Int32Array | undefined,
  lookup: { has(user: number, item: number): boolean } | undefined,
  words: Int32Array,
): number {
  const simd = k % 4 === 0 && bits !== undefined ? sharedBprSimdKernel() : null;
  if (simd === null || bits === undefined)
    return bprSgdPairsScalar(pairs, start, end, p, q, bias, k, eta, lambda, candidates, numItems, bits, lookup, words);
  // The factor tables live in the kernel's memory for the epoch: users at 0, items after (16-byte aligned).
  const kb = 4 * k;
  const itemsAt = Math.ceil((4 * p.length) / 16) * 16;
  simd.reserve(itemsAt + 4 * q.length);
  const buffer = simd.memory.buffer;
  const pView = new Float32Array(buffer, 0, p.length);
  const qView = new Float32Array(buffer, itemsAt, q.length);
  pView.set(p);
  qView.set(q);
  const loss = bprSgdPairsSimd(
    simd,
    pairs,
    start,
    end,
    kb,
    itemsAt,
    bias,
    eta,
    lambda,
    candidates,
    numItems,
    bits,
    words,
  );
  p.set(pView);
  q.set(qView);
  return loss;
}

let sharedKernel: BprSimdKernel | null | undefined;

function sharedBprSimdKernel(): BprSimdKernel | null {
  if (sharedKernel === undefined) sharedKernel = createBprSimdKernel();
  return sharedKernel;
}

/**
 * {@link bprSgdPairs} with the k-loops in WebAssembly SIMD (`margin`, `update`; bit-identical to the scalar
 * loops, see bpr-sgd-simd.ts); sampling, σ and the loss stay here. Rows are addressed by byte offset. Refers to
 * nothing outside itself but {@link xoshiroBelow}, {@link drawUnseenItem} and {@link bprLogistic}, so that its
 * source (with theirs) can run in a worker thread (see BprHogwild).
 */
export function bprSgdPairsSimd(
  simd: BprSimdKernel,
  pairs: Int32Array,
  start: number,
  end: number,
  kb: number,
  itemsAt: number,
  bias: Float32Array | undefined,
  eta: number,
  lambda: number,
  candidates: number,
  numItems: number,
  bits: Int32Array,
  words: Int32Array,
): number {
  const keep = 1 - eta * lambda;
  const limit = 4294967296 - (4294967296 % numItems);
  const hasBias = bias !== undefined;
  const biasArray = bias ?? new Float32Array(0);
  const margin = simd.margin;
  const update = simd.update;
  const lossSum = new Float64Array(1);
  for (let t = start; t < end; t++) {
    const u = pairs[2 * t];
    const i = pairs[2 * t + 1];
    const userBase = u * numItems;
    const uAt = u * kb;
    const iAt = itemsAt + i * kb;
    let j = 0;
    let x = Number.POSITIVE_INFINITY;
    for (let candidate = 0; candidate < candidates; candidate++) {
      const drawn = drawUnseenItem(words, numItems, limit, bits, userBase);
      let drawnMargin = margin(uAt, iAt, itemsAt + drawn * kb, kb);
      if (hasBias) drawnMargin += biasArray[i] - biasArray[drawn];
      if (drawnMargin < x || candidate === 0) {
        x = drawnMargin;
        j = drawn;
      }
    }
    const jAt = itemsAt + j * kb;
    const z = bprLogistic(x, lossSum);
    const step = eta * z;
    update(uAt, iAt, jAt, kb, step, keep);
    if (hasBias) {
      const bi = biasArray[i];
      const bj = biasArray[j];
      biasArray[i] = bi * keep + step;
      biasArray[j] = bj * keep - step;
    }
  }
  return lossSum[0];
}

/** The scalar JS kernel of {@link bprSgdPairs} (any k, any lookup). */
export function bprSgdPairsScalar(
  pairs: Int32Array,
  start: number,
  end: number,
  p: Float32Array,
  q: Float32Array,
  bias: Float32Array | undefined,
  k: number,
  eta: number,
  lambda: number,
  candidates: number,
  numItems: number,
  bits: Int32Array | undefined,
  lookup: { has(user: number, item: number): boolean } | undefined,
  words: Int32Array,
): number {
  /** 1 − ηλ: the decay factor of θ ← θ − η(λθ − z ∂x/∂θ). */
  const keep = 1 - eta * lambda;
  const limit = 4294967296 - (4294967296 % numItems);
  const k4 = k - (k % 4);
  const hasBias = bias !== undefined;
  const biasArray = bias ?? new Float32Array(0);
  const useBits = bits !== undefined;
  const bitArray = bits ?? new Int32Array(0);
  const lossSum = new Float64Array(1);
  for (let t = start; t < end; t++) {
    const u = pairs[2 * t];
    const i = pairs[2 * t + 1];
    const userBase = u * numItems;
    const uBase = u * k;
    const iBase = i * k;
    let j = 0;
    let x = Number.POSITIVE_INFINITY;
    for (let candidate = 0; candidate < candidates; candidate++) {
      let drawn = 0;
      if (useBits) drawn = drawUnseenItem(words, numItems, limit, bitArray, userBase);
      else {
        do drawn = xoshiroBelow(words, numItems, limit);
        while (lookup?.has(u, drawn));
      }
      let drawnMargin = bprMargin(p, q, uBase, iBase, drawn * k, k);
      if (hasBias) drawnMargin += biasArray[i] - biasArray[drawn];
      if (drawnMargin < x || candidate === 0) {
        x = drawnMargin;
        j = drawn;
      }
    }
    const jBase = j * k;
    const z = bprLogistic(x, lossSum);
    const step = eta * z;
    let c = 0;
    for (; c < k4; c += 4) {
      const pu0 = p[uBase + c];
      const pu1 = p[uBase + c + 1];
      const pu2 = p[uBase + c + 2];
      const pu3 = p[uBase + c + 3];
      const qi0 = q[iBase + c];
      const qi1 = q[iBase + c + 1];
      const qi2 = q[iBase + c + 2];
      const qi3 = q[iBase + c + 3];
      const qj0 = q[jBase + c];
      const qj1 = q[jBase + c + 1];
      const qj2 = q[jBase + c + 2];
      const qj3 = q[jBase + c + 3];
      p[uBase + c] = pu0 * keep + step * (qi0 - qj0);
      p[uBase + c + 1] = pu1 * keep + step * (qi1 - qj1);
      p[uBase + c + 2] = pu2 * keep + step * (qi2 - qj2);
      p[uBase + c + 3] = pu3 * keep + step * (qi3 - qj3);
      q[iBase + c] = qi0 * keep + step * pu0;
      q[iBase + c + 1] = qi1 * keep + step * pu1;
      q[iBase + c + 2] = qi2 * keep + step * pu2;
      q[iBase + c + 3] = qi3 * keep + step * pu3;
      q[jBase + c] = qj0 * keep - step * pu0;
      q[jBase + c + 1] = qj1 * keep - step * pu1;
      q[jBase + c + 2] = qj2 * keep - step * pu2;
      q[jBase + c + 3] = qj3 * keep - step * pu3;
    }
    for (; c < k; c++) {
      const pu = p[uBase + c];
      const qi = q[iBase + c];
      const qj = q[jBase + c];
      p[uBase + c] = pu * keep + step * (qi - qj);
      q[iBase + c] = qi * keep + step * pu;
      q[jBase + c] = qj * keep - step * pu;
    }
    if (hasBias) {
      const bi = biasArray[i];
      const bj = biasArray[j];
      biasArray[i] = bi * keep + step;
      biasArray[j] = bj * keep - step;
    }
  }
  return lossSum[0];
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
