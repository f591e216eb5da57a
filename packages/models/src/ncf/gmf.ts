import type { ModelEntry } from '../registry/model-registry.js';
import { resolveHyperParameters } from '../registry/hyper-parameters.js';
import type { DecodedModel } from '../serialization/model-format.js';
import { GMF_DEFAULTS, GMF_DOCS, GMF_SPECS, type GmfHyperParameters, NCF_REFERENCE } from './ncf-hyper-parameters.js';
import type { NcfArchitecture } from './ncf-network.js';
import { NcfRecommender } from './ncf-recommender.js';

/**
 * Generalized Matrix Factorization (He et al. 2017, §3.2, eq. 8–9): ŷ_ui = σ(hᵀ(p_u ⊙ q_i) + b), a learned
 * weighting of the MF dot product, trained with BCE on sampled negatives (eq. 7).
 */
export class Gmf extends NcfRecommender<GmfHyperParameters> {
  readonly name = 'gmf' as const;
  readonly displayName = 'GMF';

  constructor(hyperParameters: Readonly<Record<string, unknown>> = {}) {
    super(resolveHyperParameters('gmf', GMF_DEFAULTS, GMF_SPECS, hyperParameters));
  }

  /** Predictive factors. */
  get factors(): number {
    return this.hyperParameters.factors;
  }

  protected architecture(numUsers: number, numItems: number): NcfArchitecture {
    return { kind: 'gmf', numUsers, numItems, factors: this.hyperParameters.factors, layers: [] };
  }

  static load(decoded: DecodedModel): Gmf {
    return NcfRecommender.restore(new Gmf(decoded.header.hyperParameters), decoded);
  }
}

export const gmfModelEntry: ModelEntry = {
  name: 'gmf',
  displayName: 'GMF',
  summary:
    'Generalized Matrix Factorization (NCF): weighted element-wise product of embeddings, BCE with sampled negatives, Adam',
  kind: 'neural',
  feedback: 'implicit',
  reference: NCF_REFERENCE,
  defaults: GMF_DEFAULTS,
  hyperParameterDocs: GMF_DOCS,
  create: (hyperParameters) => new Gmf(hyperParameters),
  load: (decoded) => Gmf.load(decoded),
};
