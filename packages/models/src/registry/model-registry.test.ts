import { TrustRecError } from '@trustrec/core-linalg';
import { describe, expect, it } from 'vitest';
import { createSyntheticInteractions } from '../testing/synthetic-interactions.js';
import { encodeModel } from '../serialization/model-format.js';
import { createDefaultModelRegistry, loadModel } from './default-registry.js';
import { resolveHyperParameters } from './hyper-parameters.js';

describe('model registry', () => {
  it('lists built-in models with defaults, docs and references, and creates them', () => {
    const registry = createDefaultModelRegistry();
    for (const name of ['bpr', 'pop']) expect(registry.names()).toContain(name);
    for (const entry of registry.list()) {
      expect(entry.reference.citation.length).toBeGreaterThan(10);
      for (const key of Object.keys(entry.defaults))
        expect(entry.hyperParameterDocs[key], `${entry.name}.${key}`).toBeDefined();
      const model = entry.create();
      expect(model.name).toBe(entry.name);
      expect(model.describe().hyperParameters).toEqual(entry.defaults);
    }
  });

  it('unknown names give E_CONFIG listing the known ones; unknown files give E_FORMAT', () => {
    const registry = createDefaultModelRegistry();
    expect(() => registry.get('svd++')).toThrow(/known models: .*bpr/);
    const bytes = encodeModel({ model: 'svd++', modelVersion: 1, hyperParameters: {}, state: {}, arrays: {} });
    try {
      loadModel(bytes);
      throw new Error('expected E_FORMAT');
    } catch (error) {
      expect(TrustRecError.isInstance(error, 'E_FORMAT')).toBe(true);
    }
    expect(() => registry.register(registry.get('bpr'))).toThrow(/already registered/);
  });

  it('loadModel restores a saved model through the registry', async () => {
    const { train } = createSyntheticInteractions({ numUsers: 20, numItems: 15, interactionsPerUser: 4, seed: 1 });
    const model = createDefaultModelRegistry().create('bpr', { factors: 4, epochs: 2 });
    await model.fit(train);
    const restored = loadModel(model.save());
    expect(Array.from(restored.scoreUser(3))).toEqual(Array.from(model.scoreUser(3)));
  });

  it('resolveHyperParameters validates every kind of spec without coercion', () => {
    const defaults = { n: 1, x: 0.5, b: false, e: 'a', l: [1, 2] as readonly number[] };
    const specs = {
      n: { type: 'integer', min: 1 },
      x: { type: 'number', min: 0, exclusiveMin: true, max: 1 },
      b: { type: 'boolean' },
      e: { type: 'enum', values: ['a', 'b'] },
      l: { type: 'integer-list', min: 1 },
    } as const;
    expect(resolveHyperParameters('t', defaults, specs, { n: 3, l: [4] })).toEqual({ ...defaults, n: 3, l: [4] });
    for (const bad of [
      { n: '3' },
      { n: 0 },
      { x: 0 },
      { x: 1.5 },
      { x: Number.NaN },
      { b: 1 },
      { e: 'c' },
      { l: [] },
      { l: [0] },
      { zz: 1 },
    ]) {
      expect(() => resolveHyperParameters('t', defaults, specs, bad), JSON.stringify(bad)).toThrow(/option '/);
    }
  });
});
