import { type Rng, argumentError, optionNames, rejectUnknownOptions } from '@trustrec/core-linalg';
import { requireFloatVector, requirePositive, requireRng } from '../internal/validate.js';
import { sampleLaplaceUnchecked } from './laplace.js';

interface VectorRange {
  /** First element to perturb (default 0). */
  offset?: number;
  /** Number of elements to perturb (default: to the end of the array). */
  length?: number;
}

const GAUSSIAN_NOISE_OPTIONS = optionNames<{ standardDeviation: number; rng: Rng } & VectorRange>({
  standardDeviation: true,
  rng: true,
  offset: true,
  length: true,
});
const LAPLACE_NOISE_OPTIONS = optionNames<{ scale: number; rng: Rng } & VectorRange>({
  scale: true,
  rng: true,
  offset: true,
  length: true,
});

/**
 * `[start, end)` of the range `range` selects in `vector`; E_ARGUMENT naming `offset` when the offset is not an
 * integer in [0, vector.length], else naming `length` when the length is not an integer that keeps the range
 * inside the vector.
 */
function resolveRange(where: string, vector: Float32Array | Float64Array, range: VectorRange): [number, number] {
  const offset = range.offset ?? 0;
  if (!Number.isInteger(offset) || offset < 0 || offset > vector.length) {
    throw argumentError(
      where,
      `offset must be an integer in [0, ${vector.length}] (the first element to perturb in the vector of length ${vector.length}), got ${offset}`,
      { option: 'offset', value: offset },
    );
  }
  const length = range.length ?? vector.length - offset;
  if (!Number.isInteger(length) || length < 0 || offset + length > vector.length) {
    throw argumentError(
      where,
      `length must be an integer in [0, ${vector.length - offset}] (the elements left after offset ${offset} in the vector of length ${vector.length}), got ${length}`,
      { option: 'length', value: length },
    );
  }
  return [offset, offset + length];
}

/**
 * Adds i.i.d. N(0, σ²) noise to `vector[offset .. offset+length)` in place (no allocation) — the noise step of
 * DP-SGD (Abadi et al. 2016, Alg. 1), where σ = noise multiplier × L2 clipping norm and the vector is the sum of
 * clipped per-example gradients. Guarantee: the Gaussian mechanism for L2 sensitivity = clipping norm; account
 * for it with {@link RdpAccountant}. Noise is drawn in double precision and rounded once into a Float32Array.
 * The options are checked once per call: an unknown option name (a misspelt `offset` would perturb the whole
 * vector) is E_CONFIG, bad values E_ARGUMENT.
 */
export function addGaussianNoiseInPlace(
  vector: Float32Array | Float64Array,
  options: { standardDeviation: number; rng: Rng } & VectorRange,
): Float32Array | Float64Array {
  const where = 'addGaussianNoiseInPlace';
  requireFloatVector(where, vector);
  rejectUnknownOptions(where, options, GAUSSIAN_NOISE_OPTIONS);
  requirePositive(where, 'standardDeviation', options.standardDeviation);
  requireRng(where, options.rng);
  const [start, end] = resolveRange(where, vector, options);
  const { rng, standardDeviation } = options;
  for (let i = start; i < end; i++) vector[i] += rng.normal(0, standardDeviation);
  return vector;
}

/**
 * Adds i.i.d. Laplace(0, b) noise to `vector[offset .. offset+length)` in place, b = L1 sensitivity / ε (the
 * vector Laplace mechanism, Dwork & Roth 2014, Def. 3.3: ε-DP for a vector query with that L1 sensitivity).
 * Uses the full-precision sampler {@link sampleLaplace}; for released scalars prefer the snapping
 * {@link laplaceMechanism}. Options are checked once per call as in {@link addGaussianNoiseInPlace}.
 */
export function addLaplaceNoiseInPlace(
  vector: Float32Array | Float64Array,
  options: { scale: number; rng: Rng } & VectorRange,
): Float32Array | Float64Array {
  const where = 'addLaplaceNoiseInPlace';
  requireFloatVector(where, vector);
  rejectUnknownOptions(where, options, LAPLACE_NOISE_OPTIONS);
  requirePositive(where, 'scale', options.scale);
  requireRng(where, options.rng);
  const [start, end] = resolveRange(where, vector, options);
  const { rng, scale } = options;
  for (let i = start; i < end; i++) vector[i] += sampleLaplaceUnchecked(rng, scale);
  return vector;
}
