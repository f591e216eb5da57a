import { rejectUnknownOptions } from '@trustrec/core-linalg';
import type { Rng } from '@trustrec/core-linalg';
import { type Split, type SplitSource, describeSplit, partitionEntries } from './split.js';
import { holdoutRatios, splitRng } from './split-options.js';

const OPTION_NAMES = ['seed', 'rng', 'testRatio', 'validationRatio'];

export interface RandomSplitOptions {
  readonly seed?: number;
  readonly rng?: Rng;
  /** Share of all interactions in test (default 0.2). */
  readonly testRatio?: number;
  /** Share of all interactions in validation (default 0). */
  readonly validationRatio?: number;
}

/** Global random split: exactly round(nnz·testRatio) entries (a seeded uniform subset) go to test. */
export function randomSplit(source: SplitSource, options: RandomSplitOptions): Split {
  const where = 'randomSplit';
  rejectUnknownOptions(where, options, OPTION_NAMES);
  const { rng, seed } = splitRng(where, options);
  const { testRatio, validationRatio } = holdoutRatios(where, options);
  const nnz = source.interactions.nnz;
  const permutation = new Int32Array(nnz);
  for (let p = 0; p < nnz; p++) permutation[p] = p;
  const testCount = Math.round(nnz * testRatio);
  const validationCount = Math.round(nnz * validationRatio);
  const draw = rng.fork('random-split');
  for (let t = 0; t < testCount + validationCount; t++) {
    const j = t + draw.nextInt(nnz - t);
    const held = permutation[t];
    permutation[t] = permutation[j];
    permutation[j] = held;
  }
  const parts = new Uint8Array(nnz);
  for (let t = 0; t < testCount; t++) parts[permutation[t]] = 1;
  for (let t = testCount; t < testCount + validationCount; t++) parts[permutation[t]] = 2;
  const [train, test, validation] = partitionEntries(source.interactions, parts, 3);
  const matrices = { train, test, validation: validationRatio > 0 ? validation : undefined };
  return {
    ...matrices,
    description: describeSplit('random', source, matrices, { testRatio, validationRatio }, [], seed),
  };
}
