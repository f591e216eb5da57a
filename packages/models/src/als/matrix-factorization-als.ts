import { type CsrMatrix, createRng } from '@trustrec/core-linalg';
import type { FitOptions, FitReport, ModelDescription, ModelReference } from '../recommender/recommender.js';
import { type HyperParameterSpec, resolveHyperParameters } from '../registry/hyper-parameters.js';
import type { ModelEntry } from '../registry/model-registry.js';
import type { DecodedModel } from '../serialization/model-format.js';
import { runEpochs } from '../training/training-loop.js';
import { randomFactors } from './als-common.js';
import { AlsRecommender } from './als-recommender.js';
import { AlsWorkspace, observedMeanSquaredError, solveExplicitRows } from './als-solvers.js';

export type AlsHyperParameters = {
  readonly factors: number;
  /** ALS sweeps (each solves all users, then all items). */
  readonly iterations: number;
  /** λ of seed 003 eq. 2. */
  readonly regularization: number;
  /** Standard deviation of the initial item factors. */
  readonly initStd: number;
  readonly seed: number;
};

export const ALS_DEFAULTS: AlsHyperParameters = Object.freeze({
  factors: 64,
  iterations: 15,
  regularization: 0.1,
  initStd: 0.1,
  seed: 42,
});

const SPECS: { readonly [K in keyof AlsHyperParameters]: HyperParameterSpec } = {
  factors: { type: 'integer', min: 1, max: 1024 },
  iterations: { type: 'integer', min: 0 },
  regularization: { type: 'number', min: 0, exclusiveMin: true },
  initStd: { type: 'number', min: 0 },
  seed: { type: 'integer', min: 0 },
};

export const ALS_REFERENCE: ModelReference = {
  citation:
    'Hidano, Murakami, Matsumoto, Kiyomoto, Shirai. Exposing Private User Behaviors of Collaborative Filtering via Model Inversion Techniques. PoPETs 2020 (ALS as in Li et al., NeurIPS 2016)',
  equations: 'eq. 2: min ‖R_Ω(M − UV)‖²_F + λ‖Θ‖²_F, alternating closed-form row solves',
  seed: '003',
};

/**
 * Explicit-feedback matrix factorisation by alternating least squares (seed 003 eq. 2): λ-regularised squared
 * error over the observed entries only. Each sweep solves every user row with V fixed, then every item row with
 * U fixed, in closed form (Cholesky). Supports fold-in: {@link partialFitUsers} computes U' for given (possibly
 * new) users with V fixed — what data-poisoning attacks (Li et al. eq. 3–4) and unlearning need.
 */
export class MatrixFactorizationAls extends AlsRecommender {
  readonly name = 'als';
  readonly hyperParameters: AlsHyperParameters;

  constructor(hyperParameters: Readonly<Record<string, unknown>> = {}) {
    super();
    this.hyperParameters = resolveHyperParameters('als', ALS_DEFAULTS, SPECS, hyperParameters);
  }

  get factors(): number {
    return this.hyperParameters.factors;
  }

  async fit(train: CsrMatrix, options?: FitOptions): Promise<FitReport> {
    this.checkTrain(train, options);
    const h = this.hyperParameters;
    const k = this.factors;
    const rng = createRng(h.seed);
    this.numUsers = train.numRows;
    this.numItems = train.numColumns;
    this.users = new Float32Array(this.numUsers * k);
    this.items = randomFactors(this.numItems * k, h.initStd, rng.fork('init'));
    this.biases = undefined;
    this.fitted = true;
    const itemMajor = train.transpose();
    const workspace = new AlsWorkspace(k);
    return runEpochs({
      model: this,
      epochs: h.iterations,
      backend: 'typed-array',
      fit: options,
      runEpoch: () => {
        solveExplicitRows(this.users, this.items, train, k, h.regularization, workspace);
        solveExplicitRows(this.items, this.users, itemMajor, k, h.regularization, workspace);
        return {
          loss: observedMeanSquaredError(train, this.users, this.items, k),
          samples: this.numUsers + this.numItems,
          learningRate: Number.NaN,
        };
      },
    });
  }

  protected solveFoldIn(
    target: Float32Array,
    fixed: Float32Array,
    _fixedRows: number,
    interactions: CsrMatrix,
    ids: Int32Array,
  ): void {
    const h = this.hyperParameters;
    solveExplicitRows(target, fixed, interactions, this.factors, h.regularization, new AlsWorkspace(this.factors), ids);
  }

  save(): Uint8Array {
    return this.encodeFactors(this.hyperParameters);
  }

  static load(decoded: DecodedModel): MatrixFactorizationAls {
    const model = new MatrixFactorizationAls(decoded.header.hyperParameters);
    model.restoreState(decoded);
    return model;
  }

  protected restoreState(decoded: DecodedModel): void {
    this.restoreFactors(decoded, false);
  }

  describe(): ModelDescription {
    return this.describeFactors('MF-ALS (explicit)', ALS_REFERENCE, this.hyperParameters);
  }
}

export const alsModelEntry: ModelEntry = {
  name: 'als',
  displayName: 'MF-ALS (explicit)',
  summary: 'Explicit-feedback MF by alternating least squares over observed ratings (seed 003 eq. 2), with fold-in',
  kind: 'factor',
  feedback: 'explicit',
  reference: ALS_REFERENCE,
  defaults: ALS_DEFAULTS,
  hyperParameterDocs: {
    factors: { description: 'latent dimension', range: 'integer ≥ 1' },
    iterations: { description: 'ALS sweeps (users then items)', range: 'integer ≥ 0' },
    regularization: { description: 'λ of seed 003 eq. 2', range: '(0, ∞)' },
    initStd: { description: 'standard deviation of the initial item factors', range: '[0, ∞)' },
    seed: { description: 'seed of the initialisation', range: 'integer ≥ 0' },
  },
  create: (hyperParameters) => new MatrixFactorizationAls(hyperParameters),
  load: (decoded) => MatrixFactorizationAls.load(decoded),
};
