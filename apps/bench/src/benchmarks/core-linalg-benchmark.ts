import {
  type DenseMatrix,
  TopKSelector,
  choleskyFactorInPlace,
  choleskySolveInPlace,
  createDenseMatrix,
  createLinalgBackend,
  createRng,
  gemm,
  probeAllBackends,
} from '@trustrec/core-linalg';
import { CholeskyDecomposition, Matrix } from 'ml-matrix';
import { medianMilliseconds, printFigure } from './timing.js';

function randomMatrix(rows: number, columns: number, seed: number): DenseMatrix {
  const rng = createRng(seed);
  const matrix = createDenseMatrix(rows, columns);
  for (let i = 0; i < matrix.data.length; i++) matrix.data[i] = rng.normal();
  return matrix;
}

/** `pnpm bench core-linalg`: gemm GFLOP/s (typed vs each tfjs backend), Cholesky solves/s, top-K throughput. */
export async function benchmarkCoreLinalg(): Promise<void> {
  process.stdout.write(
    '# core-linalg kernels (medians after a warm-up: of 3 runs for gemm, of 5 otherwise; one thread)\n',
  );
  const shapes = [
    { n: 1024, k: 64, m: 1024, label: '(1024×64)·(64×1024)ᵀ' },
    { n: 6040, k: 64, m: 3706, label: 'ML-1M scoring (6040×64)·(3706×64)ᵀ' },
    { n: 1024, k: 1024, m: 1024, label: '(1024×1024)·(1024×1024)ᵀ' },
  ];
  const tfjsBackends = [];
  for (const probe of await probeAllBackends()) {
    if (probe.available && probe.name !== 'cpu') tfjsBackends.push((await createLinalgBackend(probe.name)).backend);
  }
  for (const shape of shapes) {
    const a = randomMatrix(shape.n, shape.k, 1);
    const b = randomMatrix(shape.m, shape.k, 2);
    const flops = 2 * shape.n * shape.k * shape.m;
    const out = createDenseMatrix(shape.n, shape.m);
    const typed = await medianMilliseconds(() => gemm(a, b, { transposeB: true, out }), 3);
    printFigure(
      `gemm ${shape.label} typed-array`,
      `${typed.toFixed(1)} ms  ${(flops / typed / 1e6).toFixed(2)} GFLOP/s`,
    );
    for (const backend of tfjsBackends) {
      const time = await medianMilliseconds(() => backend.matmul(a, b, { transposeB: true }), 3);
      printFigure(
        `gemm ${shape.label} ${backend.name}`,
        `${time.toFixed(1)} ms  ${(flops / time / 1e6).toFixed(2)} GFLOP/s (incl. upload/download)`,
      );
    }
  }

  const k = 64;
  const rng = createRng(3);
  const base = randomMatrix(k, k, 4);
  const spd = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      let sum = i === j ? k : 0;
      for (let p = 0; p < k; p++) sum += base.data[i * k + p] * base.data[j * k + p];
      spd[i * k + j] = sum;
    }
  }
  const rhs = new Float64Array(k).map(() => rng.normal());
  const factor = new Float64Array(k * k);
  const solution = new Float64Array(k);
  const solves = 2000;
  const ours = await medianMilliseconds(() => {
    for (let s = 0; s < solves; s++) {
      factor.set(spd);
      choleskyFactorInPlace(factor, k);
      solution.set(rhs);
      choleskySolveInPlace(factor, k, solution);
    }
  });
  printFigure(
    'Cholesky factor + solve k=64, hand-written Float64Array',
    `${((solves / ours) * 1000).toFixed(0)} solves/s`,
  );
  const mlMatrix = new Matrix(Array.from({ length: k }, (_, i) => Array.from(spd.subarray(i * k, (i + 1) * k))));
  const mlRhs = Matrix.columnVector(Array.from(rhs));
  const mlSolves = 300;
  const theirs = await medianMilliseconds(() => {
    for (let s = 0; s < mlSolves; s++) new CholeskyDecomposition(mlMatrix).solve(mlRhs);
  });
  printFigure('Cholesky factor + solve k=64, ml-matrix', `${((mlSolves / theirs) * 1000).toFixed(0)} solves/s`);

  const users = 6040;
  const items = 3706;
  const scores = randomMatrix(users, items, 5);
  const exclude = Array.from({ length: users }, (_, u) => {
    const count = 20 + (u % 300);
    const list = new Int32Array(count);
    for (let t = 0; t < count; t++) list[t] = (u * 7 + t * 13) % items;
    return list;
  });
  const selector = new TopKSelector(items);
  const out = { indices: new Int32Array(100), scores: new Float32Array(100) };
  for (const topK of [10, 100]) {
    const time = await medianMilliseconds(() => {
      for (let u = 0; u < users; u++)
        selector.select(scores.data.subarray(u * items, (u + 1) * items), topK, exclude[u], out);
    });
    printFigure(
      `top-${topK} over ${items} items for ${users} users (with exclusions)`,
      `${time.toFixed(1)} ms  ${((users / time) * 1000).toFixed(0)} users/s`,
    );
  }
}
