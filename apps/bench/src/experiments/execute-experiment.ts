import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { renderReportHtml } from '../report/render-report.js';
import { CLI_VERSION } from '../version.js';
import { aggregateResults } from './aggregate-results.js';
import type { ExperimentConfig } from './experiment-config.js';
import type { ExperimentEngine } from './experiment-engine.js';
import { type ExperimentResults, buildExperimentResults } from './experiment-results.js';
import { type RunProgress, experimentConfigHash, runExperiment } from './experiment-runner.js';
import { writeFileAtomic } from './result-cache.js';

/** The marker of an output folder: which configuration its cache belongs to and whether the run finished. */
interface RunMarker {
  readonly experiment: string;
  readonly configHash: string;
  readonly startedAt: string;
  readonly finishedAt?: string;
}

const MARKER_FILE = path.join('cache', 'experiment.json');
export const DEFAULT_RESULTS_ROOT = 'trustrec-results';

function timestamp(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

function readMarker(outDir: string): RunMarker | undefined {
  try {
    return JSON.parse(readFileSync(path.join(outDir, MARKER_FILE), 'utf8')) as RunMarker;
  } catch {
    return undefined;
  }
}

/**
 * The output folder: `--out` (or the config's `out`) when given; otherwise the newest unfinished
 * `./trustrec-results/<name>-<timestamp>/` of the same configuration hash (an interrupted run resumes there),
 * else a new `./trustrec-results/<name>-<timestamp>/`.
 */
export function resolveOutDir(
  config: ExperimentConfig,
  options: { out?: string; cwd?: string; now?: Date } = {},
): { outDir: string; resumed: boolean } {
  const cwd = options.cwd ?? process.cwd();
  const explicit = options.out ?? config.out;
  if (explicit)
    return { outDir: path.resolve(cwd, explicit), resumed: existsSync(path.resolve(cwd, explicit, MARKER_FILE)) };
  const root = path.resolve(cwd, DEFAULT_RESULTS_ROOT);
  const hash = experimentConfigHash(config);
  if (existsSync(root)) {
    const candidates = readdirSync(root)
      .filter((name) => name.startsWith(`${config.name}-`))
      .sort()
      .reverse();
    for (const name of candidates) {
      const marker = readMarker(path.join(root, name));
      if (marker && marker.configHash === hash && marker.finishedAt === undefined)
        return { outDir: path.join(root, name), resumed: true };
    }
  }
  return { outDir: path.join(root, `${config.name}-${timestamp(options.now ?? new Date())}`), resumed: false };
}

export interface ExecuteExperimentOptions<Data, Model> {
  readonly engine: ExperimentEngine<Data, Model>;
  readonly outDir: string;
  readonly configFile?: string;
  readonly onProgress?: (progress: RunProgress) => void;
  readonly onStatus?: (status: string) => void;
}

/**
 * Runs an experiment end to end: cells (cached ones skipped), aggregation, `results.json` and `report.html`
 * in the output folder. Returns the results object (what `--json` prints).
 */
export async function executeExperiment<Data, Model>(
  config: ExperimentConfig,
  options: ExecuteExperimentOptions<Data, Model>,
): Promise<ExperimentResults> {
  const start = performance.now();
  const startedAt = new Date().toISOString();
  const { outDir, engine } = options;
  const configHash = experimentConfigHash(config);
  const previous = readMarker(outDir);
  const marker: RunMarker = {
    experiment: config.name,
    configHash,
    startedAt: previous?.configHash === configHash ? previous.startedAt : startedAt,
  };
  writeFileAtomic(path.join(outDir, MARKER_FILE), `${JSON.stringify(marker, null, 2)}\n`);

  const environment = await engine.describeEnvironment();
  const run = await runExperiment(config, {
    engine,
    outDir,
    onProgress: options.onProgress,
    onStatus: options.onStatus,
  });
  const aggregates = aggregateResults(config, run);
  const files = { outDir, results: path.join(outDir, 'results.json'), report: path.join(outDir, 'report.html') };
  const reportStart = performance.now();
  const base = {
    config,
    configFile: options.configFile,
    run,
    aggregates,
    environment: {
      ...environment,
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
      cli: CLI_VERSION,
    },
    startedAt,
    files,
    cacheFolder: path.join(outDir, 'cache'),
  };
  // The report shows the run's timings; render it from a first draft, then record the report's own time.
  const draft = buildExperimentResults({ ...base, reportSeconds: 0, totalSeconds: (performance.now() - start) / 1000 });
  const html = await renderReportHtml(draft);
  const reportSeconds = (performance.now() - reportStart) / 1000;
  const results = buildExperimentResults({ ...base, reportSeconds, totalSeconds: (performance.now() - start) / 1000 });
  writeFileAtomic(files.report, html);
  writeFileAtomic(files.results, `${JSON.stringify(results, null, 2)}\n`);
  writeFileAtomic(
    path.join(outDir, MARKER_FILE),
    `${JSON.stringify({ ...marker, finishedAt: results.finishedAt }, null, 2)}\n`,
  );
  return results;
}
