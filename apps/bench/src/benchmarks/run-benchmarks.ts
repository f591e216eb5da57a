import { argumentError } from '@trustrec/core-linalg';
import { reportError } from '../output/report-error.js';
import { benchmarkCoreLinalg } from './core-linalg-benchmark.js';
import { benchmarkDatasets } from './datasets-benchmark.js';
import { benchmarkMetrics } from './metrics-benchmark.js';
import { benchmarkModels } from './models-benchmark.js';
import { benchmarkNcf } from './ncf-benchmark.js';

/** Benchmarks by package name: `pnpm bench <name>` (all when no name is given). Benchmarks print figures; tests assert. */
const BENCHMARKS: Record<string, () => Promise<void>> = {
  'core-linalg': benchmarkCoreLinalg,
  datasets: benchmarkDatasets,
  metrics: benchmarkMetrics,
  models: benchmarkModels,
  ncf: benchmarkNcf,
};

async function main(): Promise<number> {
  const requested = process.argv.slice(2).filter((argument) => !argument.startsWith('-'));
  const names = requested.length > 0 ? requested : Object.keys(BENCHMARKS);
  for (const name of names) {
    const benchmark = BENCHMARKS[name];
    if (!benchmark) {
      return reportError(
        argumentError('pnpm bench', `unknown benchmark "${name}"; available: ${Object.keys(BENCHMARKS).join(', ')}`),
        { debug: false },
      );
    }
    await benchmark();
  }
  return 0;
}

const exitCode = await main();
setTimeout(() => process.exit(exitCode), 50).unref();
