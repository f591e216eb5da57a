import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import * as linalg from './index.js';

// The public API is a contract other packages code against: adding a name is a deliberate change to this
// list, removing or renaming one is a breaking change (as ml-matrix and TanStack pin their exports).

test('runtime exports of @trustrec/core-linalg', () => {
  expect(Object.keys(linalg).sort()).toEqual([
    'AliasTable',
    'ConjugateGradientWorkspace',
    'CsrMatrix',
    'ERROR_CODES',
    'TFJS_BACKEND_PRIORITY',
    'TfjsLinalgBackend',
    'TopKSelector',
    'TrustRecError',
    'TypedArrayBackend',
    'applyBiasAndActivation',
    'argumentError',
    'assertDenseMatrix',
    'axpy',
    'buildCsrFromCoo',
    'choleskyFactorInPlace',
    'choleskySolve',
    'choleskySolveInPlace',
    'cloneDenseMatrix',
    'conjugateGradient',
    'createDenseMatrix',
    'createLinalgBackend',
    'createRng',
    'denseRow',
    'describeOptionValue',
    'dot',
    'gemm',
    'gemv',
    'listLinalgBackends',
    'loadTfjsCore',
    'normalizeRows',
    'normalizeRowsInPlace',
    'nrm2',
    'optionNames',
    'probeAllBackends',
    'probeBackend',
    'rejectUnknownOptions',
    'requireFinite',
    'requireInteger',
    'rowDots',
    'scal',
    'scatterAddRowsInPlace',
    'selectBackend',
    'shapeError',
    'toRng',
    'topK',
  ]);
});

test('type-only exports listed in src/index.ts', () => {
  const source = readFileSync(new URL('./index.ts', import.meta.url), 'utf8');
  const names = [...source.matchAll(/export type \{([^}]*)\}/g)]
    .flatMap((match) => match[1].split(','))
    .map((name) => name.trim())
    .filter((name) => name.length > 0)
    .sort();
  expect(names).toEqual(
    [
      'BackendPreference',
      'BackendProbe',
      'BackendSelection',
      'CooInput',
      'CsrBuildResult',
      'DenseActivation',
      'DenseMatrix',
      'DuplicatePolicy',
      'ErrorCode',
      'FromCooOptions',
      'GemmOptions',
      'GemvOptions',
      'LinalgBackend',
      'LinearOperator',
      'MatmulOptions',
      'Rng',
      'RngState',
      'SelectBackendOptions',
      'TfModule',
      'TfjsBackendName',
      'TopKResult',
      'TrustRecErrorOptions',
      'ConjugateGradientOptions',
    ].sort(),
  );
});
