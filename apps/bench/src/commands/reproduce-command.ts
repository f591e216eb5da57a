import path from 'node:path';
import type { Command } from 'commander';
import { loadExperimentConfig } from '../experiments/experiment-config.js';
import {
  REPRODUCTIONS,
  applyOverrides,
  reproductionConfigPath,
  runExperimentFromCli,
} from '../experiments/run-experiment-cli.js';
import { createTrustRecEngine } from '../experiments/trustrec-engine.js';
import { parseIntegerOption } from '../output/parse-options.js';
import { type OutputOptions, printResult } from '../output/print-result.js';
import { renderResultsText } from '../report/render-report.js';
import type { CommandModule } from './command-module.js';

interface ReproduceOptions extends OutputOptions {
  out?: string;
  seeds?: string;
  dataset?: string;
  dataDir?: string;
  quick?: boolean;
}

export const reproduceCommand: CommandModule = {
  name: 'reproduce',
  register(program: Command) {
    const names = Object.entries(REPRODUCTIONS)
      .map(([name, entry]) => `  ${name}: ${entry.description}`)
      .join('\n');
    program
      .command('reproduce')
      .description(
        "re-run a source paper's experiment (a shipped config under apps/bench/experiments/) and print ours beside the published numbers",
      )
      .argument('<name>', `the reproduction:\n${names}`)
      .option('--dataset <name>', "dataset (default: the config's, MovieLens-1M for apr-robustness)")
      .option('--quick', 'the small fast variant (ML-100K, 2 seeds, few epochs, fewer ε)')
      .option(
        '--seeds <n>',
        'run the first n seeds of the config (default: all; apr-robustness: seeds 2–6, with --quick 1–2)',
      )
      .option(
        '--out <dir>',
        'output folder (default ./trustrec-results/<name>-<timestamp>/, or the unfinished one to resume)',
      )
      .option('--data-dir <dir>', 'folder with the raw datasets (default: the TRUSTREC_DATA_DIR environment variable)')
      .option('--json', 'print the results object as JSON')
      .action(async (name: string, options: ReproduceOptions) => {
        const configFile = reproductionConfigPath(name, options.quick === true);
        const config = applyOverrides(loadExperimentConfig(configFile), {
          dataset: options.dataset,
          seeds: options.seeds === undefined ? undefined : parseIntegerOption('seeds', options.seeds, 1, 1000),
          out: options.out,
          dataDir: options.dataDir,
        });
        const results = await runExperimentFromCli(config, {
          engine: createTrustRecEngine(),
          configFile: path.relative(process.cwd(), configFile) || configFile,
          json: options.json,
        });
        printResult(results, options, renderResultsText);
      });
  },
};
