import { type CsrMatrix, type Rng, argumentError, describeOptionValue, shapeError } from '@trustrec/core-linalg';
import { UniformNegativeSampler } from '@trustrec/models';

/** A set of BPR triples (u, i, j): user u, positive item i, sampled negative item j. */
export interface BprTriples {
  readonly users: Int32Array;
  readonly positives: Int32Array;
  readonly negatives: Int32Array;
}

/**
 * The triples an attacker differentiates the BPR loss over (seed 001 eq. 10's D): every training positive
 * (u, i) of `train`, `negativesPerPositive` times, each with a negative j drawn uniformly from the items u has
 * not interacted with — the models package's {@link UniformNegativeSampler}, so attack and training sample
 * negatives the same way. nnz × negativesPerPositive triples, grouped by positive. A `train` that is not a matrix,
 * a `negativesPerPositive` that is not an integer ≥ 1 or an `rng` that is not an Rng is E_ARGUMENT.
 */
export function sampleBprTriples(train: CsrMatrix, negativesPerPositive: number, rng: Rng): BprTriples {
  const where = 'sampleBprTriples';
  if (train === null || typeof train !== 'object' || typeof train.nnz !== 'number') {
    throw argumentError(
      where,
      `train must be the CsrMatrix of training interactions, got ${describeOptionValue(train)}`,
      {
        option: 'train',
      },
    );
  }
  if (!Number.isInteger(negativesPerPositive) || negativesPerPositive < 1) {
    throw argumentError(where, `negativesPerPositive must be an integer ≥ 1, got ${negativesPerPositive}`, {
      option: 'negativesPerPositive',
      value: negativesPerPositive,
    });
  }
  if (!isRng(rng)) {
    throw argumentError(
      where,
      `rng must be an Rng (createRng(seed) or rng.fork(label) from @trustrec/core-linalg), got ${describeOptionValue(rng)}`,
      { option: 'rng' },
    );
  }
  const sampler = new UniformNegativeSampler(train, { negativesPerPositive, order: 'shuffle' });
  const total = train.nnz * negativesPerPositive;
  const users = new Int32Array(total);
  const positives = new Int32Array(total);
  const negatives = new Int32Array(total);
  if (train.nnz === 0) return { users, positives, negatives };
  for (const batch of sampler.epoch(rng, train.nnz)) {
    for (let t = 0; t < batch.size; t++) {
      for (let s = 0; s < negativesPerPositive; s++) {
        const row = t * negativesPerPositive + s;
        users[row] = batch.users[t];
        positives[row] = batch.positives[t];
        negatives[row] = batch.negatives[row];
      }
    }
  }
  return { users, positives, negatives };
}

/** Whether `rng` has the draws of an {@link Rng} the negative sampler uses (checked by shape, not by class). */
function isRng(rng: unknown): rng is Rng {
  const candidate = rng as Partial<Record<'nextUint32' | 'nextFloat' | 'nextInt' | 'shuffle', unknown>> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.nextUint32 === 'function' &&
    typeof candidate.nextFloat === 'function' &&
    typeof candidate.nextInt === 'function' &&
    typeof candidate.shuffle === 'function'
  );
}

/** The MF parameters the BPR loss is evaluated at. */
export interface MfParameters {
  readonly userFactors: Float32Array;
  readonly itemFactors: Float32Array;
  /** Item biases b_i (length numItems), when the model has them; they are not perturbed but enter the margin. */
  readonly itemBias?: Float32Array;
  readonly factors: number;
}

/** Gradient accumulators, one row per user / item (row-major, `factors` wide), overwritten by {@link bprLossGradient}. */
export interface BprGradient {
  readonly users: Float64Array;
  readonly items: Float64Array;
}

/**
 * The BPR loss of seed 001 eq. 10 without its L2 term, L = Σ_(u,i,j) −ln σ(x̂_uij) with
 * x̂_uij = p_uᵀ(q_i − q_j) + b_i − b_j, and its gradient w.r.t. every user and item embedding, summed over the
 * triples (z = σ(−x̂)):
 *
 *   ∂L/∂p_u = −z (q_i − q_j),   ∂L/∂q_i = −z p_u,   ∂L/∂q_j = +z p_u.
 *
 * This is the gradient FGSM ascends (seed 001 eq. 5 with the L2 direction of APR eq. 11: the perturbation
 * maximises L_BPR(D | Θ + Δ), and the regulariser does not depend on Δ in APR). Rows no triple touches get a
 * zero gradient. `gradient` is overwritten; accumulation is in float64. Returns the summed loss. Checked once per
 * call: `factors` an integer ≥ 1 (E_ARGUMENT), whole rows and one bias per item (E_SHAPE), triples inside the
 * tables (E_SHAPE).
 */
export function bprLossGradient(
  parameters: MfParameters,
  triples: BprTriples,
  gradient: BprGradient | undefined,
): number {
  const { userFactors: p, itemFactors: q, itemBias: bias, factors: k } = parameters;
  const { users, positives, negatives } = triples;
  if (!Number.isInteger(k) || k < 1) {
    throw argumentError('bprLossGradient', `parameters.factors must be an integer ≥ 1, got ${k}`, {
      option: 'factors',
      value: k,
    });
  }
  if (p.length % k !== 0 || q.length % k !== 0) {
    throw shapeError(
      'bprLossGradient',
      `userFactors (${p.length}) and itemFactors (${q.length}) must be whole rows of ${k} factors`,
    );
  }
  if (bias !== undefined && bias.length !== q.length / k) {
    throw shapeError('bprLossGradient', `itemBias has ${bias.length} entries, expected one per item (${q.length / k})`);
  }
  if (positives.length !== users.length || negatives.length !== users.length) {
    throw shapeError(
      'bprLossGradient',
      `users (${users.length}), positives (${positives.length}) and negatives (${negatives.length}) must have equal length`,
    );
  }
  if (gradient !== undefined) {
    if (gradient.users.length !== p.length || gradient.items.length !== q.length) {
      throw shapeError(
        'bprLossGradient',
        `gradient buffers hold ${gradient.users.length}/${gradient.items.length} values, expected ${p.length}/${q.length}`,
      );
    }
    gradient.users.fill(0);
    gradient.items.fill(0);
  }
  const numUsers = p.length / k;
  const numItems = q.length / k;
  let loss = 0;
  for (let t = 0; t < users.length; t++) {
    const u = users[t];
    const i = positives[t];
    const j = negatives[t];
    if (u < 0 || u >= numUsers || i < 0 || i >= numItems || j < 0 || j >= numItems) {
      throw shapeError(
        'bprLossGradient',
        `triple ${t} (${u}, ${i}, ${j}) is outside ${numUsers} users × ${numItems} items`,
      );
    }
    const uBase = u * k;
    const iBase = i * k;
    const jBase = j * k;
    let x = 0;
    for (let c = 0; c < k; c++) x += p[uBase + c] * (q[iBase + c] - q[jBase + c]);
    if (bias !== undefined) x += bias[i] - bias[j];
    // −ln σ(x) = ln(1 + e^{−x}) and z = σ(−x), both computed stably.
    let z: number;
    if (x >= 0) {
      const e = Math.exp(-x);
      z = e / (1 + e);
      loss += Math.log1p(e);
    } else {
      const e = Math.exp(x);
      z = 1 / (1 + e);
      loss += -x + Math.log1p(e);
    }
    if (gradient === undefined) continue;
    const gu = gradient.users;
    const gq = gradient.items;
    for (let c = 0; c < k; c++) {
      const pu = p[uBase + c];
      gu[uBase + c] -= z * (q[iBase + c] - q[jBase + c]);
      gq[iBase + c] -= z * pu;
      gq[jBase + c] += z * pu;
    }
  }
  return loss;
}
