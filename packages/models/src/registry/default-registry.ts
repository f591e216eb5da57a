import { implicitAlsModelEntry } from '../als/implicit-als.js';
import { alsModelEntry } from '../als/matrix-factorization-als.js';
import { mostPopularModelEntry } from '../baselines/most-popular.js';
import { itemKnnModelEntry } from '../knn/item-knn.js';
import { bprModelEntry } from '../mf/matrix-factorization-bpr.js';
import { logisticMfModelEntry } from '../mf/matrix-factorization-logistic.js';
import { gmfModelEntry, mlpModelEntry, neumfModelEntry } from '../ncf/index.js';
import type { Recommender } from '../recommender/recommender.js';
import { type ModelEntry, ModelRegistry } from './model-registry.js';

/**
 * Entries registered by default. Built-in models add their entry here; the NCF family (`src/ncf/`) exports
 * its entries and is listed here too.
 */
const builtInEntries: ModelEntry[] = [
  bprModelEntry,
  logisticMfModelEntry,
  alsModelEntry,
  implicitAlsModelEntry,
  neumfModelEntry,
  gmfModelEntry,
  mlpModelEntry,
  itemKnnModelEntry,
  mostPopularModelEntry,
];

/** A fresh registry with every built-in model (add your own with `register`). */
export function createDefaultModelRegistry(): ModelRegistry {
  const registry = new ModelRegistry();
  for (const entry of builtInEntries) registry.register(entry);
  return registry;
}

let shared: ModelRegistry | undefined;

/** The shared default registry (created on first use). */
export function defaultModelRegistry(): ModelRegistry {
  shared ??= createDefaultModelRegistry();
  return shared;
}

/** Restores any model saved with `save()` (dispatching on the name in the file header). */
export function loadModel(bytes: Uint8Array, registry: ModelRegistry = defaultModelRegistry()): Recommender {
  return registry.load(bytes);
}
