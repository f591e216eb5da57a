// @trustrec/privacy-dp — the public API. Every name other packages may use is listed here.
export const PACKAGE_NAME = '@trustrec/privacy-dp';

export {
  addGaussianNoiseInPlace,
  addLaplaceNoiseInPlace,
  binaryRandomizedResponseProbability,
  estimateBinaryFrequency,
  estimateKaryFrequencies,
  exponentialMechanism,
  exponentialMechanismProbabilities,
  gaussianDelta,
  gaussianEpsilon,
  gaussianMechanism,
  gaussianSigmaAnalytic,
  gaussianSigmaClassic,
  karyRandomizedResponseProbabilities,
  laplaceMechanism,
  laplaceScale,
  randomizedResponseBinary,
  randomizedResponseKary,
  sampleLaplace,
  snappingParameters,
  uniformFullPrecision,
} from './mechanisms/index.js';
export type { GaussianMechanismOptions, LaplaceMechanismOptions, SnappingParameters } from './mechanisms/index.js';

export {
  DEFAULT_RDP_ORDERS,
  RdpAccountant,
  advancedComposition,
  basicComposition,
  calibrateNoiseMultiplier,
  computeSampledGaussianEpsilon,
  epsilonAtOrder,
  maxStepsForBudget,
  rdpLaplace,
  rdpSampledGaussian,
  rdpSampledGaussianCurve,
  rdpToDelta,
  rdpToEpsilon,
} from './accountant/index.js';
export type {
  AccountedEpsilon,
  NoiseCalibration,
  PrivacyGuarantee,
  RdpAccountantOptions,
  RdpConversion,
  RdpEpsilon,
  RdpEvent,
  SampledGaussianRun,
} from './accountant/index.js';

export {
  bisect,
  erf,
  erfc,
  logAddExp,
  logBinomial,
  logErfc,
  logGamma,
  logNormalCdf,
  logSubExp,
  logSumExp,
  normalCdf,
} from './math/index.js';
