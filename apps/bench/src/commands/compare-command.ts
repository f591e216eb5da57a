import { TrustRecError } from '@trustrec/core-linalg';
import { type EvaluationResult, mcNemarTest, pairedTTest, wilcoxonSignedRank } from '@trustrec/metrics';
import { type Recommender, defaultModelRegistry } from '@trustrec/models';
import type { Command } from 'commander';
import { parseIntegerOption } from '../output/parse-options.js';
import { type OutputOptions, formatTable, printResult } from '../output/print-result.js';
import { writeFileAtomic } from '../experiments/result-cache.js';
import { createProgress } from '../output/progress.js';
import { renderCompareReportHtml } from '../report/compare-report.js';
import type { CommandModule } from './command-module.js';
import { readModelFile } from './read-model-file.js';
import { DEFAULT_TRAIN_SEED, evaluateModel, parseChoice, prepareEvaluationSplit } from './train-command.js';
import { type UserInterval, userInterval } from './user-interval.js';

const COMMAND = 'compare';
/** Seed of every bootstrap interval `compare` reports (fixed: same models, same intervals). */
export const COMPARE_INTERVAL_SEED = 0;

/** Raw flags of `compare` (commander hands over strings). */
export interface CompareFlags {
  dataset: string;
  split?: string;
  protocol?: string;
  validate?: string;
  k?: string;
  resamples?: string;
  dataDir?: string;
  /** Write an HTML report (tables, interval plots) to this file. */
  report?: string;
}

export interface CompareModelResult {
  file: string;
  model: string;
  displayName: string;
  /** The `seed` hyper-parameter the model was trained with. */
  seed: number;
  hr: number;
  ndcg: number;
  auc: number;
  /** 95 % bootstrap intervals over the evaluated users. */
  hrInterval: UserInterval;
  ndcgInterval: UserInterval;
}

export interface ComparePairResult {
  a: string;
  b: string;
  /** HR@K of a − HR@K of b, its 95 % bootstrap interval over users, and McNemar's exact test on the per-user hits. */
  hr: { difference: number; interval: UserInterval; onlyA: number; onlyB: number; mcNemarP: number };
  /** NDCG@K of a − NDCG@K of b, its 95 % bootstrap interval, the paired t-test and the Wilcoxon signed-rank test. */
  ndcg: { difference: number; interval: UserInterval; tTestP: number; wilcoxonP: number };
}

/** What `trustrec compare --json` prints. */
export interface CompareReport {
  dataset: string;
  split: string;
  evaluatedOn: 'test' | 'validation';
  protocol: 'full' | 'sampled';
  k: number;
  resamples: number;
  usersEvaluated: number;
  models: CompareModelResult[];
  /** Every pair (a listed before b on the command line). */
  pairs: ComparePairResult[];
  /** `--report`: the HTML report written (tables and interval plots). */
  htmlReport: string | null;
}

function configError(message: string, option: string, extra: Record<string, unknown> = {}): TrustRecError {
  return new TrustRecError({
    code: 'E_CONFIG',
    message: `trustrec ${COMMAND}: ${message}`,
    details: { option, ...extra },
  });
}

/** The training seed of a saved model (`train` uses DEFAULT_TRAIN_SEED when a model has none, and so does its split). */
function trainingSeed(model: Recommender): number {
  const seed = (model.describe().hyperParameters as Record<string, unknown>).seed;
  return typeof seed === 'number' ? seed : DEFAULT_TRAIN_SEED;
}

/**
 * `trustrec compare`: loads models saved by `trustrec train … --save`, rebuilds the split they were trained on,
 * evaluates each on the same users and tests every pair's difference user by user.
 */
export async function runCompare(
  files: readonly string[],
  flags: CompareFlags & OutputOptions,
): Promise<CompareReport> {
  if (files.length < 2)
    throw configError(`give at least two model files to compare, got ${files.length}`, 'files', { files });
  const seen = new Set<string>();
  for (const file of files) {
    if (seen.has(file)) throw configError(`${file} is listed twice`, 'files', { file });
    seen.add(file);
  }
  const splitName = parseChoice('split', flags.split ?? 'loo', ['loo', 'ratio'] as const, COMMAND);
  const protocol = parseChoice(
    'protocol',
    flags.protocol ?? (flags.dataset === 'ml-1m-ncf' ? 'sampled' : 'full'),
    ['full', 'sampled'] as const,
    COMMAND,
  );
  const k = parseIntegerOption('k', flags.k ?? '10', 1);
  const resamples = parseIntegerOption('resamples', flags.resamples ?? '2000', 100);
  const validationSeed = flags.validate === undefined ? undefined : parseIntegerOption('validate', flags.validate, 0);

  const models: Recommender[] = [];
  for (const file of files) models.push(await readModelFile(file, { command: COMMAND }));
  const registry = defaultModelRegistry();
  const first = models[0];
  const seed = trainingSeed(first);
  const feedback = registry.get(first.describe().name).feedback;
  if (flags.dataset !== 'ml-1m-ncf') {
    // Off the published split, the training seed also chose the random split (and explicit models keep the ratings).
    for (let m = 1; m < models.length; m++) {
      const other = models[m];
      if (trainingSeed(other) !== seed)
        throw configError(
          `${files[0]} was trained with --seed ${seed} and ${files[m]} with --seed ${trainingSeed(other)}; on ${flags.dataset} the seed also chose the random split, so they were tested on different interactions. Compare models trained with the same --seed (or on ml-1m-ncf, whose split is fixed)`,
          'files',
          { file: files[m] },
        );
      const otherFeedback = registry.get(other.describe().name).feedback;
      if (otherFeedback !== feedback)
        throw configError(
          `${files[0]} is a ${feedback}-feedback model and ${files[m]} a ${otherFeedback}-feedback one; on ${flags.dataset} they were trained on different data. Compare models of the same kind`,
          'files',
          { file: files[m] },
        );
    }
  }
  const { split, description, evaluatedOn } = await prepareEvaluationSplit(
    flags,
    feedback,
    splitName,
    protocol,
    seed,
    validationSeed,
    COMMAND,
  );
  for (let m = 0; m < models.length; m++) {
    const { numUsers, numItems } = models[m];
    if (numUsers !== split.train.numRows || numItems !== split.train.numColumns)
      throw new TrustRecError({
        code: 'E_SHAPE',
        message: `trustrec ${COMMAND}: ${files[m]} has ${numUsers} users × ${numItems} items, but ${flags.dataset} has ${split.train.numRows} × ${split.train.numColumns}; give the --dataset the model was trained on`,
        details: { file: files[m], option: 'dataset' },
      });
  }

  const progress = createProgress(`${COMMAND} evaluate`, models.length, { json: flags.json });
  const evaluations: EvaluationResult[] = [];
  for (let m = 0; m < models.length; m++) {
    evaluations.push(await evaluateModel(models[m], split, protocol, [k]));
    progress.update(m + 1, files[m]);
  }
  progress.finish();
  const usersEvaluated = evaluations[0].usersEvaluated;
  if (usersEvaluated === 0)
    throw configError(
      `no user of ${flags.dataset} has a held-out interaction on this split: nothing to compare`,
      'dataset',
    );

  const results: CompareModelResult[] = models.map((model, m) => {
    const described = model.describe();
    const evaluation = evaluations[m];
    return {
      file: files[m],
      model: described.name,
      displayName: described.displayName,
      seed: trainingSeed(model),
      hr: evaluation.mean.hr[k],
      ndcg: evaluation.mean.ndcg[k],
      auc: evaluation.auc,
      hrInterval: userInterval(evaluation.perUser.hr[k], resamples, COMPARE_INTERVAL_SEED),
      ndcgInterval: userInterval(evaluation.perUser.ndcg[k], resamples, COMPARE_INTERVAL_SEED),
    };
  });

  const pairs: ComparePairResult[] = [];
  for (let a = 0; a < models.length; a++) {
    for (let b = a + 1; b < models.length; b++) {
      const hitsA = evaluations[a].perUser.hr[k];
      const hitsB = evaluations[b].perUser.hr[k];
      const ndcgA = evaluations[a].perUser.ndcg[k];
      const ndcgB = evaluations[b].perUser.ndcg[k];
      const hrDifferences = new Float64Array(hitsA.length);
      const ndcgDifferences = new Float64Array(ndcgA.length);
      for (let u = 0; u < hitsA.length; u++) {
        hrDifferences[u] = hitsA[u] - hitsB[u];
        ndcgDifferences[u] = ndcgA[u] - ndcgB[u];
      }
      const mcNemar = mcNemarTest(hitsA, hitsB);
      pairs.push({
        a: files[a],
        b: files[b],
        hr: {
          difference: results[a].hr - results[b].hr,
          interval: userInterval(hrDifferences, resamples, COMPARE_INTERVAL_SEED),
          onlyA: mcNemar.onlyA,
          onlyB: mcNemar.onlyB,
          mcNemarP: mcNemar.pValue,
        },
        ndcg: {
          difference: results[a].ndcg - results[b].ndcg,
          interval: userInterval(ndcgDifferences, resamples, COMPARE_INTERVAL_SEED),
          tTestP: usersEvaluated >= 2 ? pairedTTest(ndcgA, ndcgB).pValue : Number.NaN,
          wilcoxonP: wilcoxonSignedRank(ndcgA, ndcgB).pValue,
        },
      });
    }
  }
  const report: CompareReport = {
    dataset: flags.dataset,
    split: description,
    evaluatedOn,
    protocol,
    k,
    resamples,
    usersEvaluated,
    models: results,
    pairs,
    htmlReport: flags.report ?? null,
  };
  if (flags.report) writeFileAtomic(flags.report, await renderCompareReportHtml(report));
  return report;
}

const format = (value: number): string => (Number.isFinite(value) ? value.toFixed(4) : 'n/a');
const signed = (value: number): string => (value > 0 ? `+${format(value)}` : format(value));
const range = (interval: UserInterval, show: (value: number) => string = format): string =>
  `${show(interval.lower)} to ${show(interval.upper)}`;
const pValue = (value: number): string =>
  Number.isFinite(value) ? (value < 0.001 ? '<0.001' : value.toFixed(3)) : 'n/a';

/** The tables of a compare report (models; pairs), its summary line and the notes under it. */
export function compareTables(report: CompareReport): {
  summary: string;
  models: { header: string[]; rows: string[][] };
  pairs: { header: string[]; rows: string[][] };
  notes: string[];
} {
  const k = report.k;
  return {
    summary: `${report.dataset}: ${report.split}, ${report.protocol} ranking protocol, ${report.usersEvaluated} ${report.evaluatedOn} users`,
    models: {
      header: ['file', 'model', `HR@${k}`, '95 % interval', `NDCG@${k}`, '95 % interval'],
      rows: report.models.map((model) => [
        model.file,
        `${model.displayName} (seed ${model.seed})`,
        format(model.hr),
        range(model.hrInterval),
        format(model.ndcg),
        range(model.ndcgInterval),
      ]),
    },
    pairs: {
      header: [
        'a − b',
        `HR@${k}`,
        '95 % interval',
        'hit by a only / b only',
        'McNemar p',
        `NDCG@${k}`,
        '95 % interval',
        't-test p',
        'Wilcoxon p',
      ],
      rows: report.pairs.map((pair) => [
        `${pair.a} − ${pair.b}`,
        signed(pair.hr.difference),
        range(pair.hr.interval, signed),
        `${pair.hr.onlyA} / ${pair.hr.onlyB}`,
        pValue(pair.hr.mcNemarP),
        signed(pair.ndcg.difference),
        range(pair.ndcg.interval, signed),
        pValue(pair.ndcg.tTestP),
        pValue(pair.ndcg.wilcoxonP),
      ]),
    },
    notes: [
      `Intervals: percentile bootstrap over the evaluated users (${report.resamples} resamples); they do not include training-seed variation.`,
      'p-values are two-sided and per pair (not corrected for comparing several pairs).',
    ],
  };
}

export function renderCompare(report: CompareReport): string {
  const tables = compareTables(report);
  return [
    tables.summary,
    '',
    formatTable(tables.models.header, tables.models.rows),
    '',
    formatTable(tables.pairs.header, tables.pairs.rows),
    '',
    ...tables.notes,
    ...(report.htmlReport ? ['', `report written to ${report.htmlReport}`] : []),
  ].join('\n');
}

export const compareCommand: CommandModule = {
  name: COMMAND,
  register(program: Command) {
    program
      .command(COMMAND)
      .description(
        'evaluate models saved by `train --save` on the same users and test each pair: HR@K and NDCG@K with 95 % bootstrap intervals, McNemar on hits, paired t-test and Wilcoxon on NDCG',
      )
      .argument('<files...>', 'two or more model files saved with `trustrec train … --save`')
      .requiredOption('--dataset <name>', 'the dataset the models were trained on, e.g. ml-1m-ncf, ml-100k')
      .option('--split <kind>', 'the split they were trained with: loo (leave-one-out) or ratio (80/20)', 'loo')
      .option(
        '--protocol <kind>',
        'full ranking or sampled (1 positive + 99 negatives); default sampled for ml-1m-ncf, else full',
      )
      .option(
        '--validate <seed>',
        'compare on the validation interactions of `train --validate <seed>` instead of the test set',
      )
      .option('--k <n>', 'cut-off of HR and NDCG', '10')
      .option('--resamples <n>', 'bootstrap resamples (at least 100)', '2000')
      .option('--data-dir <path>', 'dataset folder (default: the TRUSTREC_DATA_DIR environment variable)')
      .option('--report <file.html>', 'write an HTML report: the tables and plots of every interval')
      .option('--json', 'print the result as JSON')
      .action(async (files: string[], options: CompareFlags & OutputOptions) => {
        printResult(await runCompare(files, options), options, renderCompare);
      });
  },
};
