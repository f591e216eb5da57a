import { CsrMatrix } from '@trustrec/core-linalg';
import { type Split, sampleTestCandidates, validationSplit } from '@trustrec/datasets';

/** What `trustrec train --validate <seed>` trains and evaluates on instead of the split's own train and test. */
export interface ValidationHoldout {
  /** `train` = the training set minus the held-out interactions, `test` = the held-out interactions. */
  readonly split: Split;
  readonly description: string;
}

/**
 * A validation split carved from `split.train` for tuning without reading the test metrics: one random training
 * interaction per user is held out (users with fewer than two keep all of theirs), seeded by `seed`. For the
 * sampled protocol each held-out item gets 99 negatives, drawn with the same seed from the items the user has in
 * neither the training nor the test set, as the published ml-1m-ncf negatives are. With full ranking, the
 * training interactions that remain are excluded and everything else, the user's test item included, is ranked.
 */
export function validationHoldout(split: Split, protocol: 'full' | 'sampled', seed: number): ValidationHoldout {
  const carved = validationSplit(split, { method: 'leave-one-out', seed });
  const heldOut = carved.validation as CsrMatrix;
  const candidates =
    protocol === 'sampled'
      ? sampleTestCandidates(unionOf(split.train, split.test), heldOut, { numNegatives: 99, seed })
      : undefined;
  return {
    split: { train: carved.train, test: heldOut, candidates, description: carved.description },
    description: `validation carved from the training set (one random training interaction per user held out, seed ${seed}); the test set is not evaluated`,
  };
}

/** The entries of a and b (same shape) as one implicit matrix: every (row, column) stored in either, value 1. */
function unionOf(a: CsrMatrix, b: CsrMatrix): CsrMatrix {
  const rows = new Int32Array(a.nnz + b.nnz);
  const columns = new Int32Array(a.nnz + b.nnz);
  let at = 0;
  for (const matrix of [a, b]) {
    for (let row = 0; row < matrix.numRows; row++) {
      for (let p = matrix.indptr[row]; p < matrix.indptr[row + 1]; p++) {
        rows[at] = row;
        columns[at] = matrix.indices[p];
        at++;
      }
    }
  }
  return CsrMatrix.fromCoo(
    { rows, columns },
    { numRows: a.numRows, numColumns: a.numColumns, duplicates: 'keep-first' },
  );
}
