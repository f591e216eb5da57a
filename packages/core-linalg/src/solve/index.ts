export { choleskyFactorInPlace, choleskySolve, choleskySolveInPlace } from './cholesky.js';
export { ConjugateGradientWorkspace, conjugateGradient } from './conjugate-gradient.js';
export type { ConjugateGradientOptions, LinearOperator } from './conjugate-gradient.js';
