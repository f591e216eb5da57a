import { configError } from '../errors/not-fitted-error.js';
import type { MatrixFactorizationLogistic } from '../mf/matrix-factorization-logistic.js';
import type { ModelEntry } from '../registry/model-registry.js';
import { resolveHyperParameters } from '../registry/hyper-parameters.js';
import type { DecodedModel } from '../serialization/model-format.js';
import { gmfParametersFromLogisticMf } from './gmf-from-logistic-mf.js';
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

  /**
   * A fitted GMF with `mf.factors + 2` factors that scores every pair with exactly the logistic MF's logit (see
   * {@link gmfParametersFromLogisticMf}): the GMF pre-training of NeuMF (§3.4.1) done by the fast logistic-MF
   * kernel. `hyperParameters` are recorded on the GMF (defaults: `epochs: 0` — it was not trained as a GMF — and
   * the MF's seed); `factors`, if given, must be `mf.factors + 2` (`E_CONFIG` otherwise).
   */
  static fromLogisticMf(mf: MatrixFactorizationLogistic, hyperParameters: Readonly<Record<string, unknown>> = {}): Gmf {
    const parameters = gmfParametersFromLogisticMf(mf);
    if (hyperParameters.factors !== undefined && hyperParameters.factors !== parameters.factors) {
      throw configError('gmf', 'factors', hyperParameters.factors, `${parameters.factors} (the MF's factors + 2)`);
    }
    const gmf = new Gmf({ epochs: 0, seed: mf.hyperParameters.seed, ...hyperParameters, factors: parameters.factors });
    const arrays: Readonly<Record<string, Float32Array>> = parameters.arrays;
    return NcfRecommender.withParameters(gmf, parameters.numUsers, parameters.numItems, (name) => arrays[name]);
  }

  static load(decoded: DecodedModel): Gmf {
    const model = new Gmf(decoded.header.hyperParameters);
    model.restoreState(decoded);
    return model;
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
