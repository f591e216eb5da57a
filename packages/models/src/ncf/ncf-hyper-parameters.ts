import type { ModelReference } from '../recommender/recommender.js';
import type { HyperParameterDoc } from '../registry/model-registry.js';
import type { HyperParameterSpec } from '../registry/hyper-parameters.js';

/** Hyper-parameters every NCF model has (defaults: the NCF paper's, §4.1, and its reference code). */
export type NcfCommonHyperParameters = {
  /** Passes over the training positives (each with `negatives` fresh negatives). */
  readonly epochs: number;
  readonly learningRate: number;
  /** Instances (positives and negatives together) per optimiser step; the loss is the batch mean. */
  readonly batchSize: number;
  /** Sampled negatives per positive, uniform over the user's non-interacted items. */
  readonly negatives: number;
  /**
   * λ of the L2 penalty λ‖θ‖² on the embedding rows of each batch (the reference code's `reg_mf` /
   * `reg_layers[0]`; its README suggests tuning it for large predictive factors). 0 = none, the paper's default.
   */
  readonly regularization: number;
  /** `auto`: Adam, or plain SGD when NeuMF starts from pre-trained GMF/MLP (§3.4.1). */
  readonly optimizer: 'auto' | 'adam' | 'sgd';
  /** Tower kernels: `auto` = WebAssembly SIMD where available, else typed-array loops. */
  readonly kernels: 'auto' | 'wasm-simd' | 'typed-array';
  readonly seed: number;
};

export type GmfHyperParameters = NcfCommonHyperParameters & {
  /** Predictive factors: the GMF embedding size. */
  readonly factors: number;
};

export type MlpHyperParameters = NcfCommonHyperParameters & {
  /** Tower widths; layers[0] is the concatenated embedding width (layers[0] / 2 per side). */
  readonly layers: readonly number[];
};

export type NeuMfHyperParameters = NcfCommonHyperParameters & {
  readonly factors: number;
  /** Tower widths; when not given, {@link referenceTowerLayers} of `factors` (the paper's NeuMF scales both halves). */
  readonly layers: readonly number[];
  /** Epochs of GMF and MLP pre-training before NeuMF (0 = random initialisation); of the MLP only with `logistic-mf`. */
  readonly pretrainEpochs: number;
  /**
   * How the GMF part is pre-trained: `gmf`, a GMF trained `pretrainEpochs` epochs with Adam (the paper, §3.4.1);
   * `logistic-mf`, a logistic MF (Rendle et al. 2020) with `factors − 2` factors and its own defaults, turned
   * exactly into a GMF with `factors` factors (`gmfParametersFromLogisticMf`). The MLP is pre-trained as
   * before in both cases.
   */
  readonly gmfPretraining: 'gmf' | 'logistic-mf';
  /** Trade-off α between pre-trained GMF and MLP output weights (eq. 13). */
  readonly alpha: number;
};

/**
 * The reference code's MLP tower for F predictive factors: [8F, 4F, 2F, F] — user and item embeddings of 4F
 * each, then three ReLU layers halving down to F (its default [64, 32, 16, 8] is F = 8; the paper's "three
 * hidden layers" ending in the predictive factors, §4.1). NeuMF's default tower for its `factors`.
 */
export function referenceTowerLayers(factors: number): readonly number[] {
  return Object.freeze([8 * factors, 4 * factors, 2 * factors, factors]);
}

const COMMON_DEFAULTS: NcfCommonHyperParameters = {
  epochs: 20,
  learningRate: 0.001,
  batchSize: 256,
  negatives: 4,
  regularization: 0,
  optimizer: 'auto',
  kernels: 'auto',
  seed: 42,
};

export const GMF_DEFAULTS: GmfHyperParameters = Object.freeze({ ...COMMON_DEFAULTS, factors: 8 });
export const MLP_DEFAULTS: MlpHyperParameters = Object.freeze({
  ...COMMON_DEFAULTS,
  layers: Object.freeze([64, 32, 16, 8]),
});
export const NEUMF_DEFAULTS: NeuMfHyperParameters = Object.freeze({
  ...COMMON_DEFAULTS,
  factors: 8,
  layers: referenceTowerLayers(8),
  pretrainEpochs: 0,
  gmfPretraining: 'gmf',
  alpha: 0.5,
});

const COMMON_SPECS: { readonly [K in keyof NcfCommonHyperParameters]: HyperParameterSpec } = {
  epochs: { type: 'integer', min: 0 },
  learningRate: { type: 'number', min: 0, exclusiveMin: true },
  batchSize: { type: 'integer', min: 1, max: 1 << 20 },
  negatives: { type: 'integer', min: 0, max: 1000 },
  regularization: { type: 'number', min: 0 },
  optimizer: { type: 'enum', values: ['auto', 'adam', 'sgd'] },
  kernels: { type: 'enum', values: ['auto', 'wasm-simd', 'typed-array'] },
  seed: { type: 'integer', min: 0 },
};

export const GMF_SPECS: { readonly [K in keyof GmfHyperParameters]: HyperParameterSpec } = {
  ...COMMON_SPECS,
  factors: { type: 'integer', min: 1, max: 4096 },
};
export const MLP_SPECS: { readonly [K in keyof MlpHyperParameters]: HyperParameterSpec } = {
  ...COMMON_SPECS,
  layers: { type: 'integer-list', min: 1 },
};
export const NEUMF_SPECS: { readonly [K in keyof NeuMfHyperParameters]: HyperParameterSpec } = {
  ...COMMON_SPECS,
  factors: { type: 'integer', min: 1, max: 4096 },
  layers: { type: 'integer-list', min: 1 },
  pretrainEpochs: { type: 'integer', min: 0 },
  gmfPretraining: { type: 'enum', values: ['gmf', 'logistic-mf'] },
  alpha: { type: 'number', min: 0, max: 1 },
};

export const NCF_REFERENCE: ModelReference = {
  citation: 'He, Liao, Zhang, Nie, Hu, Chua. Neural Collaborative Filtering. WWW 2017',
  equations: 'BCE loss eq. 7; GMF eq. 8–9; MLP eq. 10; NeuMF eq. 12; pre-training eq. 13 (§3.4.1)',
  seed: '004',
  url: 'https://doi.org/10.1145/3038912.3052569',
};

const COMMON_DOCS: Readonly<Record<keyof NcfCommonHyperParameters, HyperParameterDoc>> = {
  epochs: { description: 'passes over the training positives', range: 'integer ≥ 0' },
  learningRate: { description: 'step size η (Adam or SGD)', range: '(0, ∞)' },
  batchSize: { description: 'instances per optimiser step (mean BCE)', range: 'integer ≥ 1' },
  negatives: { description: 'uniform negatives per positive, re-drawn each epoch', range: 'integer ≥ 0' },
  regularization: {
    description: 'L2 penalty λ‖θ‖² on the embedding rows of each batch (reg_mf / reg_layers[0] of the reference code)',
    range: '[0, ∞)',
  },
  optimizer: {
    description: 'adam (lazy on embeddings) or sgd; auto = adam, sgd after pre-training',
    range: 'auto | adam | sgd',
  },
  kernels: {
    description: 'tower kernels: WebAssembly SIMD or typed-array loops',
    range: 'auto | wasm-simd | typed-array',
  },
  seed: { description: 'seed of initialisation, negatives and shuffling', range: 'integer ≥ 0' },
};

export const GMF_DOCS: Readonly<Record<string, HyperParameterDoc>> = {
  ...COMMON_DOCS,
  factors: { description: 'predictive factors (GMF embedding size)', range: 'integer ≥ 1' },
};
export const MLP_DOCS: Readonly<Record<string, HyperParameterDoc>> = {
  ...COMMON_DOCS,
  layers: { description: 'tower widths; first = concatenated embedding width (even)', range: 'list of integers ≥ 1' },
};
export const NEUMF_DOCS: Readonly<Record<string, HyperParameterDoc>> = {
  ...COMMON_DOCS,
  factors: GMF_DOCS.factors,
  layers: {
    description: `${MLP_DOCS.layers.description}; default [8F, 4F, 2F, F] for F = factors (the reference code's tower)`,
    range: MLP_DOCS.layers.range,
  },
  pretrainEpochs: {
    description: 'epochs of GMF and MLP pre-training (0 = none); of the MLP only with gmfPretraining logistic-mf',
    range: 'integer ≥ 0',
  },
  gmfPretraining: {
    description:
      "GMF part's pre-training: gmf = a GMF with Adam (the paper); logistic-mf = a logistic MF with factors − 2 factors and the mf defaults, converted exactly (needs pretrainEpochs ≥ 1 for the MLP and factors ≥ 3)",
    range: 'gmf | logistic-mf',
  },
  alpha: {
    description:
      'weight of the pre-trained GMF output layer (eq. 13); the paper uses 0.5, 0.85 validated on ml-1m-ncf with a logistic-MF GMF part (Gmf.fromLogisticMf)',
    range: '[0, 1]',
  },
};
