import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TrustRecError, argumentError } from '@trustrec/core-linalg';
import { createProgress } from '../output/progress.js';
import { executeExperiment, resolveOutDir } from './execute-experiment.js';
import type { ExperimentConfig } from './experiment-config.js';
import type { ExperimentEngine } from './experiment-engine.js';
import type { ExperimentResults } from './experiment-results.js';
import { planExperiment } from './experiment-runner.js';

/** Command-line overrides of a configuration (`--dataset`, `--seeds`, `--out`, `--data-dir`). */
export interface ExperimentOverrides {
  readonly dataset?: string;
  readonly seeds?: number;
  readonly out?: string;
  readonly dataDir?: string;
}

/**
 * The first `count` seeds of a configuration, continued with the integers after its largest seed when `count` is
 * larger: `--seeds 3` on seeds [2, 3, 4, 5, 6] runs 2, 3, 4 (a config that leaves out its tuning seed keeps it
 * out), and `--seeds 7` runs 2 … 8.
 */
export function firstSeeds(seeds: readonly number[], count: number): number[] {
  const result = seeds.slice(0, count);
  let next = Math.max(0, ...seeds) + 1;
  while (result.length < count) result.push(next++);
  return result;
}

/** Applies overrides to a validated configuration (`--seeds N`: {@link firstSeeds}). */
export function applyOverrides(config: ExperimentConfig, overrides: ExperimentOverrides): ExperimentConfig {
  const dataset = { ...config.dataset };
  if (overrides.dataset !== undefined) dataset.name = overrides.dataset;
  if (overrides.dataDir !== undefined) dataset.dataDir = path.resolve(overrides.dataDir);
  return {
    ...config,
    dataset,
    seeds: overrides.seeds === undefined ? config.seeds : firstSeeds(config.seeds, overrides.seeds),
    out: overrides.out ?? config.out,
  };
}

/** The folder of the shipped experiment configs (`apps/bench/experiments/`), from src/ (tests) or dist/ (CLI). */
export function experimentsFolder(): string {
  let folder = path.dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 5; depth++) {
    const candidate = path.join(folder, 'experiments');
    if (existsSync(path.join(candidate, 'apr-robustness.yaml'))) return candidate;
    folder = path.dirname(folder);
  }
  throw new TrustRecError({
    code: 'E_IO',
    message: 'cannot find the shipped experiment configs (apps/bench/experiments/); is the CLI installed completely?',
  });
}

/** The named reproductions of `trustrec reproduce`: a config per name, with a `--quick` variant. */
export const REPRODUCTIONS: Readonly<
  Record<string, { readonly description: string; readonly config: string; readonly quickConfig: string }>
> = {
  'apr-robustness': {
    description:
      'seed 001 / APR (He et al. SIGIR 2018): MF-BPR, APR, distilled MFs under random / FGSM / BIM embedding perturbations',
    config: 'apr-robustness.yaml',
    quickConfig: 'apr-robustness-quick.yaml',
  },
};

export function reproductionConfigPath(name: string, quick: boolean): string {
  const entry = REPRODUCTIONS[name];
  if (!entry) {
    throw argumentError(
      'trustrec reproduce',
      `unknown reproduction "${name}"; available: ${Object.keys(REPRODUCTIONS).join(', ')}`,
      { option: 'name' },
    );
  }
  return path.join(experimentsFolder(), quick ? entry.quickConfig : entry.config);
}

/**
 * The shared body of `trustrec run` and `trustrec reproduce`: resolves the output folder (resuming an
 * interrupted run), shows progress on stderr, and runs the experiment.
 */
export async function runExperimentFromCli<Data, Model>(
  config: ExperimentConfig,
  options: { engine: ExperimentEngine<Data, Model>; configFile?: string; json?: boolean; out?: string },
): Promise<ExperimentResults> {
  const { outDir, resumed } = resolveOutDir(config, { out: options.out });
  if (!options.json) {
    process.stderr.write(`${resumed ? 'resuming' : 'writing'} ${path.relative(process.cwd(), outDir) || outDir}\n`);
  }
  const total = planExperiment(config).reduce((sum, training) => sum + 1 + training.evaluations.length, 0);
  const progress = createProgress(config.name, total, { json: options.json });
  let done = 0;
  try {
    return await executeExperiment(config, {
      engine: options.engine,
      outDir,
      configFile: options.configFile,
      onProgress: (event) => {
        done = event.done;
        progress.update(event.done, event.status);
      },
      onStatus: (status) => progress.update(done, status),
    });
  } finally {
    progress.finish();
  }
}
