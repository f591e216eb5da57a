export { uniformFullPrecision } from './full-precision-uniform.js';
export { laplaceMechanism, laplaceScale, sampleLaplace, snappingParameters } from './laplace.js';
export type { LaplaceMechanismOptions, SnappingParameters } from './laplace.js';
export {
  gaussianDelta,
  gaussianEpsilon,
  gaussianMechanism,
  gaussianSigmaAnalytic,
  gaussianSigmaClassic,
} from './gaussian.js';
export type { GaussianMechanismOptions } from './gaussian.js';
export {
  binaryRandomizedResponseProbability,
  estimateBinaryFrequency,
  estimateKaryFrequencies,
  karyRandomizedResponseProbabilities,
  randomizedResponseBinary,
  randomizedResponseKary,
} from './randomized-response.js';
export { exponentialMechanism, exponentialMechanismProbabilities } from './exponential.js';
export { addGaussianNoiseInPlace, addLaplaceNoiseInPlace } from './vector-noise.js';
