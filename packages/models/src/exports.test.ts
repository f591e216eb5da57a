import { describe, expect, it } from 'vitest';
import * as api from './index.js';
import * as testing from './testing/index.js';

/** Public names of the contract, training loop and non-NCF models (the NCF family pins its own in src/ncf). */
const CORE_EXPORTS = [
  'ALS_DEFAULTS',
  'ALS_REFERENCE',
  'AdagradOptimizer',
  'AdamOptimizer',
  'AlsWorkspace',
  'BPR_DEFAULTS',
  'BPR_REFERENCE',
  'BaseRecommender',
  'FactorRecommender',
  'IMPLICIT_ALS_DEFAULTS',
  'IMPLICIT_ALS_REFERENCE',
  'ITEM_KNN_DEFAULTS',
  'ITEM_KNN_REFERENCE',
  'LOGISTIC_MF_DEFAULTS',
  'LOGISTIC_MF_REFERENCE',
  'ImplicitAls',
  'InteractionLookup',
  'ItemKnn',
  'MODEL_FORMAT_MAGIC',
  'MODEL_FORMAT_VERSION',
  'MOST_POPULAR_DEFAULTS',
  'MOST_POPULAR_REFERENCE',
  'MatrixFactorizationAls',
  'MatrixFactorizationBpr',
  'MatrixFactorizationLogistic',
  'ModelRegistry',
  'MostPopular',
  'NotFittedError',
  'SgdOptimizer',
  'SparseGradientBatch',
  'UniformNegativeSampler',
  'abortedError',
  'alsModelEntry',
  'bprMargin',
  'bprModelEntry',
  'bprSgdEpoch',
  'checkpoint',
  'clipExampleNorm',
  'clipRowNorm',
  'computeItemSimilarity',
  'configError',
  'createDefaultModelRegistry',
  'createLearningRateSchedule',
  'createOptimizer',
  'createParameterTable',
  'decodeModel',
  'defaultModelRegistry',
  'earlyStopping',
  'encodeModel',
  'encodeNegative',
  'expandRows',
  'gaussianNoise',
  'gramMatrix',
  'implicitAlsModelEntry',
  'isFactorModel',
  'itemKnnModelEntry',
  'loadModel',
  'logisticMfModelEntry',
  'logisticSgdExamples',
  'logisticTrainingExamples',
  'mostPopularModelEntry',
  'observedMeanSquaredError',
  'requireStoredArray',
  'requireStoredNumber',
  'resolveHyperParameters',
  'runEpochs',
  'runGradientEpoch',
  'solveExplicitRows',
  'solveImplicitRowsCg',
  'solveImplicitRowsCholesky',
  'supportsPartialFit',
  'supportsRestore',
  'weightDecay',
];

describe('public API', () => {
  it('exports the contract, training loop and models', () => {
    for (const name of CORE_EXPORTS) expect(api, name).toHaveProperty(name);
    for (const name of CORE_EXPORTS) expect((api as Record<string, unknown>)[name], name).toBeDefined();
  });

  it('@trustrec/models/testing exports the conformance suite and synthetic data', () => {
    expect(Object.keys(testing).sort()).toEqual([
      'createSyntheticInteractions',
      'heldOutRanking',
      'recommenderConformanceSuite',
    ]);
  });

  it('the default registry lists every CLI model', () => {
    expect(api.createDefaultModelRegistry().names().sort()).toEqual([
      'als',
      'bpr',
      'gmf',
      'ials',
      'itemknn',
      'mf',
      'mlp',
      'neumf',
      'pop',
    ]);
  });
});
