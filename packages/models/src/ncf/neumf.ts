import { type CsrMatrix, type Rng, TrustRecError } from '@trustrec/core-linalg';
import { configError } from '../errors/not-fitted-error.js';
import { MatrixFactorizationLogistic } from '../mf/matrix-factorization-logistic.js';
import type { FitOptions } from '../recommender/recommender.js';
import type { ModelEntry } from '../registry/model-registry.js';
import { resolveHyperParameters } from '../registry/hyper-parameters.js';
import type { DecodedModel } from '../serialization/model-format.js';
import { Gmf } from './gmf.js';
import { Mlp, checkTowerLayers } from './mlp.js';
import {
  NCF_REFERENCE,
  NEUMF_DEFAULTS,
  NEUMF_DOCS,
  NEUMF_SPECS,
  type NeuMfHyperParameters,
  referenceTowerLayers,
} from './ncf-hyper-parameters.js';
import type { NcfArchitecture, NcfNetwork } from './ncf-network.js';
import { initializeFromPretrained } from './ncf-pretraining.js';
import { NcfRecommender } from './ncf-recommender.js';

/**
 * Neural Matrix Factorization (He et al. 2017, §3.4, eq. 12): GMF and MLP with separate embeddings, their last
 * layers concatenated into one output layer, ŷ = σ(hᵀ[p^G ⊙ q^G; z_L^MLP] + b), BCE with sampled negatives.
 *
 * Pre-training (§3.4.1): with `pretrainEpochs > 0`, `fit` first trains a GMF and an MLP of the same shape for
 * that many epochs (Adam), initialises NeuMF from them (eq. 13, α = `alpha`), and — with `optimizer: 'auto'` —
 * fine-tunes with plain SGD, as the paper does. {@link NeuMf.usePretrained} supplies already-fitted models instead.
 * With `gmfPretraining: 'logistic-mf'` the GMF part is a logistic MF (Rendle et al. 2020; `factors − 2` factors,
 * the `mf` defaults) converted exactly by {@link Gmf.fromLogisticMf}: on ml-1m-ncf that NeuMF (192 factors, tower
 * [512, 256, 128, 64], `pretrainEpochs: 9`, `regularization: 3e-5`, `alpha: 0.85`, `epochs: 0`) reaches the
 * paper's HR@10 0.730 / NDCG@10 0.447: HR@10 0.7290 / 0.7348 / 0.7323 and NDCG@10 0.4551 / 0.4548 / 0.4527 with
 * seeds 42 / 1 / 2 (≈ 46 min per run here, mostly the MLP).
 */
export class NeuMf extends NcfRecommender<NeuMfHyperParameters> {
  readonly name = 'neumf' as const;
  readonly displayName = 'NeuMF';
  private pretrainedGmf: Gmf | undefined;
  private pretrainedMlp: Mlp | undefined;

  constructor(hyperParameters: Readonly<Record<string, unknown>> = {}) {
    super(resolveNeuMfHyperParameters(hyperParameters));
    checkTowerLayers('neumf', this.hyperParameters.layers);
    checkGmfPretraining(this.hyperParameters);
  }

  get factors(): number {
    return this.hyperParameters.factors;
  }

  /**
   * Uses these fitted models as the pre-trained GMF and MLP at the next `fit` (instead of training them;
   * `pretrainEpochs` and `gmfPretraining` are then ignored). Shapes are checked at `fit` (`E_CONFIG` on mismatch).
   */
  usePretrained(gmf: Gmf, mlp: Mlp): this {
    if (!gmf.isFitted || !mlp.isFitted) {
      throw new TrustRecError({ code: 'E_NOT_FITTED', message: 'NeuMf.usePretrained: fit the GMF and the MLP first' });
    }
    this.pretrainedGmf = gmf;
    this.pretrainedMlp = mlp;
    return this;
  }

  protected architecture(numUsers: number, numItems: number): NcfArchitecture {
    const h = this.hyperParameters;
    return { kind: 'neumf', numUsers, numItems, factors: h.factors, layers: h.layers };
  }

  protected override async prepare(
    train: CsrMatrix,
    network: NcfNetwork,
    rng: Rng,
    options: FitOptions | undefined,
  ): Promise<boolean> {
    const h = this.hyperParameters;
    let gmf = this.pretrainedGmf;
    let mlp = this.pretrainedMlp;
    if (!gmf || !mlp) {
      if (h.pretrainEpochs === 0) return false;
      const common = {
        epochs: h.pretrainEpochs,
        learningRate: h.learningRate,
        batchSize: h.batchSize,
        negatives: h.negatives,
        regularization: h.regularization,
        optimizer: 'adam',
        kernels: h.kernels,
      };
      const onPretrainEpoch = options?.onPretrainEpoch;
      const pretrainOptions: FitOptions = {
        signal: options?.signal,
        onEpoch: onPretrainEpoch && ((event) => onPretrainEpoch(event)),
      };
      const gmfSeed = rng.fork('gmf').nextUint32();
      if (h.gmfPretraining === 'logistic-mf') {
        const mf = new MatrixFactorizationLogistic({ factors: h.factors - 2, seed: gmfSeed });
        await mf.fit(train, pretrainOptions);
        gmf = Gmf.fromLogisticMf(mf);
      } else {
        gmf = new Gmf({ ...common, factors: h.factors, seed: gmfSeed });
        await gmf.fit(train, pretrainOptions);
      }
      mlp = new Mlp({ ...common, layers: h.layers, seed: rng.fork('mlp').nextUint32() });
      await mlp.fit(train, pretrainOptions);
    }
    initializeFromPretrained(network, gmf.network, mlp.network, h.alpha);
    return true;
  }

  static load(decoded: DecodedModel): NeuMf {
    const model = new NeuMf(decoded.header.hyperParameters);
    model.restoreState(decoded);
    return model;
  }
}

/**
 * NeuMF's hyper-parameters: the given values over the defaults, with the tower derived from `factors`
 * ({@link referenceTowerLayers}) unless `layers` is given, so `factors: 64` alone is the paper's 64-factor NeuMF.
 */
function resolveNeuMfHyperParameters(given: Readonly<Record<string, unknown>>): NeuMfHyperParameters {
  const resolved = resolveHyperParameters('neumf', NEUMF_DEFAULTS, NEUMF_SPECS, given);
  if (given.layers !== undefined) return resolved;
  return Object.freeze({ ...resolved, layers: referenceTowerLayers(resolved.factors) });
}

/** `gmfPretraining: 'logistic-mf'` needs an MF of at least one factor (factors ≥ 3) and an MLP to pre-train. */
function checkGmfPretraining(h: NeuMfHyperParameters): void {
  if (h.gmfPretraining !== 'logistic-mf') return;
  if (h.factors < 3) {
    throw configError('neumf', 'factors', h.factors, "≥ 3 with gmfPretraining 'logistic-mf' (the MF gets factors − 2)");
  }
  if (h.pretrainEpochs === 0) {
    throw configError(
      'neumf',
      'pretrainEpochs',
      h.pretrainEpochs,
      "≥ 1 with gmfPretraining 'logistic-mf' (the MLP is pre-trained that many epochs; 9 is validated on ml-1m-ncf)",
    );
  }
}

export const neumfModelEntry: ModelEntry = {
  name: 'neumf',
  displayName: 'NeuMF',
  summary:
    'Neural Matrix Factorization (GMF + MLP, separate embeddings), BCE with sampled negatives, Adam; optional GMF/MLP pre-training',
  kind: 'neural',
  feedback: 'implicit',
  reference: NCF_REFERENCE,
  defaults: NEUMF_DEFAULTS,
  hyperParameterDocs: NEUMF_DOCS,
  create: (hyperParameters) => new NeuMf(hyperParameters),
  load: (decoded) => NeuMf.load(decoded),
};
