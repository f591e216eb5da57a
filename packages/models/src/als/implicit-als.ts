import { type CsrMatrix, createRng } from '@trustrec/core-linalg';
import type { FitOptions, FitReport, ModelDescription, ModelReference } from '../recommender/recommender.js';
import { type HyperParameterSpec, resolveHyperParameters } from '../registry/hyper-parameters.js';
import type { ModelEntry } from '../registry/model-registry.js';
import type { DecodedModel } from '../serialization/model-format.js';
import { runEpochs } from '../training/training-loop.js';
import { randomFactors } from './als-common.js';
import { AlsRecommender } from './als-recommender.js';
import { AlsWorkspace, gramMatrix, solveImplicitRowsCg, solveImplicitRowsCholesky } from './als-solvers.js';

export type ImplicitAlsHyperParameters = {
  readonly factors: number;
  readonly iterations: number;
  /** λ. */
  readonly regularization: number;
  /** α of the confidence c_ui = 1 + α r_ui (Hu et al. eq. 3 style; α = 0 makes every confidence 1). */
  readonly alpha: number;
  readonly solver: 'cg' | 'cholesky';
  /** Conjugate-gradient steps per row and sweep (warm-started). */
  readonly cgSteps: number;
  readonly initStd: number;
  readonly seed: number;
};

export const IMPLICIT_ALS_DEFAULTS: ImplicitAlsHyperParameters = Object.freeze({
  factors: 64,
  iterations: 15,
  regularization: 0.01,
  alpha: 1,
  solver: 'cg',
  cgSteps: 3,
  initStd: 0.01,
  seed: 42,
});

const SPECS: { readonly [K in keyof ImplicitAlsHyperParameters]: HyperParameterSpec } = {
  factors: { type: 'integer', min: 1, max: 1024 },
  iterations: { type: 'integer', min: 0 },
  regularization: { type: 'number', min: 0, exclusiveMin: true },
  alpha: { type: 'number', min: 0 },
  solver: { type: 'enum', values: ['cg', 'cholesky'] },
  cgSteps: { type: 'integer', min: 1 },
  initStd: { type: 'number', min: 0 },
  seed: { type: 'integer', min: 0 },
};

export const IMPLICIT_ALS_REFERENCE: ModelReference = {
  citation:
    'Hu, Koren, Volinsky. Collaborative Filtering for Implicit Feedback Datasets. ICDM 2008; CG solver: Takács, Pilászy, Tikk. Applications of the Conjugate Gradient Method for Implicit Feedback Collaborative Filtering. RecSys 2011',
  equations:
    'min Σ_ui c_ui (p_ui − x_uᵀy_i)² + λ(Σ‖x_u‖² + Σ‖y_i‖²), c_ui = 1 + α r_ui; row solve x_u = (YᵀY + Yᵀ(C_u − I)Y + λI)⁻¹ YᵀC_u p(u)',
};

/**
 * Weighted matrix factorisation for implicit feedback (Hu–Koren–Volinsky) with a Cholesky solver (exact row
 * solves) or the conjugate-gradient solver implicit uses (`cgSteps` warm-started CG steps per row; YᵀY + λI
 * formed once per half-iteration and shared; per row only one gemv and one dot + axpy per stored item per step,
 * see {@link solveImplicitRowsCg}).
 */
export class ImplicitAls extends AlsRecommender {
  readonly name = 'ials';
  readonly hyperParameters: ImplicitAlsHyperParameters;

  constructor(hyperParameters: Readonly<Record<string, unknown>> = {}) {
    super();
    this.hyperParameters = resolveHyperParameters('ials', IMPLICIT_ALS_DEFAULTS, SPECS, hyperParameters);
  }

  get factors(): number {
    return this.hyperParameters.factors;
  }

  private sweepSide(
    target: Float32Array,
    fixed: Float32Array,
    fixedRows: number,
    matrix: CsrMatrix,
    workspace: AlsWorkspace,
  ): void {
    const h = this.hyperParameters;
    const gram = gramMatrix(fixed, fixedRows, this.factors, h.regularization);
    if (h.solver === 'cg')
      solveImplicitRowsCg(target, fixed, gram, matrix, this.factors, h.alpha, h.cgSteps, workspace);
    else solveImplicitRowsCholesky(target, fixed, gram, matrix, this.factors, h.alpha, workspace);
  }

  async fit(train: CsrMatrix, options?: FitOptions): Promise<FitReport> {
    this.checkTrain(train, options);
    const h = this.hyperParameters;
    const k = this.factors;
    const rng = createRng(h.seed).fork('init');
    this.numUsers = train.numRows;
    this.numItems = train.numColumns;
    this.users = randomFactors(this.numUsers * k, h.initStd, rng);
    this.items = randomFactors(this.numItems * k, h.initStd, rng);
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
        this.sweepSide(this.users, this.items, this.numItems, train, workspace);
        this.sweepSide(this.items, this.users, this.numUsers, itemMajor, workspace);
        return { loss: Number.NaN, samples: this.numUsers + this.numItems, learningRate: Number.NaN };
      },
    });
  }

  /** Fold-in rows are solved exactly (Cholesky), whichever `solver` `fit` uses. */
  protected solveFoldIn(
    target: Float32Array,
    fixed: Float32Array,
    fixedRows: number,
    interactions: CsrMatrix,
    ids: Int32Array,
  ): void {
    const h = this.hyperParameters;
    const gram = gramMatrix(fixed, fixedRows, this.factors, h.regularization);
    const workspace = new AlsWorkspace(this.factors);
    solveImplicitRowsCholesky(target, fixed, gram, interactions, this.factors, h.alpha, workspace, ids);
  }

  save(): Uint8Array {
    return this.encodeFactors(this.hyperParameters);
  }

  static load(decoded: DecodedModel): ImplicitAls {
    const model = new ImplicitAls(decoded.header.hyperParameters);
    model.restoreState(decoded);
    return model;
  }

  protected restoreState(decoded: DecodedModel): void {
    this.restoreFactors(decoded, false);
  }

  describe(): ModelDescription {
    return this.describeFactors('Implicit ALS (WMF)', IMPLICIT_ALS_REFERENCE, this.hyperParameters);
  }
}

export const implicitAlsModelEntry: ModelEntry = {
  name: 'ials',
  displayName: 'Implicit ALS (WMF)',
  summary:
    'Weighted MF for implicit feedback (Hu–Koren–Volinsky confidence), conjugate-gradient or Cholesky row solves',
  kind: 'factor',
  feedback: 'implicit',
  reference: IMPLICIT_ALS_REFERENCE,
  defaults: IMPLICIT_ALS_DEFAULTS,
  hyperParameterDocs: {
    factors: { description: 'latent dimension', range: 'integer ≥ 1' },
    iterations: { description: 'ALS sweeps (users then items)', range: 'integer ≥ 0' },
    regularization: { description: 'λ', range: '(0, ∞)' },
    alpha: { description: 'confidence slope: c_ui = 1 + α r_ui', range: '[0, ∞)' },
    solver: { description: 'row solver', range: 'cg | cholesky' },
    cgSteps: { description: 'conjugate-gradient steps per row and sweep', range: 'integer ≥ 1' },
    initStd: { description: 'standard deviation of the initial factors', range: '[0, ∞)' },
    seed: { description: 'seed of the initialisation', range: 'integer ≥ 0' },
  },
  create: (hyperParameters) => new ImplicitAls(hyperParameters),
  load: (decoded) => ImplicitAls.load(decoded),
};
