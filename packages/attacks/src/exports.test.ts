import { describe, expect, it } from 'vitest';
import * as attacks from './index.js';

describe('@trustrec/attacks public API', () => {
  it('exports exactly these runtime names', () => {
    expect(Object.keys(attacks).sort()).toEqual(
      [
        'APR_PAPER',
        'BIM_PAPER',
        'DEFAULT_BIM_STEPS',
        'DEFAULT_BIM_STEP_FRACTION',
        'FactorSnapshotModel',
        'PACKAGE_NAME',
        'PERTURBATION_ATTACKS',
        'assertDotProductScoring',
        'bimPerturbation',
        'bprLossGradient',
        'cloneFactorModel',
        'describeBimPerturbation',
        'describeFgsmPerturbation',
        'describeRandomPerturbation',
        'evaluateUnderAttack',
        'fgsmPerturbation',
        'randomPerturbation',
        'relativeDrop',
        'sampleBprTriples',
      ].sort(),
    );
  });
});
