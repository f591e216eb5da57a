import path from 'node:path';
import type { Command } from 'commander';
import { loadExperimentConfig } from '../experiments/experiment-config.js';
import { applyOverrides, runExperimentFromCli } from '../experiments/run-experiment-cli.js';
import { createTrustRecEngine } from '../experiments/trustrec-engine.js';
import { parseIntegerOption } from '../output/parse-options.js';
import { type OutputOptions, printResult } from '../output/print-result.js';
import { renderResultsText } from '../report/render-report.js';
import type { CommandModule } from './command-module.js';

interface RunOptions extends OutputOptions {
  out?: string;
  seeds?: string;
  dataset?: string;
  dataDir?: string;
}

export const runCommand: CommandModule = {
  name: 'run',
  register(program: Command) {
    program
      .command('run')
      .description(
        'run an experiment described in a YAML or JSON file; writes results.json and report.html, resumes from its cache',
      )
      .argument(
        '<experiment>',
        'experiment config (.yaml, .yml or .json), e.g. apps/bench/experiments/apr-robustness.yaml',
      )
      .option(
        '--out <dir>',
        'output folder (default ./trustrec-results/<name>-<timestamp>/, or the unfinished one to resume)',
      )
      .option('--seeds <n>', 'run the first n seeds of the config (after its last seed, n larger continues 1 by 1)')
      .option('--dataset <name>', 'override the dataset (any @trustrec/datasets loader name, e.g. ml-100k)')
      .option('--data-dir <dir>', 'folder with the raw datasets (default: the TRUSTREC_DATA_DIR environment variable)')
      .option('--json', 'print the results object as JSON')
      .action(async (file: string, options: RunOptions) => {
        const configFile = path.resolve(file);
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
