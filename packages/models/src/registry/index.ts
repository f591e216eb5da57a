export { createDefaultModelRegistry, defaultModelRegistry, loadModel } from './default-registry.js';
export { resolveHyperParameters } from './hyper-parameters.js';
export type { HyperParameterSpec } from './hyper-parameters.js';
export { ModelRegistry } from './model-registry.js';
export type { HyperParameterDoc, ModelEntry } from './model-registry.js';
