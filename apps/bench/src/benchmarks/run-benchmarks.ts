import { reportError } from '../output/report-error.js';
import { type BenchmarkEntry, benchUsage, parseBenchArguments } from './bench-arguments.js';
import { benchmarkCoreLinalg } from './core-linalg-benchmark.js';
import { benchmarkDatasets } from './datasets-benchmark.js';
import { benchmarkMetrics } from './metrics-benchmark.js';
import { benchmarkModels } from './models-benchmark.js';
import { benchmarkNcf } from './ncf-benchmark.js';

/** Benchmarks by package name: `pnpm bench <name>` (all when no name is given). Benchmarks print figures; tests assert. */
const BENCHMARKS: readonly (BenchmarkEntry & { readonly run: () => Promise<void> })[] = [
  {
    name: 'core-linalg',
    summary: 'gemm GFLOP/s (typed arrays and each tfjs backend), Cholesky solves/s, top-K',
    run: benchmarkCoreLinalg,
  },
  {
    name: 'datasets',
    summary: 'load time and peak memory: ML-1M from text and from the cache, a generated 20M-row file',
    run: benchmarkDatasets,
  },
  { name: 'metrics', summary: 'the evaluator at MovieLens-1M scale, full ranking and sampled', run: benchmarkMetrics },
  {
    name: 'models',
    summary: 'MF-BPR, implicit ALS, logistic MF, ItemKNN on ML-1M: s/epoch, samples/s, quality reached',
    run: benchmarkModels,
  },
  { name: 'ncf', summary: 'the NCF tower on each engine, then NeuMF epochs on ml-1m-ncf', run: benchmarkNcf },
];

async function main(): Promise<number> {
  try {
    const request = parseBenchArguments(process.argv.slice(2), BENCHMARKS);
    if (request.kind === 'help') {
      process.stdout.write(benchUsage(BENCHMARKS));
      return 0;
    }
    for (const name of request.names) await BENCHMARKS.find((entry) => entry.name === name)?.run();
    return 0;
  } catch (error) {
    return reportError(error, { debug: process.argv.includes('--debug') });
  }
}

// The exit code holds when the process ends by itself; the unref'd timer only ends one that a leftover handle (a
// tfjs backend, a worker pool) would keep alive.
process.exitCode = await main();
setTimeout(() => process.exit(), 50).unref();
