import { expectArraysClose } from '@trustrec/test-utils';
import { describe, expect, test } from 'vitest';
import { TrustRecError } from '../errors/trust-rec-error.js';
import { type Rng, createRng } from '../random/rng.js';
import { choleskySolve } from './cholesky.js';
import { ConjugateGradientWorkspace, type LinearOperator, conjugateGradient } from './conjugate-gradient.js';

/** A = GᵀG/n + λI (SPD), the ALS normal-equation shape. */
function randomSpd(rng: Rng, n: number, lambda: number): Float64Array {
  const samples = n + 4;
  const g = Float64Array.from({ length: samples * n }, () => rng.normal());
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = 0;
      for (let p = 0; p < samples; p++) sum += g[p * n + i] * g[p * n + j];
      a[i * n + j] = sum / n + (i === j ? lambda : 0);
      a[j * n + i] = a[i * n + j];
    }
  }
  return a;
}

function denseOperator(a: Float64Array, n: number): LinearOperator & { calls: number } {
  const operator = Object.assign(
    (x: Float64Array, out: Float64Array) => {
      operator.calls++;
      for (let i = 0; i < n; i++) {
        let sum = 0;
        for (let j = 0; j < n; j++) sum += a[i * n + j] * x[j];
        out[i] = sum;
      }
    },
    { calls: 0 },
  );
  return operator;
}

function expectError(code: 'E_NUMERIC' | 'E_SHAPE' | 'E_ARGUMENT', action: () => unknown): void {
  let caught: unknown;
  try {
    action();
  } catch (error) {
    caught = error;
  }
  expect(TrustRecError.isInstance(caught, code), String(caught)).toBe(true);
}

describe('conjugateGradient', () => {
  test.each([1, 2, 8, 32, 64])('converges to the Cholesky solution on an SPD system, k = %i', (n) => {
    const rng = createRng(300 + n);
    const a = randomSpd(rng, n, 0.5);
    const b = Float64Array.from({ length: n }, () => rng.normal());
    const expected = choleskySolve(a, n, b);
    const x = new Float64Array(n);
    const { iterations, residualNorm } = conjugateGradient(denseOperator(a, n), b, x, undefined, {
      maxIterations: 4 * n,
      tolerance: 1e-12,
    });
    expectArraysClose(x, expected, { atol: 1e-9, rtol: 1e-8 });
    expect(residualNorm).toBeLessThanOrEqual(1e-12);
    expect(iterations).toBeGreaterThan(0);
    expect(iterations).toBeLessThanOrEqual(4 * n);
  });

  test('in exact arithmetic CG needs at most as many steps as distinct eigenvalues: diag(1, 2, 3) in 3', () => {
    const a = new Float64Array([1, 0, 0, 0, 2, 0, 0, 0, 3]);
    const x = new Float64Array(3);
    const result = conjugateGradient(denseOperator(a, 3), new Float64Array([1, 4, 9]), x, undefined, {
      tolerance: 1e-12,
    });
    expect(result.iterations).toBeLessThanOrEqual(3);
    expectArraysClose(x, [1, 2, 3], { atol: 1e-12 });
    // Scaled identity: one step.
    const y = new Float64Array(4);
    const identity = denseOperator(
      Float64Array.from({ length: 16 }, (_, i) => (i % 5 === 0 ? 2 : 0)),
      4,
    );
    expect(conjugateGradient(identity, new Float64Array([2, 4, 6, 8]), y).iterations).toBe(1);
    expectArraysClose(y, [1, 2, 3, 4], { atol: 1e-14 });
  });

  test('a warm start at the solution does no work; a nearby warm start needs fewer steps than a cold one', () => {
    const rng = createRng(77);
    const n = 48;
    const a = randomSpd(rng, n, 0.05);
    const b = Float64Array.from({ length: n }, () => rng.normal());
    const solution = choleskySolve(a, n, b);
    const atSolution = solution.slice();
    const operator = denseOperator(a, n);
    const exact = conjugateGradient(operator, b, atSolution, undefined, { tolerance: 1e-8 });
    expect(exact.iterations).toBe(0);
    expect(operator.calls).toBe(1); // only the initial residual
    const options = { tolerance: 1e-10, maxIterations: 10 * n };
    const cold = conjugateGradient(denseOperator(a, n), b, new Float64Array(n), undefined, options);
    const near = solution.map((value, i) => value + 1e-6 * Math.sin(i));
    const warm = conjugateGradient(denseOperator(a, n), b, near, undefined, options);
    expect(warm.iterations).toBeLessThan(cold.iterations);
    expectArraysClose(near, solution, { atol: 1e-8, rtol: 1e-8 });
  });

  test('maxIterations is respected exactly (3 warm-started steps per round, as in CG-ALS); workspaces are reusable', () => {
    const rng = createRng(5);
    const n = 40;
    const a = randomSpd(rng, n, 0.01);
    const b = Float64Array.from({ length: n }, () => rng.normal());
    const solution = choleskySolve(a, n, b);
    /** ‖x − x*‖_A, which every CG step (and so every warm-started round) reduces. */
    const energyError = (x: Float64Array): number => {
      let sum = 0;
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) sum += (x[i] - solution[i]) * a[i * n + j] * (x[j] - solution[j]);
      }
      return Math.sqrt(sum);
    };
    const workspace = new ConjugateGradientWorkspace(n);
    const x = new Float64Array(n);
    let previous = energyError(x);
    for (let round = 0; round < 4; round++) {
      const operator = denseOperator(a, n);
      const fresh = x.slice();
      const result = conjugateGradient(operator, b, x, workspace, { maxIterations: 3, tolerance: 0 });
      expect(result.iterations).toBe(3);
      expect(operator.calls).toBe(4); // initial residual + one product per iteration
      // A reused (dirty) workspace gives exactly what a fresh one gives.
      conjugateGradient(denseOperator(a, n), b, fresh, undefined, { maxIterations: 3, tolerance: 0 });
      expect(Array.from(fresh)).toEqual(Array.from(x));
      const error = energyError(x);
      expect(error).toBeLessThan(previous);
      previous = error;
    }
    // Twelve steps reduce but do not solve this ill-conditioned 40×40 system.
    expect(previous).toBeGreaterThan(1e-6);
    const zero = conjugateGradient(denseOperator(a, n), new Float64Array(n).fill(1), new Float64Array(n), workspace, {
      maxIterations: 0,
    });
    expect(zero.iterations).toBe(0);
    expect(zero.residualNorm).toBeCloseTo(Math.sqrt(n), 12);
  });

  test('the returned residual norm is ‖b − A·x‖ for the returned x', () => {
    const rng = createRng(6);
    const n = 20;
    const a = randomSpd(rng, n, 0.1);
    const b = Float64Array.from({ length: n }, () => rng.normal());
    const x = new Float64Array(n);
    const { residualNorm } = conjugateGradient(denseOperator(a, n), b, x, undefined, {
      maxIterations: 5,
      tolerance: 0,
    });
    const product = new Float64Array(n);
    denseOperator(a, n)(x, product);
    let sum = 0;
    for (let i = 0; i < n; i++) sum += (b[i] - product[i]) ** 2;
    expect(residualNorm).toBeCloseTo(Math.sqrt(sum), 8);
  });

  test('an indefinite operator is E_NUMERIC; NaN in rhs or warm start is E_NUMERIC', () => {
    const indefinite = denseOperator(new Float64Array([1, 0, 0, -1]), 2);
    expectError('E_NUMERIC', () => conjugateGradient(indefinite, new Float64Array([0, 1]), new Float64Array(2)));
    const identity = denseOperator(new Float64Array([1, 0, 0, 1]), 2);
    expectError('E_NUMERIC', () => conjugateGradient(identity, new Float64Array([Number.NaN, 1]), new Float64Array(2)));
    expectError('E_NUMERIC', () =>
      conjugateGradient(identity, new Float64Array([1, 1]), new Float64Array([0, Number.NaN])),
    );
  });

  test('mismatched sizes are E_SHAPE; bad options are E_ARGUMENT', () => {
    const identity = denseOperator(new Float64Array([1, 0, 0, 1]), 2);
    expectError('E_SHAPE', () => conjugateGradient(identity, new Float64Array(2), new Float64Array(3)));
    expectError('E_SHAPE', () =>
      conjugateGradient(identity, new Float64Array(2), new Float64Array(2), new ConjugateGradientWorkspace(3)),
    );
    expectError('E_ARGUMENT', () =>
      conjugateGradient(identity, new Float64Array(2), new Float64Array(2), undefined, { maxIterations: -1 }),
    );
    expectError('E_ARGUMENT', () =>
      conjugateGradient(identity, new Float64Array(2), new Float64Array(2), undefined, { maxIterations: 1.5 }),
    );
    expectError('E_ARGUMENT', () =>
      conjugateGradient(identity, new Float64Array(2), new Float64Array(2), undefined, { tolerance: Number.NaN }),
    );
  });
});
