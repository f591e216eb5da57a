import { TrustRecError, shapeError } from '../errors/trust-rec-error.js';
import { requireFinite, requireInteger } from '../errors/validate.js';

/** Computes out = A·x for the (implicit) SPD operator A. Must not allocate in a hot loop. */
export type LinearOperator = (x: Float64Array, out: Float64Array) => void;

export interface ConjugateGradientOptions {
  /** Iteration cap; implicit ALS uses 3 warm-started steps per row. Default n. */
  maxIterations?: number;
  /** Stop when ‖r‖² ≤ tolerance². Default 1e-10. */
  tolerance?: number;
}

/** Reusable scratch buffers for {@link conjugateGradient}, sized for dimension n. */
export class ConjugateGradientWorkspace {
  readonly residual: Float64Array;
  readonly direction: Float64Array;
  readonly product: Float64Array;
  constructor(readonly n: number) {
    this.residual = new Float64Array(n);
    this.direction = new Float64Array(n);
    this.product = new Float64Array(n);
  }
}

/**
 * Conjugate gradient for A·x = b with SPD A given as an operator (Hestenes & Stiefel 1952). `x` is the
 * warm start and receives the solution. Returns the iterations used and the final residual norm. This is the
 * solver implicit's CG-ALS uses per row (Takács et al. 2011), where A = YᵀY + Yᵀ(C_u − I)Y + λI is never formed.
 */
export function conjugateGradient(
  applyOperator: LinearOperator,
  rhs: Float64Array,
  x: Float64Array,
  workspace: ConjugateGradientWorkspace = new ConjugateGradientWorkspace(rhs.length),
  options: ConjugateGradientOptions = {},
): { iterations: number; residualNorm: number } {
  const n = rhs.length;
  if (x.length !== n || workspace.n !== n) {
    throw shapeError('conjugateGradient', `rhs (${n}), x (${x.length}) and workspace (${workspace.n}) must agree`);
  }
  const maxIterations = options.maxIterations ?? n;
  const tolerance = options.tolerance ?? 1e-10;
  requireInteger('conjugateGradient', 'maxIterations', maxIterations);
  requireFinite('conjugateGradient', 'tolerance', tolerance, 'non-negative');
  const { residual, direction, product } = workspace;
  applyOperator(x, product);
  let residualSquared = 0;
  for (let i = 0; i < n; i++) {
    residual[i] = rhs[i] - product[i];
    direction[i] = residual[i];
    residualSquared += residual[i] * residual[i];
  }
  if (!Number.isFinite(residualSquared)) throw nonFiniteResidual(0);
  let iterations = 0;
  while (iterations < maxIterations && residualSquared > tolerance * tolerance) {
    applyOperator(direction, product);
    let curvature = 0;
    for (let i = 0; i < n; i++) curvature += direction[i] * product[i];
    if (!(curvature > 0)) {
      throw new TrustRecError({
        code: 'E_NUMERIC',
        message: `conjugateGradient: operator is not positive definite (dᵀAd = ${curvature}); increase the regularisation`,
      });
    }
    const step = residualSquared / curvature;
    let nextResidualSquared = 0;
    for (let i = 0; i < n; i++) {
      x[i] += step * direction[i];
      residual[i] -= step * product[i];
      nextResidualSquared += residual[i] * residual[i];
    }
    if (!Number.isFinite(nextResidualSquared)) throw nonFiniteResidual(iterations + 1);
    const beta = nextResidualSquared / residualSquared;
    for (let i = 0; i < n; i++) direction[i] = residual[i] + beta * direction[i];
    residualSquared = nextResidualSquared;
    iterations++;
  }
  return { iterations, residualNorm: Math.sqrt(residualSquared) };
}

function nonFiniteResidual(iteration: number): TrustRecError {
  return new TrustRecError({
    code: 'E_NUMERIC',
    message: `conjugateGradient: the residual is not finite at iteration ${iteration}; check rhs, the warm start x and the operator for NaN or Infinity`,
    details: { iteration },
  });
}
