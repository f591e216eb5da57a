import { describe } from 'vitest';

/** The part of a compute backend this helper needs: a name and its float precision. */
export interface BackendLike {
  readonly name: string;
  readonly floatPrecision: 32 | 64;
}

/** Absolute tolerance matching a backend's float precision (tfjs's `testEpsilon`). */
export function toleranceFor(backend: BackendLike): number {
  return backend.floatPrecision === 64 ? 1e-9 : 1e-4;
}

/**
 * Runs one suite per backend (tfjs's `describeWithFlags`). Resolve the backends first with a top-level
 * `await` in the test file, e.g. `const backends = await listLinalgBackends()`.
 */
export function describeEachBackend<B extends BackendLike>(
  title: string,
  backends: readonly B[],
  suite: (backend: B, tolerance: number) => void,
): void {
  for (const backend of backends) {
    describe(`${title} [${backend.name}]`, () => suite(backend, toleranceFor(backend)));
  }
}
