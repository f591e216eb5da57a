import { type PublishedReference, PUBLISHED_REFERENCE_TABLES } from '../report/published-reference.js';
import type { ExperimentAggregates } from './aggregate-results.js';
import type { ExperimentConfig } from './experiment-config.js';
import type { DataSummary, EngineEnvironment } from './experiment-engine.js';
import type { ExperimentRun } from './experiment-runner.js';
import type { EvaluationCellRecord, TrainCellRecord } from './result-cache.js';

export const RESULTS_SCHEMA = 'trustrec.experiment-results/1';

/** results.json: every number, the configuration, seeds, backend, versions and timings. */
export interface ExperimentResults {
  readonly schema: typeof RESULTS_SCHEMA;
  readonly experiment: string;
  readonly description?: string;
  /** sha256 of the canonical JSON of the configuration (output folder and report options excluded). */
  readonly configHash: string;
  readonly configFile?: string;
  readonly config: ExperimentConfig;
  readonly seeds: number[];
  readonly data: (DataSummary & { readonly seed: number })[];
  readonly environment: EngineEnvironment & { readonly node: string; readonly platform: string; readonly cli: string };
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly timings: {
    readonly totalSeconds: number;
    readonly runSeconds: number;
    readonly reportSeconds: number;
    /** Sums over the cells computed in this run (cached cells keep the seconds they took when computed). */
    readonly trainingSeconds: number;
    readonly evaluationSeconds: number;
    /** Sums over every cell of the experiment, cached ones included: what computing all of it cost. */
    readonly cumulativeTrainingSeconds: number;
    readonly cumulativeEvaluationSeconds: number;
  };
  readonly cache: ExperimentRun['counts'] & { readonly folder: string };
  readonly aggregates: ExperimentAggregates;
  /** Per-cell raw results (per-user arrays are in the cache files, not here). */
  readonly cells: {
    readonly trainings: (Omit<TrainCellRecord, 'version'> & { readonly cached: boolean })[];
    readonly evaluations: (Omit<EvaluationCellRecord, 'version' | 'perUser'> & { readonly cached: boolean })[];
  };
  readonly published: PublishedReference | null;
  readonly files: { readonly outDir: string; readonly results: string; readonly report: string };
}

export interface BuildResultsInput {
  readonly config: ExperimentConfig;
  readonly configFile?: string;
  readonly run: ExperimentRun;
  readonly aggregates: ExperimentAggregates;
  readonly environment: ExperimentResults['environment'];
  readonly startedAt: string;
  readonly reportSeconds: number;
  readonly totalSeconds: number;
  readonly files: ExperimentResults['files'];
  readonly cacheFolder: string;
}

export function buildExperimentResults(input: BuildResultsInput): ExperimentResults {
  const { config, run } = input;
  const computedTrainings = run.trainings.filter((cell) => !cell.cached);
  const computedEvaluations = run.evaluations.filter((cell) => !cell.cached);
  return {
    schema: RESULTS_SCHEMA,
    experiment: config.name,
    description: config.description,
    configHash: run.configHash,
    configFile: input.configFile,
    config,
    seeds: config.seeds,
    data: run.data,
    environment: input.environment,
    startedAt: input.startedAt,
    finishedAt: new Date().toISOString(),
    timings: {
      totalSeconds: input.totalSeconds,
      runSeconds: run.seconds,
      reportSeconds: input.reportSeconds,
      trainingSeconds: computedTrainings.reduce((sum, cell) => sum + cell.seconds, 0),
      evaluationSeconds: computedEvaluations.reduce((sum, cell) => sum + cell.seconds, 0),
      cumulativeTrainingSeconds: run.trainings.reduce((sum, cell) => sum + cell.seconds, 0),
      cumulativeEvaluationSeconds: run.evaluations.reduce((sum, cell) => sum + cell.seconds, 0),
    },
    cache: { ...run.counts, folder: input.cacheFolder },
    aggregates: input.aggregates,
    cells: {
      trainings: run.trainings.map(({ version: _version, ...cell }) => cell),
      evaluations: run.evaluations.map(({ version: _version, perUser: _perUser, ...cell }) => cell),
    },
    published: config.report.published ? (PUBLISHED_REFERENCE_TABLES[config.report.published] ?? null) : null,
    files: input.files,
  };
}
