import { describe, expect, it } from 'vitest';
import * as defenses from './index.js';

describe('@trustrec/defenses public API', () => {
  it('exports exactly these runtime names', () => {
    expect(Object.keys(defenses).sort()).toEqual(
      [
        'APR_CITATION',
        'APR_DEFAULT_EPSILON',
        'APR_DEFAULT_LAMBDA',
        'APR_TRAINING_DEFAULTS',
        'DISTILLATION_CITATION',
        'DISTILLED_MF_DEFAULTS',
        'DistillationSampler',
        'DistilledMatrixFactorization',
        'PACKAGE_NAME',
        'aprTransform',
        'createDefenseOptimizer',
        'describeApr',
        'describeDistillation',
        'distilledMfModelEntry',
        'isDistillationBatch',
        'ncfGradientModel',
        'pearsonCorrelation',
        'resolveParameterTables',
        'runGradientPhase',
        'scoreAgreement',
        'spearmanCorrelation',
        'trainAdversarialDistilledMf',
        'trainApr',
        'trainDistilledMf',
      ].sort(),
    );
  });
});
