import { configError } from '../errors/not-fitted-error.js';
import type { ModelEntry } from '../registry/model-registry.js';
import { resolveHyperParameters } from '../registry/hyper-parameters.js';
import type { DecodedModel } from '../serialization/model-format.js';
import { MLP_DEFAULTS, MLP_DOCS, MLP_SPECS, type MlpHyperParameters, NCF_REFERENCE } from './ncf-hyper-parameters.js';
import type { NcfArchitecture } from './ncf-network.js';
import { NcfRecommender } from './ncf-recommender.js';

/** Throws E_CONFIG unless `layers` is a tower the NCF code accepts: ≥ 2 widths, the first even. */
export function checkTowerLayers(model: string, layers: readonly number[]): void {
  if (layers.length < 2 || layers[0] % 2 !== 0) {
    throw configError(
      model,
      'layers',
      layers,
      'at least two widths with an even first width (the concatenated user+item embedding), e.g. [64, 32, 16, 8]',
    );
  }
}

/**
 * The NCF multi-layer perceptron (He et al. 2017, §3.3, eq. 10): user and item embeddings concatenated, a
 * ReLU tower (default [64, 32, 16, 8], the "tower pattern"), then ŷ = σ(hᵀz_L + b), trained with BCE (eq. 7).
 */
export class Mlp extends NcfRecommender<MlpHyperParameters> {
  readonly name = 'mlp' as const;
  readonly displayName = 'MLP (NCF)';

  constructor(hyperParameters: Readonly<Record<string, unknown>> = {}) {
    super(resolveHyperParameters('mlp', MLP_DEFAULTS, MLP_SPECS, hyperParameters));
    checkTowerLayers('mlp', this.hyperParameters.layers);
  }

  protected architecture(numUsers: number, numItems: number): NcfArchitecture {
    return { kind: 'mlp', numUsers, numItems, factors: 0, layers: this.hyperParameters.layers };
  }

  static load(decoded: DecodedModel): Mlp {
    const model = new Mlp(decoded.header.hyperParameters);
    model.restoreState(decoded);
    return model;
  }
}

export const mlpModelEntry: ModelEntry = {
  name: 'mlp',
  displayName: 'MLP (NCF)',
  summary: 'NCF multi-layer perceptron over concatenated embeddings (ReLU tower), BCE with sampled negatives, Adam',
  kind: 'neural',
  feedback: 'implicit',
  reference: NCF_REFERENCE,
  defaults: MLP_DEFAULTS,
  hyperParameterDocs: MLP_DOCS,
  create: (hyperParameters) => new Mlp(hyperParameters),
  load: (decoded) => Mlp.load(decoded),
};
