export { DEFAULT_RDP_ORDERS } from './default-orders.js';
export { epsilonAtOrder, rdpToDelta, rdpToEpsilon } from './rdp-conversion.js';
export type { RdpConversion, RdpEpsilon } from './rdp-conversion.js';
export { rdpLaplace, rdpSampledGaussian, rdpSampledGaussianCurve } from './rdp-sampled-gaussian.js';
export { RdpAccountant, computeSampledGaussianEpsilon } from './rdp-accountant.js';
export type { AccountedEpsilon, RdpAccountantOptions, RdpEvent, SampledGaussianRun } from './rdp-accountant.js';
export { calibrateNoiseMultiplier, maxStepsForBudget } from './calibration.js';
export type { NoiseCalibration } from './calibration.js';
export { advancedComposition, basicComposition } from './pure-composition.js';
export type { PrivacyGuarantee } from './pure-composition.js';
export {
  effectiveNoiseMultiplier,
  exactGaussianCompositionDelta,
  exactGaussianCompositionEpsilon,
} from './gaussian-composition.js';
export type { GaussianPhase } from './gaussian-composition.js';
export { pldSampledGaussianDelta, pldSampledGaussianEpsilon } from './pld-accountant.js';
export type { PldEpsilon, PldOptions, SampledGaussianPhase } from './pld-accountant.js';
