import {
  type CsrMatrix,
  type Rng,
  argumentError,
  requireInteger,
  shapeError,
  toRng,
  rejectUnknownOptions,
} from '@trustrec/core-linalg';
import { rejectSeedAndRng } from '../splits/split-options.js';
import type { SampledCandidates } from '../splits/split.js';

export interface SampleTestCandidatesOptions {
  /** Negatives per positive (default 99: the NCF/APR protocol). */
  readonly numNegatives?: number;
  readonly seed?: number;
  readonly rng?: Rng;
}

/**
 * Fixed candidates for sampled evaluation (He et al., NCF, WWW 2017, §4.1): for every test entry (user, item), one
 * row of 1 + numNegatives items, the positive first, then distinct negatives drawn uniformly from the items the
 * user has in neither train nor test. Rows follow test entries in CSR order.
 */
export function sampleTestCandidates(
  train: CsrMatrix,
  test: CsrMatrix,
  options: SampleTestCandidatesOptions,
): SampledCandidates {
  const where = 'sampleTestCandidates';
  rejectUnknownOptions(where, options, ['numNegatives', 'seed', 'rng']);
  rejectSeedAndRng(where, options);
  if (train.numRows !== test.numRows || train.numColumns !== test.numColumns) {
    throw shapeError(
      where,
      `train is ${train.numRows}×${train.numColumns}, test is ${test.numRows}×${test.numColumns}`,
    );
  }
  const numNegatives = options.numNegatives ?? 99;
  requireInteger(where, 'numNegatives', numNegatives, 0);
  if (options.seed === undefined && !options.rng)
    throw argumentError(where, 'seed (or rng) is required', { option: 'seed' });
  const rng = options.rng ?? toRng(options.seed as number);
  const numCandidates = numNegatives + 1;
  const rows = test.nnz;
  const users = new Int32Array(rows);
  const items = new Int32Array(rows * numCandidates);
  const numItems = train.numColumns;
  const chosen = new Uint8Array(numItems);
  const marked: number[] = [];
  let row = 0;
  for (let u = 0; u < test.numRows; u++) {
    const testStart = test.indptr[u];
    const testEnd = test.indptr[u + 1];
    if (testStart === testEnd) continue;
    for (let p = train.indptr[u]; p < train.indptr[u + 1]; p++) chosen[train.indices[p]] = 1;
    for (let p = testStart; p < testEnd; p++) chosen[test.indices[p]] = 1;
    let excluded = 0;
    for (let item = 0; item < numItems; item++) excluded += chosen[item];
    if (numItems - excluded < numNegatives) {
      throw argumentError(
        where,
        `user ${u} has only ${numItems - excluded} items outside train and test, needs ${numNegatives} negatives`,
        { option: 'numNegatives', user: u },
      );
    }
    for (let p = testStart; p < testEnd; p++) {
      users[row] = u;
      const base = row * numCandidates;
      items[base] = test.indices[p];
      for (let t = 1; t <= numNegatives; t++) {
        let item = rng.nextInt(numItems);
        while (chosen[item]) item = rng.nextInt(numItems);
        chosen[item] = 1;
        marked.push(item);
        items[base + t] = item;
      }
      for (const item of marked) chosen[item] = 0;
      marked.length = 0;
      row++;
    }
    for (let p = train.indptr[u]; p < train.indptr[u + 1]; p++) chosen[train.indices[p]] = 0;
    for (let p = testStart; p < testEnd; p++) chosen[test.indices[p]] = 0;
  }
  return { users, items, numCandidates };
}
