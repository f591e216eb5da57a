import { CsrMatrix, TopKSelector, TrustRecError } from '@trustrec/core-linalg';
import { BaseRecommender } from '../recommender/base-recommender.js';
import type { FitOptions, FitReport, ModelDescription, ModelReference } from '../recommender/recommender.js';
import { type HyperParameterSpec, resolveHyperParameters } from '../registry/hyper-parameters.js';
import type { ModelEntry } from '../registry/model-registry.js';
import {
  type DecodedModel,
  encodeModel,
  requireStoredArray,
  requireStoredCount,
} from '../serialization/model-format.js';
import { runEpochs } from '../training/training-loop.js';

export type ItemKnnHyperParameters = {
  /** Neighbours kept per item (top-N by similarity). */
  readonly neighbours: number;
  /** Shrinkage h: sim(i, j) = ⟨r_i, r_j⟩ / (‖r_i‖‖r_j‖ + h). */
  readonly shrinkage: number;
};

export const ITEM_KNN_DEFAULTS: ItemKnnHyperParameters = Object.freeze({ neighbours: 100, shrinkage: 0 });
const SPECS: { readonly [K in keyof ItemKnnHyperParameters]: HyperParameterSpec } = {
  neighbours: { type: 'integer', min: 1 },
  shrinkage: { type: 'number', min: 0 },
};

export const ITEM_KNN_REFERENCE: ModelReference = {
  citation:
    'Sarwar, Karypis, Konstan, Riedl. Item-based Collaborative Filtering Recommendation Algorithms. WWW 2001 (cosine similarity with shrinkage, top-N neighbours)',
  equations:
    "sim(i, j) = Σ_u r_ui r_uj / (‖r_i‖‖r_j‖ + h); score(u, j) = Σ_{i∈I_u} r_ui sim(i, j) over i's top-N neighbours",
};

/**
 * Item-based k-nearest-neighbours with cosine similarity and shrinkage: the similarity matrix keeps each item's
 * top-N neighbours (a sparse items × items CSR); a user's score for item j sums the similarities of j to the
 * items the user interacted with, weighted by the interaction values. Keeps the training rows (needed to score).
 */
export class ItemKnn extends BaseRecommender {
  readonly name = 'itemknn';
  readonly hyperParameters: ItemKnnHyperParameters;
  private similarity: CsrMatrix | undefined;
  private history: CsrMatrix | undefined;

  constructor(hyperParameters: Readonly<Record<string, unknown>> = {}) {
    super();
    this.hyperParameters = resolveHyperParameters('itemknn', ITEM_KNN_DEFAULTS, SPECS, hyperParameters);
  }

  /** The neighbour matrix (row i: i's neighbours and similarities), after fit. */
  get similarityMatrix(): CsrMatrix {
    this.requireFitted('similarityMatrix');
    return this.similarity as CsrMatrix;
  }

  async fit(train: CsrMatrix, options?: FitOptions): Promise<FitReport> {
    this.checkTrain(train, options);
    this.numUsers = train.numRows;
    this.numItems = train.numColumns;
    return runEpochs({
      model: this,
      epochs: 1,
      backend: 'typed-array',
      fit: options,
      runEpoch: () => {
        this.similarity = computeItemSimilarity(train, this.hyperParameters.neighbours, this.hyperParameters.shrinkage);
        this.history = train;
        this.fitted = true;
        return { loss: Number.NaN, samples: train.nnz, learningRate: Number.NaN };
      },
    });
  }

  scoreUser(user: number, out?: Float32Array): Float32Array {
    this.requireFitted('scoreUser');
    this.checkUser('scoreUser', user);
    const result = this.outputBuffer('scoreUser', this.numItems, out);
    result.fill(0);
    const history = this.history as CsrMatrix;
    const similarity = this.similarity as CsrMatrix;
    const { indptr, indices, values } = similarity;
    for (let p = history.indptr[user]; p < history.indptr[user + 1]; p++) {
      const item = history.indices[p];
      const weight = history.values[p];
      for (let q = indptr[item]; q < indptr[item + 1]; q++) result[indices[q]] += weight * values[q];
    }
    return result;
  }

  save(): Uint8Array {
    this.requireFitted('save');
    const similarity = this.similarity as CsrMatrix;
    const history = this.history as CsrMatrix;
    return encodeModel({
      model: this.name,
      modelVersion: 1,
      hyperParameters: this.hyperParameters,
      state: { numUsers: this.numUsers, numItems: this.numItems },
      arrays: {
        similarityIndptr: similarity.indptr,
        similarityIndices: similarity.indices,
        similarityValues: similarity.values,
        historyIndptr: history.indptr,
        historyIndices: history.indices,
        historyValues: history.values,
      },
    });
  }

  static load(decoded: DecodedModel): ItemKnn {
    const model = new ItemKnn(decoded.header.hyperParameters);
    model.restoreState(decoded);
    return model;
  }

  protected restoreState(decoded: DecodedModel): void {
    const numUsers = requireStoredCount(decoded, 'numUsers');
    const numItems = requireStoredCount(decoded, 'numItems');
    const similarity = storedCsr(
      'similarity',
      numItems,
      numItems,
      requireStoredArray(decoded, 'similarityIndptr', Int32Array, numItems + 1),
      requireStoredArray(decoded, 'similarityIndices', Int32Array),
      requireStoredArray(decoded, 'similarityValues', Float32Array),
    );
    const history = storedCsr(
      'history',
      numUsers,
      numItems,
      requireStoredArray(decoded, 'historyIndptr', Int32Array, numUsers + 1),
      requireStoredArray(decoded, 'historyIndices', Int32Array),
      requireStoredArray(decoded, 'historyValues', Float32Array),
    );
    this.numUsers = numUsers;
    this.numItems = numItems;
    this.similarity = similarity;
    this.history = history;
    this.fitted = true;
  }

  describe(): ModelDescription {
    return {
      name: this.name,
      displayName: 'ItemKNN (cosine)',
      hyperParameters: this.hyperParameters,
      reference: ITEM_KNN_REFERENCE,
      backend: 'typed-array',
      fitted: this.fitted,
      numUsers: this.numUsers,
      numItems: this.numItems,
    };
  }
}

/** A CSR matrix read from a saved file: a malformed one (the CsrMatrix checks) is `E_FORMAT`, naming the array. */
function storedCsr(
  name: string,
  numRows: number,
  numColumns: number,
  indptr: Int32Array,
  indices: Int32Array,
  values: Float32Array,
): CsrMatrix {
  try {
    return new CsrMatrix(numRows, numColumns, indptr, indices, values);
  } catch (cause) {
    if (!TrustRecError.isInstance(cause)) throw cause;
    throw new TrustRecError({
      code: 'E_FORMAT',
      message: `loadModel: model 'itemknn' has a malformed ${name} matrix (${cause.message}); the file is damaged or was not written by save()`,
      cause,
    });
  }
}

/**
 * Cosine item–item similarity with shrinkage, top-N per item (self excluded), as a CSR matrix with each row's
 * neighbours in ascending index order. Co-occurrences are accumulated per item through the item's users
 * (Σ_u n_u² work), one dense accumulator row reused.
 */
export function computeItemSimilarity(train: CsrMatrix, neighbours: number, shrinkage: number): CsrMatrix {
  const numItems = train.numColumns;
  const itemMajor = train.transpose();
  const norms = new Float64Array(numItems);
  for (let i = 0; i < numItems; i++) {
    let sum = 0;
    for (let p = itemMajor.indptr[i]; p < itemMajor.indptr[i + 1]; p++)
      sum += itemMajor.values[p] * itemMajor.values[p];
    norms[i] = Math.sqrt(sum);
  }
  const accumulator = new Float64Array(numItems);
  const touched = new Int32Array(numItems);
  const candidates = new Float32Array(numItems);
  const selector = new TopKSelector(numItems);
  const kept = Math.min(neighbours, Math.max(0, numItems - 1));
  const indptr = new Int32Array(numItems + 1);
  const indices = new Int32Array(numItems * kept);
  const values = new Float32Array(numItems * kept);
  let nnz = 0;
  const exclude = new Int32Array(1);
  for (let i = 0; i < numItems; i++) {
    let touchedCount = 0;
    for (let p = itemMajor.indptr[i]; p < itemMajor.indptr[i + 1]; p++) {
      const user = itemMajor.indices[p];
      const weight = itemMajor.values[p];
      for (let q = train.indptr[user]; q < train.indptr[user + 1]; q++) {
        const j = train.indices[q];
        if (accumulator[j] === 0) touched[touchedCount++] = j;
        accumulator[j] += weight * train.values[q];
      }
    }
    candidates.fill(Number.NEGATIVE_INFINITY);
    let positive = 0;
    for (let t = 0; t < touchedCount; t++) {
      const j = touched[t];
      if (j !== i && accumulator[j] !== 0) {
        candidates[j] = accumulator[j] / (norms[i] * norms[j] + shrinkage);
        positive++;
      }
      accumulator[j] = 0;
    }
    exclude[0] = i;
    const top = selector.select(candidates, Math.min(kept, positive), exclude);
    const order = Array.from(top.indices).sort((a, b) => a - b);
    for (const j of order) {
      indices[nnz] = j;
      values[nnz] = candidates[j];
      nnz++;
    }
    indptr[i + 1] = nnz;
  }
  return new CsrMatrix(numItems, numItems, indptr, indices.slice(0, nnz), values.slice(0, nnz));
}

export const itemKnnModelEntry: ModelEntry = {
  name: 'itemknn',
  displayName: 'ItemKNN (cosine)',
  summary: 'Item-based nearest neighbours: cosine similarity with shrinkage, top-N neighbours per item',
  kind: 'neighbourhood',
  feedback: 'implicit',
  reference: ITEM_KNN_REFERENCE,
  defaults: ITEM_KNN_DEFAULTS,
  hyperParameterDocs: {
    neighbours: { description: 'neighbours kept per item', range: 'integer ≥ 1' },
    shrinkage: { description: 'shrinkage h added to the cosine denominator', range: '[0, ∞)' },
  },
  create: (hyperParameters) => new ItemKnn(hyperParameters),
  load: (decoded) => ItemKnn.load(decoded),
};
