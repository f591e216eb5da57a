import {
  CsrMatrix,
  TopKSelector,
  createDenseMatrix,
  createLinalgBackend,
  createRng,
  gemm,
} from '@trustrec/core-linalg';
import type { Command } from 'commander';
import { type OutputOptions, printResult } from '../output/print-result.js';
import { parseIntegerOption } from '../output/parse-options.js';
import { createProgress } from '../output/progress.js';
import type { CommandModule } from './command-module.js';

interface DemoOptions extends OutputOptions {
  users: string;
  items: string;
  factors: string;
  seed: string;
}

export interface DemoReport {
  data: 'synthetic';
  seed: number;
  shape: { users: number; items: number; factors: number; interactions: number };
  backend: string;
  timingsMs: { typedArrayScores: number; backendScores: number; topK: number };
  maxScoreDifference: number;
  hitRateAt10OfHeldOutFavourite: number;
}

/**
 * An end-to-end run of the foundation on seeded synthetic data: latent factors generate interactions (a CSR
 * matrix), all scores are computed by the typed-array gemm and by the selected TensorFlow.js backend and
 * compared, then each user's top-10 (seen items excluded) is checked for the held-out favourite item.
 */
export async function runDemo(options: {
  users: number;
  items: number;
  factors: number;
  seed: number;
  json?: boolean;
}): Promise<DemoReport> {
  const { users, items, factors, seed } = options;
  const rng = createRng(seed);
  const factorRng = rng.fork('factors');
  const userFactors = createDenseMatrix(users, factors);
  const itemFactors = createDenseMatrix(items, factors);
  for (let i = 0; i < userFactors.data.length; i++) userFactors.data[i] = factorRng.normal(0, 1 / Math.sqrt(factors));
  for (let i = 0; i < itemFactors.data.length; i++) itemFactors.data[i] = factorRng.normal(0, 1);

  let start = performance.now();
  const scores = gemm(userFactors, itemFactors, { transposeB: true });
  const typedArrayScores = performance.now() - start;

  // Each user interacted with their 20 best items except the very best, which is held out.
  const selector = new TopKSelector(items);
  const rows: number[] = [];
  const columns: number[] = [];
  const heldOut = new Int32Array(users);
  const progress = createProgress('demo', users, { json: options.json });
  for (let u = 0; u < users; u++) {
    const best = selector.select(scores.data.subarray(u * items, (u + 1) * items), 21);
    heldOut[u] = best.indices[0];
    for (let t = 1; t < best.indices.length; t++) {
      rows.push(u);
      columns.push(best.indices[t]);
    }
    if (u % 64 === 0) progress.update(u);
  }
  progress.finish();
  const interactions = CsrMatrix.fromCoo(
    { rows: Int32Array.from(rows), columns: Int32Array.from(columns) },
    { numRows: users, numColumns: items, duplicates: 'error' },
  );

  const { backend, selection } = await createLinalgBackend('auto', { scope: 'default' });
  start = performance.now();
  const backendScores = await backend.matmul(userFactors, itemFactors, { transposeB: true });
  const backendMs = performance.now() - start;
  let maxScoreDifference = 0;
  for (let i = 0; i < scores.data.length; i++) {
    maxScoreDifference = Math.max(maxScoreDifference, Math.abs(scores.data[i] - backendScores.data[i]));
  }

  start = performance.now();
  let hits = 0;
  for (let u = 0; u < users; u++) {
    const { indices } = interactions.row(u);
    const top = selector.select(scores.data.subarray(u * items, (u + 1) * items), 10, indices);
    if (top.indices.includes(heldOut[u])) hits++;
  }
  const topKMs = performance.now() - start;
  return {
    data: 'synthetic',
    seed,
    shape: { users, items, factors, interactions: interactions.nnz },
    backend: selection ? `tfjs-${selection.name}` : backend.name,
    timingsMs: { typedArrayScores, backendScores: backendMs, topK: topKMs },
    maxScoreDifference,
    hitRateAt10OfHeldOutFavourite: hits / users,
  };
}

function renderDemo(report: DemoReport): string {
  return [
    `TrustRec demo on seeded synthetic data (seed ${report.seed}; labelled synthetic)`,
    `  ${report.shape.users} users × ${report.shape.items} items, ${report.shape.factors} factors, ${report.shape.interactions} interactions`,
    `  scores: typed-array gemm ${report.timingsMs.typedArrayScores.toFixed(1)} ms, ${report.backend} ${report.timingsMs.backendScores.toFixed(1)} ms, max |difference| ${report.maxScoreDifference.toExponential(2)}`,
    `  top-10 with seen items excluded: ${report.timingsMs.topK.toFixed(1)} ms; held-out favourite found for ${(100 * report.hitRateAt10OfHeldOutFavourite).toFixed(1)}% of users`,
  ].join('\n');
}

export const demoCommand: CommandModule = {
  name: 'demo',
  register(program: Command) {
    program
      .command('demo')
      .description('run a small end-to-end demo on seeded synthetic data (kernels, backend, top-K)')
      .option('--users <n>', 'number of users', '1000')
      .option('--items <n>', 'number of items', '2000')
      .option('--factors <n>', 'latent factors', '32')
      .option('--seed <n>', 'random seed', '42')
      .option('--json', 'print the report as JSON')
      .action(async (options: DemoOptions) => {
        const report = await runDemo({
          users: parseIntegerOption('users', options.users, 1),
          items: parseIntegerOption('items', options.items, 22),
          factors: parseIntegerOption('factors', options.factors, 1, 1024),
          seed: parseIntegerOption('seed', options.seed, 0),
          json: options.json,
        });
        printResult(report, options, renderDemo);
      });
  },
};
