import { describe, expect, it } from 'vitest';
import * as api from '../index.js';
import * as ncf from './index.js';

/** The NCF family's public names (src/index.ts re-exports each; src/exports.test.ts pins the rest). */
const NCF_EXPORTS = [
  'GMF_DEFAULTS',
  'Gmf',
  'MLP_DEFAULTS',
  'Mlp',
  'NCF_REFERENCE',
  'NEUMF_DEFAULTS',
  'NcfInstanceSampler',
  'NcfNetwork',
  'NcfRecommender',
  'NeuMf',
  'SimdTowerKernels',
  'TypedArrayTowerKernels',
  'buildSimdGemmModuleBytes',
  'createTowerKernels',
  'gmfModelEntry',
  'gmfParametersFromLogisticMf',
  'initializeFromPretrained',
  'isSimdGemmAvailable',
  'mlpModelEntry',
  'neumfModelEntry',
  'referenceTowerLayers',
];

describe('NCF public API', () => {
  it('the ncf barrel exports exactly the pinned names, and the package entry re-exports each', () => {
    expect(Object.keys(ncf).sort()).toEqual([...NCF_EXPORTS].sort());
    for (const name of NCF_EXPORTS)
      expect((api as Record<string, unknown>)[name], name).toBe((ncf as Record<string, unknown>)[name]);
  });

  it('the default registry creates and restores the NCF models', async () => {
    const registry = api.createDefaultModelRegistry();
    for (const name of ['gmf', 'mlp', 'neumf']) expect(registry.get(name).kind).toBe('neural');
    const model = registry.create('gmf', { epochs: 1, factors: 4 });
    expect(model).toBeInstanceOf(ncf.Gmf);
  });
});
