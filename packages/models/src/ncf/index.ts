export { Gmf, gmfModelEntry } from './gmf.js';
export { Mlp, mlpModelEntry } from './mlp.js';
export { NeuMf, neumfModelEntry } from './neumf.js';
export { NcfRecommender } from './ncf-recommender.js';
export { NcfNetwork } from './ncf-network.js';
export type { NcfArchitecture, NcfKind, NcfOptimizerSettings } from './ncf-network.js';
export { NcfInstanceSampler } from './ncf-instance-sampler.js';
export type { NcfInstances } from './ncf-instance-sampler.js';
export { initializeFromPretrained } from './ncf-pretraining.js';
export { gmfParametersFromLogisticMf } from './gmf-from-logistic-mf.js';
export type { GmfParameters } from './gmf-from-logistic-mf.js';
export {
  GMF_DEFAULTS,
  MLP_DEFAULTS,
  NCF_REFERENCE,
  NEUMF_DEFAULTS,
  referenceTowerLayers,
} from './ncf-hyper-parameters.js';
export type {
  GmfHyperParameters,
  MlpHyperParameters,
  NcfCommonHyperParameters,
  NeuMfHyperParameters,
} from './ncf-hyper-parameters.js';
export { SimdTowerKernels, TypedArrayTowerKernels, createTowerKernels } from './tower-kernels.js';
export type { TowerKernelName, TowerKernelPreference, TowerKernels } from './tower-kernels.js';
export { buildSimdGemmModuleBytes, isSimdGemmAvailable } from './wasm-simd-gemm.js';
