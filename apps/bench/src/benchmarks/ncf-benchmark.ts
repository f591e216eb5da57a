import {
  type DenseMatrix,
  type LinalgBackend,
  TrustRecError,
  TypedArrayBackend,
  createDenseMatrix,
  createLinalgBackend,
  createRng,
  probeAllBackends,
} from '@trustrec/core-linalg';
import { loadNcfSplit } from '@trustrec/datasets';
import { evaluateSampled } from '@trustrec/metrics';
import { NeuMf, type TowerKernelName, type TowerKernels, createTowerKernels } from '@trustrec/models';
import { benchEnvironmentInteger } from './bench-arguments.js';
import { printFigure } from './timing.js';

const BATCH = 256;
const LAYERS = [64, 32, 16, 8];
/** Multiply-adds of one forward pass of the tower per row; the backward pass does twice that. */
const MACS_PER_ROW = LAYERS.slice(1).reduce((sum, width, l) => sum + LAYERS[l] * width, 0);
const FLOPS_PER_BATCH = 2 * 3 * MACS_PER_ROW * BATCH;

/**
 * Median wall and CPU milliseconds per call of `step` over `repeats` rounds of `calls` calls, after one warm-up
 * round. CPU time is the robust figure on a shared VM: wall time grows with the other processes' load.
 */
async function millisecondsPerCall(
  step: () => unknown | Promise<unknown>,
  calls: number,
  repeats = 5,
): Promise<{ wall: number; cpu: number }> {
  const walls: number[] = [];
  const cpus: number[] = [];
  for (let round = 0; round <= repeats; round++) {
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    for (let c = 0; c < calls; c++) await step();
    const cpu = process.cpuUsage(cpuStart);
    if (round === 0) continue;
    walls.push((performance.now() - start) / calls);
    cpus.push((cpu.user + cpu.system) / 1000 / calls);
  }
  const median = (values: number[]): number => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
  return { wall: median(walls), cpu: median(cpus) };
}

/** Forward + backward of the NCF tower (batch 256, [64, 32, 16, 8]) on our kernels: what one NeuMF step runs. */
function kernelTowerStep(name: TowerKernelName): () => void {
  let floats = 0;
  for (let l = 0; l < LAYERS.length; l++)
    floats += 2 * BATCH * LAYERS[l] + (l > 0 ? 3 * LAYERS[l - 1] * LAYERS[l] + LAYERS[l] : 0);
  const kernels: TowerKernels = createTowerKernels(name, LAYERS, floats);
  const rng = createRng(1);
  // Fill in place: the SIMD kernels address their own memory, so a copy (e.g. from .map) would not be seen.
  const fill = (array: Float32Array): Float32Array => {
    for (let i = 0; i < array.length; i++) array[i] = rng.normal(0, 0.3);
    return array;
  };
  const activations = LAYERS.map((width) => fill(kernels.allocate(BATCH * width)));
  const deltas = LAYERS.map((width) => fill(kernels.allocate(BATCH * width)));
  const weights = LAYERS.slice(1).map((width, l) => fill(kernels.allocate(LAYERS[l] * width)));
  const transposed = LAYERS.slice(1).map((width, l) => fill(kernels.allocate(LAYERS[l] * width)));
  const biases = LAYERS.slice(1).map((width) => kernels.allocate(width));
  const gradients = LAYERS.slice(1).map((width, l) => kernels.allocate(LAYERS[l] * width));
  return () => {
    for (let l = 0; l < weights.length; l++) {
      kernels.denseForward(
        activations[l],
        weights[l],
        biases[l],
        activations[l + 1],
        BATCH,
        LAYERS[l],
        LAYERS[l + 1],
        true,
      );
    }
    for (let l = weights.length - 1; l >= 0; l--) {
      kernels.weightGradient(activations[l], deltas[l + 1], gradients[l], BATCH, LAYERS[l], LAYERS[l + 1]);
      kernels.inputGradient(
        deltas[l + 1],
        transposed[l],
        deltas[l],
        BATCH,
        LAYERS[l + 1],
        LAYERS[l],
        l > 0 ? activations[l] : null,
      );
    }
  };
}

function transpose(matrix: DenseMatrix): DenseMatrix {
  const out = createDenseMatrix(matrix.columns, matrix.rows);
  for (let r = 0; r < matrix.rows; r++)
    for (let c = 0; c < matrix.columns; c++) out.data[c * matrix.rows + r] = matrix.data[r * matrix.columns + c];
  return out;
}

/** The same forward + backward through core-linalg's LinalgBackend (`dense` and `matmul`), as a tfjs model would run it. */
function linalgTowerStep(backend: LinalgBackend): () => Promise<void> {
  const rng = createRng(1);
  const random = (rows: number, columns: number): DenseMatrix => {
    const matrix = createDenseMatrix(rows, columns);
    for (let i = 0; i < matrix.data.length; i++) matrix.data[i] = rng.normal(0, 0.3);
    return matrix;
  };
  const weights = LAYERS.slice(1).map((width, l) => random(LAYERS[l], width));
  const biases = LAYERS.slice(1).map((width) => new Float32Array(width));
  const input = random(BATCH, LAYERS[0]);
  const lastDelta = random(BATCH, LAYERS[LAYERS.length - 1]);
  return async () => {
    const activations = [input];
    for (let l = 0; l < weights.length; l++)
      activations.push(await backend.dense(activations[l], weights[l], biases[l], 'relu'));
    let delta = lastDelta;
    for (let l = weights.length - 1; l >= 0; l--) {
      await backend.matmul(transpose(activations[l]), delta); // ∂W = Xᵀ·∂Z
      const dx = await backend.matmul(delta, weights[l], { transposeB: true }); // ∂X = ∂Z·Wᵀ
      if (l > 0) for (let i = 0; i < dx.data.length; i++) if (!(activations[l].data[i] > 0)) dx.data[i] = 0;
      delta = dx;
    }
  };
}

/**
 * `pnpm bench ncf`: the batch-256 NeuMF tower on each engine, then NeuMF epochs on ml-1m-ncf with
 * the sampled HR@10 / NDCG@10. Figures on a shared 2-core VM are noisy (±40 %): read them as orders of magnitude.
 * `TRUSTREC_NCF_EPOCHS` (default 1) sets the epochs of the ML-1M run; 0 skips it.
 */
export async function benchmarkNcf(): Promise<void> {
  const epochs = benchEnvironmentInteger('TRUSTREC_NCF_EPOCHS', 1, 0);
  process.stdout.write(
    `# NCF tower: batch ${BATCH}, layers [${LAYERS.join(', ')}], forward + backward (noisy shared VM; median of 5)\n`,
  );
  const engines: { label: string; step: () => unknown | Promise<unknown>; calls: number }[] = [
    { label: 'wasm-simd kernels (default)', step: kernelTowerStep('wasm-simd'), calls: 2000 },
    { label: 'typed-array kernels', step: kernelTowerStep('typed-array'), calls: 200 },
    { label: 'LinalgBackend typed-array (dense + matmul)', step: linalgTowerStep(new TypedArrayBackend()), calls: 200 },
  ];
  for (const probe of await probeAllBackends()) {
    if (!probe.available || probe.name === 'cpu') continue;
    const { backend } = await createLinalgBackend(probe.name);
    engines.push({
      label: `LinalgBackend ${backend.name} (dense + matmul)`,
      step: linalgTowerStep(backend),
      calls: 50,
    });
  }
  for (const engine of engines) {
    const { wall, cpu } = await millisecondsPerCall(engine.step, engine.calls);
    printFigure(
      `tower ${engine.label}`,
      `${cpu.toFixed(3)} ms/batch CPU (${wall.toFixed(3)} wall)  ${(FLOPS_PER_BATCH / cpu / 1e6).toFixed(2)} GFLOP/s  → ${((cpu * 19418) / 1000).toFixed(1)} CPU-s per ML-1M epoch`,
    );
  }

  if (epochs === 0) return;
  let loaded: Awaited<ReturnType<typeof loadNcfSplit>>;
  try {
    loaded = await loadNcfSplit();
  } catch (error) {
    process.stdout.write(`# ml-1m-ncf not available (${(error as Error).message}); skipping the NeuMF epochs\n`);
    return;
  }
  const { split } = loaded;
  const candidates = split.candidates;
  if (!candidates) {
    throw new TrustRecError({
      code: 'E_FORMAT',
      message: 'pnpm bench ncf: the ml-1m-ncf split has no sampled candidates',
    });
  }
  const model = new NeuMf({ epochs });
  process.stdout.write(
    `# NeuMF on ml-1m-ncf: GMF 8 + MLP [64, 32, 16, 8], 4 negatives, batch 256, Adam lr 1e-3, ${epochs} epoch(s)\n`,
  );
  let cpuMark = process.cpuUsage();
  let cpuSeconds = 0;
  const report = await model.fit(split.train, {
    onEpoch: (event) => {
      const cpu = process.cpuUsage(cpuMark);
      cpuMark = process.cpuUsage();
      cpuSeconds += (cpu.user + cpu.system) / 1e6;
      printFigure(
        `NeuMF epoch ${event.epoch}`,
        `${event.seconds.toFixed(1)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s CPU  ${(event.samples / event.seconds / 1e6).toFixed(3)} M samples/s  loss ${event.loss.toFixed(4)}`,
      );
    },
  });
  const result = await evaluateSampled({
    candidates,
    ks: [10],
    score: (users, items, out) => {
      const expanded = new Int32Array(items.length);
      const perUser = items.length / users.length;
      for (let row = 0; row < users.length; row++) expanded.fill(users[row], row * perUser, (row + 1) * perUser);
      model.scorePairs(expanded, items, out);
    },
    // The published negatives repeat the test item for 156 users; NCF's own evaluation collapses the repeat.
    repeatedPositive: 'ignore',
  });
  printFigure(
    'NeuMF mean s/epoch (PyTorch 1.13, 1 thread: 65.4 s; target ≤ 33 s)',
    `${report.secondsPerEpoch.toFixed(1)} s wall, ${(cpuSeconds / report.epochs).toFixed(1)} s CPU  ${(report.samplesPerSecond / 1e6).toFixed(3)} M samples/s (wall)  backend ${report.backend}`,
  );
  printFigure(
    `NeuMF HR@10 / NDCG@10 after ${report.epochs} epoch(s) (paper, 64 factors, pre-trained: 0.730 / 0.447)`,
    `${result.mean.hr[10].toFixed(4)} / ${result.mean.ndcg[10].toFixed(4)}`,
  );
}
