import type { CsrMatrix } from '@trustrec/core-linalg';
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

export type MostPopularHyperParameters = {
  /** `count`: number of users who interacted; `sum`: sum of interaction values (ratings). */
  readonly weighting: 'count' | 'sum';
};

export const MOST_POPULAR_DEFAULTS: MostPopularHyperParameters = Object.freeze({ weighting: 'count' });
const SPECS: { readonly [K in keyof MostPopularHyperParameters]: HyperParameterSpec } = {
  weighting: { type: 'enum', values: ['count', 'sum'] },
};

export const MOST_POPULAR_REFERENCE: ModelReference = {
  citation: 'Popularity baseline (ItemPop), as in He et al., Neural Collaborative Filtering, WWW 2017, §4.1',
};

/** Non-personalised baseline: every user gets the same item scores, the item's popularity in the training data. */
export class MostPopular extends BaseRecommender {
  readonly name = 'pop';
  readonly hyperParameters: MostPopularHyperParameters;
  private popularity: Float32Array = new Float32Array(0);

  constructor(hyperParameters: Readonly<Record<string, unknown>> = {}) {
    super();
    this.hyperParameters = resolveHyperParameters('pop', MOST_POPULAR_DEFAULTS, SPECS, hyperParameters);
  }

  /** Item popularity (length numItems). */
  get itemPopularity(): Float32Array {
    this.requireFitted('itemPopularity');
    return this.popularity;
  }

  async fit(train: CsrMatrix, options?: FitOptions): Promise<FitReport> {
    this.checkTrain(train, options);
    this.numUsers = train.numRows;
    this.numItems = train.numColumns;
    this.popularity = new Float32Array(train.numColumns);
    return runEpochs({
      model: this,
      epochs: 1,
      backend: 'typed-array',
      fit: options,
      runEpoch: () => {
        const { indices, values } = train;
        const useSum = this.hyperParameters.weighting === 'sum';
        for (let p = 0; p < indices.length; p++) this.popularity[indices[p]] += useSum ? values[p] : 1;
        this.fitted = true;
        return { loss: Number.NaN, samples: indices.length, learningRate: Number.NaN };
      },
    });
  }

  scoreUser(user: number, out?: Float32Array): Float32Array {
    this.requireFitted('scoreUser');
    this.checkUser('scoreUser', user);
    const result = this.outputBuffer('scoreUser', this.numItems, out);
    result.set(this.popularity);
    return result;
  }

  save(): Uint8Array {
    this.requireFitted('save');
    return encodeModel({
      model: this.name,
      modelVersion: 1,
      hyperParameters: this.hyperParameters,
      state: { numUsers: this.numUsers, numItems: this.numItems },
      arrays: { popularity: this.popularity },
    });
  }

  static load(decoded: DecodedModel): MostPopular {
    const model = new MostPopular(decoded.header.hyperParameters);
    model.restoreState(decoded);
    return model;
  }

  protected restoreState(decoded: DecodedModel): void {
    const numUsers = requireStoredCount(decoded, 'numUsers');
    const numItems = requireStoredCount(decoded, 'numItems');
    const popularity = requireStoredArray(decoded, 'popularity', Float32Array, numItems);
    this.numUsers = numUsers;
    this.numItems = numItems;
    this.popularity = popularity;
    this.fitted = true;
  }

  describe(): ModelDescription {
    return {
      name: this.name,
      displayName: 'MostPopular',
      hyperParameters: this.hyperParameters,
      reference: MOST_POPULAR_REFERENCE,
      backend: 'typed-array',
      fitted: this.fitted,
      numUsers: this.numUsers,
      numItems: this.numItems,
    };
  }
}

export const mostPopularModelEntry: ModelEntry = {
  name: 'pop',
  displayName: 'MostPopular',
  summary: 'Non-personalised popularity baseline: items ranked by training interaction count',
  kind: 'baseline',
  feedback: 'implicit',
  reference: MOST_POPULAR_REFERENCE,
  defaults: MOST_POPULAR_DEFAULTS,
  hyperParameterDocs: {
    weighting: { description: 'count of interactions or sum of their values', range: 'count | sum' },
  },
  create: (hyperParameters) => new MostPopular(hyperParameters),
  load: (decoded) => MostPopular.load(decoded),
};
